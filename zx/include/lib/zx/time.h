// Typed time values for Zircon: `zx::duration` (relative nanoseconds), `zx::ticks` (raw counter
// ticks), `zx::basic_time<clock>` (an absolute point on one clock) and the helpers that build
// them. Duration and time arithmetic saturates at the infinite values instead of wrapping.
//
// All types here are plain values: thread-compatible, trivially copyable, and usable in constant
// expressions except where they read a clock.

#ifndef LIB_ZX_TIME_H_
#define LIB_ZX_TIME_H_

#include <zircon/syscalls.h>
#include <zircon/time.h>

#include <stdint.h>

namespace zx {

// A signed span of time in nanoseconds, wrapping `zx_duration_t`. The default value is zero.
//
// `+`, `-` and `*` saturate: a result beyond the representable range becomes `infinite()` or
// `infinite_past()`. Division and remainder follow C++ integer rules (division by zero is
// undefined behaviour, as for the raw integer).
class duration {
 public:
  // A zero duration.
  constexpr duration() = default;

  // A duration of `value` nanoseconds.
  explicit constexpr duration(zx_duration_t value) : value_(value) {}

  // The largest duration (`ZX_TIME_INFINITE` nanoseconds); it means "forever".
  static constexpr duration infinite() { return duration(ZX_TIME_INFINITE); }

  // The most negative duration (`ZX_TIME_INFINITE_PAST` nanoseconds).
  static constexpr duration infinite_past() { return duration(ZX_TIME_INFINITE_PAST); }

  // Returns the raw nanosecond count.
  constexpr zx_duration_t get() const { return value_; }

  // Saturating sum and difference of two durations.
  constexpr duration operator+(duration other) const {
    return duration(zx_duration_add_duration(value_, other.value_));
  }
  constexpr duration operator-(duration other) const {
    return duration(zx_duration_sub_duration(value_, other.value_));
  }

  // Saturating product; the sign of the exact product picks the infinity on overflow.
  constexpr duration operator*(int64_t multiplier) const {
    return duration(zx_duration_mul_int64(value_, multiplier));
  }

  // Truncating quotient by an integer.
  constexpr duration operator/(int64_t divisor) const { return duration(value_ / divisor); }

  // Remainder of dividing by another duration.
  constexpr duration operator%(duration divisor) const { return duration(value_ % divisor.value_); }

  // How many whole `other`s fit in this duration (truncating).
  constexpr int64_t operator/(duration other) const { return value_ / other.value_; }

  // Compound forms of the operators above, with the same saturation rules.
  constexpr duration& operator+=(duration other) {
    value_ = zx_duration_add_duration(value_, other.value_);
    return *this;
  }
  constexpr duration& operator-=(duration other) {
    value_ = zx_duration_sub_duration(value_, other.value_);
    return *this;
  }
  constexpr duration& operator*=(int64_t multiplier) {
    value_ = zx_duration_mul_int64(value_, multiplier);
    return *this;
  }
  constexpr duration& operator/=(int64_t divisor) {
    value_ /= divisor;
    return *this;
  }

  // Compare the nanosecond counts.
  constexpr bool operator==(duration other) const { return value_ == other.value_; }
  constexpr bool operator!=(duration other) const { return value_ != other.value_; }
  constexpr bool operator<(duration other) const { return value_ < other.value_; }
  constexpr bool operator<=(duration other) const { return value_ <= other.value_; }
  constexpr bool operator>(duration other) const { return value_ > other.value_; }
  constexpr bool operator>=(duration other) const { return value_ >= other.value_; }

  // The duration in whole units, truncated toward zero.
  constexpr int64_t to_nsecs() const { return value_; }
  constexpr int64_t to_usecs() const { return value_ / ZX_USEC(1); }
  constexpr int64_t to_msecs() const { return value_ / ZX_MSEC(1); }
  constexpr int64_t to_secs() const { return value_ / ZX_SEC(1); }
  constexpr int64_t to_mins() const { return value_ / ZX_MIN(1); }
  constexpr int64_t to_hours() const { return value_ / ZX_HOUR(1); }

