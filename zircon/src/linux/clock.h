// Linux clocks behind Zircon's clock calls.
#ifndef ZIRCON_SRC_LINUX_CLOCK_H_
#define ZIRCON_SRC_LINUX_CLOCK_H_

#include <zircon/types.h>

namespace zircon::linux {

// Nanoseconds of CLOCK_MONOTONIC (time since boot, never decreasing). Thread-safe; a vDSO call.
zx_time_t MonotonicNow();

// Nanoseconds of CLOCK_REALTIME (UTC). Thread-safe.
zx_time_t UtcNow();

// CPU time consumed by the calling thread. Thread-safe.
zx_time_t ThreadCpuTime();

// Sleeps until the absolute monotonic `deadline`, retrying on EINTR. Thread-safe.
void SleepUntil(zx_time_t deadline);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_CLOCK_H_
