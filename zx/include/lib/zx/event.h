// `zx::event`: an object whose only state is its signals.

#ifndef LIB_ZX_EVENT_H_
#define LIB_ZX_EVENT_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>

namespace zx {

// An owned handle to an event: a waitable object whose signals (`ZX_EVENT_SIGNALED` and the
// user signals) change only when someone calls `signal()`. Move-only; thread-compatible.
class event : public object<event> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_EVENT;

  // An empty wrapper.
  constexpr event() = default;

  // Takes ownership of `value`, which should be an event handle; nothing checks it.
  explicit event(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit event(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  event(event&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  event& operator=(event&& other) {
    reset(other.release());
    return *this;
  }

  // Creates an event with no signal asserted and stores a handle to it, with
  // `ZX_DEFAULT_EVENT_RIGHTS`, in `*result` (closing what `*result` held). On failure `*result`
  // is left invalid. Thread-safe.
  //
  // Returns ZX_OK if `*result` holds the new event.
  // Returns ZX_ERR_INVALID_ARGS if `options` is not 0.
  // Returns ZX_ERR_NO_MEMORY if the event or its handle could not be allocated.
  static zx_status_t create(uint32_t options, event* result);
};

// A non-owning view of an event handle.
using unowned_event = unowned<event>;

}  // namespace zx

#endif  // LIB_ZX_EVENT_H_
