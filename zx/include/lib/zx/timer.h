// `zx::timer`: a one-shot timer that asserts a signal at a deadline.

#ifndef LIB_ZX_TIMER_H_
#define LIB_ZX_TIMER_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>
#include <zircon/types.h>

namespace zx {

// An owned handle to a timer. A set timer asserts `ZX_TIMER_SIGNALED` when its deadline is
// reached; the signal stays asserted until the next `set()` or `cancel()`. Move-only;
// thread-compatible (the const operations are thread-safe).
class timer : public object<timer> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_TIMER;

  // An empty wrapper.
  constexpr timer() = default;

  // Takes ownership of `value`, which should be a timer handle; nothing checks it.
  explicit timer(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit timer(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  timer(timer&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  timer& operator=(timer&& other) {
    reset(other.release());
    return *this;
  }

  // Creates an unset timer on `clock_id` and stores a handle to it, with
  // `ZX_DEFAULT_TIMER_RIGHTS`, in `*result` (closing what `*result` held). `options` says how
  // slack may move the firing time: `ZX_TIMER_SLACK_CENTER`, `_EARLY` or `_LATE`. On failure
  // `*result` is left invalid. Thread-safe.
  //
  // Returns ZX_OK if `*result` holds the new timer.
  // Returns ZX_ERR_INVALID_ARGS if `clock_id` is not `ZX_CLOCK_MONOTONIC` or `options` is not a
  // slack mode.
  // Returns ZX_ERR_NO_MEMORY if the timer or its handle could not be allocated.
  static zx_status_t create(uint32_t options, zx_clock_t clock_id, timer* result);

  // Arms the timer to fire at `deadline`, give or take `slack`. Any earlier setting is dropped
  // and `ZX_TIMER_SIGNALED` is cleared first; a deadline that has already passed asserts it
  // before this call returns. Thread-safe.
  //
  // Returns ZX_OK if the timer is set.
  // Returns ZX_ERR_OUT_OF_RANGE if `slack` is negative.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_WRITE`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a timer.
  zx_status_t set(zx::time deadline, zx::duration slack) const {
    return zx_timer_set(get(), deadline.get(), slack.get());
  }

  // Disarms the timer and clears `ZX_TIMER_SIGNALED`. Thread-safe.
  //
  // Returns ZX_OK, also when the timer was not set.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_WRITE`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a timer.
  zx_status_t cancel() const { return zx_timer_cancel(get()); }
};

// A non-owning view of a timer handle.
using unowned_timer = unowned<timer>;

}  // namespace zx

#endif  // LIB_ZX_TIMER_H_
