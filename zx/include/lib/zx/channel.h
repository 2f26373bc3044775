// `zx::channel`: one end of a bidirectional message pipe that carries bytes and handles.

#ifndef LIB_ZX_CHANNEL_H_
#define LIB_ZX_CHANNEL_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>
#include <lib/zx/time.h>

namespace zx {

// An owned handle to one end of a channel. A message written to one end is queued, in order,
// at the other; each message holds up to `ZX_CHANNEL_MAX_MSG_BYTES` bytes and
// `ZX_CHANNEL_MAX_MSG_HANDLES` handles, which move with it. Signals: `ZX_CHANNEL_READABLE` while
// messages are queued here, `ZX_CHANNEL_WRITABLE` while the peer is open,
// `ZX_CHANNEL_PEER_CLOSED` once it has closed. Channel handles cannot be duplicated.
// Move-only; thread-compatible (the const operations are thread-safe).
//
// Linux: `call()` is not offered; portloop has no `zx_channel_call`.
class channel : public object<channel> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_CHANNEL;

  // An empty wrapper.
  constexpr channel() = default;

  // Takes ownership of `value`, which should be a channel handle; nothing checks it.
  explicit channel(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit channel(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  channel(channel&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  channel& operator=(channel&& other) {
    reset(other.release());
    return *this;
  }

  // Creates a channel and stores its ends, with `ZX_DEFAULT_CHANNEL_RIGHTS`, in `*endpoint0`
  // and `*endpoint1`. The handles the outputs held are closed only once the syscall has
  // returned. On failure both outputs are left invalid. Thread-safe.
  //
  // Returns ZX_OK if both outputs hold the new ends.
  // Returns ZX_ERR_INVALID_ARGS if `flags` is not 0.
  // Returns ZX_ERR_NO_MEMORY if the channel or its handles could not be allocated.
  static zx_status_t create(uint32_t flags, channel* endpoint0, channel* endpoint1);

  // Takes the oldest queued message: its bytes go to `bytes` (room for `num_bytes`) and its
  // handles, now owned by the caller, to `handles` (room for `num_handles`). `actual_bytes` and
  // `actual_handles`, when not null, receive the message's sizes. `flags` is 0 or
  // `ZX_CHANNEL_READ_MAY_DISCARD`. Note that the argument order differs from
  // `zx_channel_read`. Thread-safe.
  //
  // Returns ZX_OK if a message was read.
  // Returns ZX_ERR_SHOULD_WAIT if no message is queued and the peer is open.
  // Returns ZX_ERR_PEER_CLOSED if no message is queued and the peer has closed.
  // Returns ZX_ERR_BUFFER_TOO_SMALL if the message does not fit; the `actual_*` outputs say
  // what it needs, and it stays queued unless `ZX_CHANNEL_READ_MAY_DISCARD` was given.
  // Returns ZX_ERR_NOT_SUPPORTED if `flags` has an unknown bit.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_READ`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a channel.
  zx_status_t read(uint32_t flags, void* bytes, uint32_t num_bytes, uint32_t* actual_bytes,
                   zx_handle_t* handles, uint32_t num_handles, uint32_t* actual_handles) const {
    return zx_channel_read(get(), flags, bytes, handles, num_bytes, num_handles, actual_bytes,
                           actual_handles);
  }

  // Like `read()`, but each received handle comes with its object type and rights in a
  // `zx_handle_info_t`. Returns the same statuses. Thread-safe.
  zx_status_t read_etc(uint32_t flags, void* bytes, uint32_t num_bytes, uint32_t* actual_bytes,
                       zx_handle_info_t* handles, uint32_t num_handles,
                       uint32_t* actual_handles) const {
    return zx_channel_read_etc(get(), flags, bytes, handles, num_bytes, num_handles, actual_bytes,
                               actual_handles);
  }

  // Queues a message of `num_bytes` bytes from `bytes` and the `num_handles` handles in
  // `handles` at the peer, asserting its `ZX_CHANNEL_READABLE`. The handles are consumed
  // whether or not the write succeeds: the caller must not use or close them afterwards (call
  // `release()` on wrappers passed this way). Thread-safe.
  //
  // Returns ZX_OK if the message was queued.
  // Returns ZX_ERR_PEER_CLOSED if the peer has closed.
  // Returns ZX_ERR_INVALID_ARGS if `flags` is not 0 or a buffer is null with a non-zero count.
  // Returns ZX_ERR_OUT_OF_RANGE if a count exceeds the per-message limits.
  // Returns ZX_ERR_NOT_SUPPORTED if `handles` includes this channel's own handle.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper or an entry of `handles` is not an open handle.
  // Returns ZX_ERR_ACCESS_DENIED if this handle lacks `ZX_RIGHT_WRITE` or a sent handle lacks
  // `ZX_RIGHT_TRANSFER`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a channel.
  zx_status_t write(uint32_t flags, const void* bytes, uint32_t num_bytes,
                    const zx_handle_t* handles, uint32_t num_handles) const {
    return zx_channel_write(get(), flags, bytes, num_bytes, handles, num_handles);
  }
};

// A non-owning view of a channel handle.
using unowned_channel = unowned<channel>;

}  // namespace zx

#endif  // LIB_ZX_CHANNEL_H_