 private:
  zx_duration_t value_ = 0;
};

// A count of ticks of the platform's high-resolution counter, wrapping `zx_ticks_t`. The default
// value is zero. Arithmetic is plain unsigned integer arithmetic; nothing saturates. The tick
// rate is whatever `per_second()` reports: convert through it rather than assuming nanoseconds.
class ticks {
 public:
  // Zero ticks.
  constexpr ticks() = default;

  // A tick count of `value`.
  explicit constexpr ticks(zx_ticks_t value) : value_(value) {}

  // Reads the counter now (`zx_ticks_get()`). Thread-safe.
  static ticks now() { return ticks(zx_ticks_get()); }

  // The number of ticks in one second (`zx_ticks_per_second()`). Thread-safe.
  static ticks per_second() { return ticks(zx_ticks_per_second()); }

  // Returns the raw tick count.
  constexpr zx_ticks_t get() const { return value_; }

  // Integer arithmetic on the tick counts.
  constexpr ticks operator+(ticks other) const { return ticks(value_ + other.value_); }
  constexpr ticks operator-(ticks other) const { return ticks(value_ - other.value_); }
  constexpr ticks operator*(uint64_t multiplier) const {
    return ticks(static_cast<zx_ticks_t>(value_ * multiplier));
  }
  constexpr ticks operator/(uint64_t divisor) const {
    return ticks(static_cast<zx_ticks_t>(value_ / divisor));
  }

  // How many whole `other`s fit in this tick count.
  constexpr uint64_t operator/(ticks other) const {
    return static_cast<uint64_t>(value_ / other.value_);
  }

  // Compound forms of the operators above.
  constexpr ticks& operator+=(ticks other) {
    value_ += other.value_;
    return *this;
  }
  constexpr ticks& operator-=(ticks other) {
    value_ -= other.value_;
    return *this;
  }
  constexpr ticks& operator*=(uint64_t multiplier) {
    value_ = static_cast<zx_ticks_t>(value_ * multiplier);
    return *this;
  }
  constexpr ticks& operator/=(uint64_t divisor) {
    value_ = static_cast<zx_ticks_t>(value_ / divisor);
    return *this;
  }

  // Compare the tick counts.
  constexpr bool operator==(ticks other) const { return value_ == other.value_; }
  constexpr bool operator!=(ticks other) const { return value_ != other.value_; }
  constexpr bool operator<(ticks other) const { return value_ < other.value_; }
  constexpr bool operator<=(ticks other) const { return value_ <= other.value_; }
  constexpr bool operator>(ticks other) const { return value_ > other.value_; }
  constexpr bool operator>=(ticks other) const { return value_ >= other.value_; }

 private:
  zx_ticks_t value_ = 0;
};

// An absolute point in time on clock `kClockId`, in nanoseconds, wrapping `zx_time_t`. The
// default value is zero. Times on different clocks are different types and do not mix.
//
// `time ± duration` and `time - time` saturate at `ZX_TIME_INFINITE` / `ZX_TIME_INFINITE_PAST`,
// so `infinite() + anything` stays infinite.
template <zx_clock_t kClockId>
class basic_time {
 public:
  // Time zero on this clock.
  constexpr basic_time() = default;

  // The point `value` nanoseconds from this clock's origin.
  explicit constexpr basic_time(zx_time_t value) : value_(value) {}

  // The point that is never reached (`ZX_TIME_INFINITE`); a deadline that never expires.
  static constexpr basic_time<kClockId> infinite() {
    return basic_time<kClockId>(ZX_TIME_INFINITE);
  }

  // The point before every other (`ZX_TIME_INFINITE_PAST`); a deadline that has always expired.
  static constexpr basic_time<kClockId> infinite_past() {
    return basic_time<kClockId>(ZX_TIME_INFINITE_PAST);
  }

  // Returns the raw nanosecond value.
  constexpr zx_time_t get() const { return value_; }

  // Returns the address of the stored value, for C calls that write a `zx_time_t` result.
  // The pointer is valid as long as this object is.
  zx_time_t* get_address() { return &value_; }

  // Saturating distance from `other` to this time.
  constexpr duration operator-(basic_time<kClockId> other) const {
    return duration(zx_time_sub_time(value_, other.value_));
  }

