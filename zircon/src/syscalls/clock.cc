// Clocks, sleeping and randomness.
#include "zircon/src/linux/clock.h"

#include <zircon/syscalls.h>
#include <zircon/time.h>

#include <cerrno>

#include <sys/random.h>

extern "C" zx_time_t zx_clock_get_monotonic(void) noexcept { return zircon::linux::MonotonicNow(); }

extern "C" zx_status_t zx_clock_get_new(zx_clock_t clock_id, zx_time_t* out) noexcept {
  if (out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  switch (clock_id) {
    case ZX_CLOCK_MONOTONIC:
      *out = zircon::linux::MonotonicNow();
      return ZX_OK;
    case ZX_CLOCK_UTC:
      *out = zircon::linux::UtcNow();
      return ZX_OK;
    case ZX_CLOCK_THREAD:
      *out = zircon::linux::ThreadCpuTime();
      return ZX_OK;
    default:
      return ZX_ERR_INVALID_ARGS;
  }
}

extern "C" zx_time_t zx_clock_get(zx_clock_t clock_id) noexcept {
  zx_time_t now = 0;
  return zx_clock_get_new(clock_id, &now) == ZX_OK ? now : 0;
}

extern "C" zx_time_t zx_deadline_after(zx_duration_t nanoseconds) noexcept {
  return zx_time_add_duration(zircon::linux::MonotonicNow(), nanoseconds);
}

extern "C" zx_status_t zx_nanosleep(zx_time_t deadline) noexcept {
  zircon::linux::SleepUntil(deadline);
  return ZX_OK;
}

// Linux: ticks are nanoseconds of the monotonic clock.
extern "C" zx_ticks_t zx_ticks_get(void) noexcept {
  return static_cast<zx_ticks_t>(zircon::linux::MonotonicNow());
}

extern "C" zx_ticks_t zx_ticks_per_second(void) noexcept { return 1'000'000'000; }

extern "C" void zx_cprng_draw(void* buffer, size_t size) noexcept {
  auto* bytes = static_cast<uint8_t*>(buffer);
  while (size > 0) {
    ssize_t got = getrandom(bytes, size, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      __builtin_trap();  // Zircon's cprng cannot fail; neither may ours.
    }
    bytes += got;
    size -= static_cast<size_t>(got);
  }
}
