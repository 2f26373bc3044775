// `zx::eventpair`: two linked events that can signal each other.

#ifndef LIB_ZX_EVENTPAIR_H_
#define LIB_ZX_EVENTPAIR_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>

namespace zx {

// An owned handle to one end of an event pair. Each end has its own signals, which either end
// can change (`signal()` for its own, `signal_peer()` for the other's). When the last handle to
// one end closes, the other end gets `ZX_EVENTPAIR_PEER_CLOSED` for good. Move-only;
// thread-compatible.
class eventpair : public object<eventpair> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_EVENTPAIR;

  // An empty wrapper.
  constexpr eventpair() = default;

  // Takes ownership of `value`, which should be an event pair handle; nothing checks it.
  explicit eventpair(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit eventpair(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  eventpair(eventpair&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  eventpair& operator=(eventpair&& other) {
    reset(other.release());
    return *this;
  }

  // Creates a linked pair of events, no signal asserted on either, and stores one end in
  // `*endpoint0` and the other in `*endpoint1`. The handles the outputs held are closed only
  // once the syscall has returned. On failure both outputs are left invalid. Thread-safe.
  //
  // Returns ZX_OK if both outputs hold the new ends.
  // Returns ZX_ERR_NOT_SUPPORTED if `options` is not 0.
  // Returns ZX_ERR_NO_MEMORY if the pair or its handles could not be allocated.
  static zx_status_t create(uint32_t options, eventpair* endpoint0, eventpair* endpoint1);
};

// A non-owning view of an event pair handle.
using unowned_eventpair = unowned<eventpair>;

}  // namespace zx

#endif  // LIB_ZX_EVENTPAIR_H_