  // Saturating shift by `delta`.
  constexpr basic_time<kClockId> operator+(duration delta) const {
    return basic_time<kClockId>(zx_time_add_duration(value_, delta.get()));
  }
  constexpr basic_time<kClockId> operator-(duration delta) const {
    return basic_time<kClockId>(zx_time_sub_duration(value_, delta.get()));
  }
  constexpr basic_time<kClockId>& operator+=(duration delta) {
    value_ = zx_time_add_duration(value_, delta.get());
    return *this;
  }
  constexpr basic_time<kClockId>& operator-=(duration delta) {
    value_ = zx_time_sub_duration(value_, delta.get());
    return *this;
  }

  // Compare the nanosecond values.
  constexpr bool operator==(basic_time<kClockId> other) const { return value_ == other.value_; }
  constexpr bool operator!=(basic_time<kClockId> other) const { return value_ != other.value_; }
  constexpr bool operator<(basic_time<kClockId> other) const { return value_ < other.value_; }
  constexpr bool operator<=(basic_time<kClockId> other) const { return value_ <= other.value_; }
  constexpr bool operator>(basic_time<kClockId> other) const { return value_ > other.value_; }
  constexpr bool operator>=(basic_time<kClockId> other) const { return value_ >= other.value_; }

 private:
  zx_time_t value_ = 0;
};

// A point on the monotonic clock: nanoseconds since boot, never decreasing. Deadlines of waits,
// ports and timers are of this type.
using time = basic_time<ZX_CLOCK_MONOTONIC>;

// A point on the UTC clock (nanoseconds since the Unix epoch).
//
// Linux: read from the host's CLOCK_REALTIME, so it can jump when the host clock is set.
using time_utc = basic_time<ZX_CLOCK_UTC>;

// A point on the calling thread's CPU-time clock.
using time_thread = basic_time<ZX_CLOCK_THREAD>;

// Static readers of the system clocks. Not instantiable. Every member is thread-safe.
class clock {
 public:
  clock() = delete;

  // Returns the current value of clock `kClockId` (`zx_clock_get`); 0 for an unknown clock.
  // This spelling predates the status-returning overload below; prefer that one.
  template <zx_clock_t kClockId>
  static basic_time<kClockId> get() {
    return basic_time<kClockId>(zx_clock_get(kClockId));
  }

  // Stores the current value of clock `kClockId` in `*result` (`zx_clock_get_new`).
  //
  // Returns ZX_OK if `*result` was written.
  // Returns ZX_ERR_INVALID_ARGS if `kClockId` names no clock.
  template <zx_clock_t kClockId>
  static zx_status_t get(basic_time<kClockId>* result) {
    return zx_clock_get_new(kClockId, result->get_address());
  }

  // Returns the current monotonic time (`zx_clock_get_monotonic`).
  static time get_monotonic() { return time(zx_clock_get_monotonic()); }
};

// Durations of `n` nanoseconds, microseconds, milliseconds, seconds, minutes or hours. Like the
// `ZX_NSEC` ... `ZX_HOUR` macros they use, they do not saturate: keep `n` in range.
constexpr inline duration nsec(int64_t n) { return duration(ZX_NSEC(n)); }
constexpr inline duration usec(int64_t n) { return duration(ZX_USEC(n)); }
constexpr inline duration msec(int64_t n) { return duration(ZX_MSEC(n)); }
constexpr inline duration sec(int64_t n) { return duration(ZX_SEC(n)); }
constexpr inline duration min(int64_t n) { return duration(ZX_MIN(n)); }
constexpr inline duration hour(int64_t n) { return duration(ZX_HOUR(n)); }

// Blocks the calling thread until the monotonic clock reaches `deadline` (`zx_nanosleep`). A
// deadline at or before zero only yields the processor.
//
// Returns ZX_OK once the deadline has passed.
inline zx_status_t nanosleep(zx::time deadline) { return zx_nanosleep(deadline.get()); }

// Returns the monotonic time `nanoseconds` from now, saturating (`zx_deadline_after`), so
// `deadline_after(duration::infinite())` is `time::infinite()`.
inline time deadline_after(zx::duration nanoseconds) {
  return time(zx_deadline_after(nanoseconds.get()));
}

}  // namespace zx

#endif  // LIB_ZX_TIME_H_
