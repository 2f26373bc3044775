// The one place portloop sleeps: Linux futexes on a 32-bit word.
#ifndef ZIRCON_SRC_LINUX_FUTEX_H_
#define ZIRCON_SRC_LINUX_FUTEX_H_

#include <zircon/types.h>

#include <atomic>
#include <cstdint>

namespace zircon::linux {

// Sleeps while `*word == expected`, until woken by FutexWake or until the absolute monotonic
// `deadline` (ZX_TIME_INFINITE: no deadline). Spurious returns are possible: callers re-check
// their condition. Thread-safe.
//
// Returns ZX_OK if woken or the word had already changed, ZX_ERR_TIMED_OUT at the deadline.
[[nodiscard]] zx_status_t FutexWait(std::atomic<uint32_t>* word, uint32_t expected,
                                    zx_time_t deadline);

// Wakes up to `count` threads sleeping on `word`. Thread-safe.
void FutexWake(std::atomic<uint32_t>* word, int count);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_FUTEX_H_
