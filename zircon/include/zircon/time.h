// <zircon/time.h>: saturating arithmetic on `zx_time_t` and `zx_duration_t`.
//
// Every function clamps instead of wrapping: a result above INT64_MAX becomes ZX_TIME_INFINITE and
// one below INT64_MIN becomes ZX_TIME_INFINITE_PAST. They are pure, thread-safe, usable from C, and
// `constexpr` in C++. Names read as zx_<first operand>_<operation>_<second operand>.
// C++ code usually reaches them through zx::time and zx::duration.

#ifndef ZIRCON_TIME_H_
#define ZIRCON_TIME_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// Returns `time + duration`, saturated.
__CONSTEXPR static inline zx_time_t zx_time_add_duration(zx_time_t time, zx_duration_t duration) {
  zx_time_t result = 0;
  if (unlikely(add_overflow(time, duration, &result))) {
    // Addition overflows only when both operands have the same sign.
    return duration > 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return result;
}

// Returns `time - duration`, saturated.
__CONSTEXPR static inline zx_time_t zx_time_sub_duration(zx_time_t time, zx_duration_t duration) {
  zx_time_t result = 0;
  if (unlikely(sub_overflow(time, duration, &result))) {
    // Subtraction overflows only when the operands have opposite signs.
    return duration < 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return result;
}

// Returns the duration from `time2` to `time1` (`time1 - time2`), saturated.
__CONSTEXPR static inline zx_duration_t zx_time_sub_time(zx_time_t time1, zx_time_t time2) {
  zx_duration_t result = 0;
  if (unlikely(sub_overflow(time1, time2, &result))) {
    return time2 < 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return result;
}

// Returns `dur1 + dur2`, saturated.
__CONSTEXPR static inline zx_duration_t zx_duration_add_duration(zx_duration_t dur1,
                                                                 zx_duration_t dur2) {
  zx_duration_t result = 0;
  if (unlikely(add_overflow(dur1, dur2, &result))) {
    return dur2 > 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return result;
}

// Returns `dur1 - dur2`, saturated.
__CONSTEXPR static inline zx_duration_t zx_duration_sub_duration(zx_duration_t dur1,
                                                                 zx_duration_t dur2) {
  zx_duration_t result = 0;
  if (unlikely(sub_overflow(dur1, dur2, &result))) {
    return dur2 < 0 ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return result;
}

// Returns `duration * multiplier`, saturated toward the sign of the exact product.
__CONSTEXPR static inline zx_duration_t zx_duration_mul_int64(zx_duration_t duration,
                                                              int64_t multiplier) {
  zx_duration_t result = 0;
  if (unlikely(mul_overflow(duration, multiplier, &result))) {
    return (duration < 0) == (multiplier < 0) ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
  }
  return result;
}

__END_CDECLS

#endif  // ZIRCON_TIME_H_
