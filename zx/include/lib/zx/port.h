// `zx::port`: a queue of packets that threads wait on.

#ifndef LIB_ZX_PORT_H_
#define LIB_ZX_PORT_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>
#include <lib/zx/time.h>

namespace zx {

// An owned handle to a port: a FIFO queue of `zx_port_packet_t`s. Packets arrive from
// `queue()`, from async waits (`object<T>::wait_async`) and from other kernel sources; each is
// handed to exactly one `wait()` caller, so several threads can share a port. Ports have no
// signals and cannot themselves be waited on. Move-only; thread-compatible (the const operations
// are thread-safe).
class port : public object<port> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_PORT;

  // An empty wrapper.
  constexpr port() = default;

  // Takes ownership of `value`, which should be a port handle; nothing checks it.
  explicit port(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit port(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  port(port&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  port& operator=(port&& other) {
    reset(other.release());
    return *this;
  }

  // Creates an empty port and stores a handle to it, with `ZX_DEFAULT_PORT_RIGHTS`, in
  // `*result` (closing what `*result` held). On failure `*result` is left invalid. Thread-safe.
  //
  // Returns ZX_OK if `*result` holds the new port.
  // Returns ZX_ERR_INVALID_ARGS if `options` is not 0 or `ZX_PORT_BIND_TO_INTERRUPT`.
  // Returns ZX_ERR_NO_MEMORY if the port or its handle could not be allocated.
  static zx_status_t create(uint32_t options, port* result);

  // Appends a copy of `*packet` to the queue and wakes one waiter. The copy keeps the caller's
  // `key`, `status` and payload, but its `type` is always `ZX_PKT_TYPE_USER`. The caller keeps
  // ownership of `packet`. Thread-safe.
  //
  // Returns ZX_OK if the packet was queued.
  // Returns ZX_ERR_SHOULD_WAIT if the port's queue is full.
  // Returns ZX_ERR_INVALID_ARGS if `packet` is null.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_WRITE`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a port.
  // Returns ZX_ERR_NO_MEMORY if the packet could not be allocated.
  zx_status_t queue(const zx_port_packet_t* packet) const { return zx_port_queue(get(), packet); }

  // Removes the oldest packet from the queue into `*packet`, blocking until one arrives or
  // `deadline` passes. A past deadline takes a packet only if one is already queued. Thread-safe.
  //
  // Returns ZX_OK if `*packet` was filled.
  // Returns ZX_ERR_TIMED_OUT if `deadline` passed with the queue empty.
  // Returns ZX_ERR_INVALID_ARGS if `packet` is null.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_READ`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a port.
  zx_status_t wait(zx::time deadline, zx_port_packet_t* packet) const {
    return zx_port_wait(get(), deadline.get(), packet);
  }

  // Cancels the async waits registered on this port through the handle `source` with `key`, and
  // drops their packets still in the queue. Waits registered through another handle to the same
  // object, and packets from `queue()`, are untouched. Thread-safe.
  //
  // Returns ZX_OK if a wait or a packet was removed.
  // Returns ZX_ERR_NOT_FOUND if there was nothing to remove (for instance, the packet has
  // already been dequeued).
  // Returns ZX_ERR_BAD_HANDLE if this wrapper or `source` holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the port handle lacks `ZX_RIGHT_WRITE` or `source` lacks
  // `ZX_RIGHT_WAIT`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a port.
  // Returns ZX_ERR_NOT_SUPPORTED if `source`'s object cannot be waited on.
  zx_status_t cancel(const object_base& source, uint64_t key) const {
    return zx_port_cancel(get(), source.get(), key);
  }
};

// A non-owning view of a port handle.
using unowned_port = unowned<port>;

}  // namespace zx

#endif  // LIB_ZX_PORT_H_
