// Channels: two peered endpoints carrying messages of bytes and handles.
#ifndef ZIRCON_SRC_KERNEL_CHANNEL_H_
#define ZIRCON_SRC_KERNEL_CHANNEL_H_

#include <zircon/types.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "zircon/src/kernel/handle.h"
#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/peered_object.h"

namespace zircon::kernel {

// One message in transit. Its handles stay counted in their objects while in transit.
struct Message {
  std::vector<uint8_t> bytes;
  std::vector<Handle> handles;
};

// One channel endpoint (create both with CreatePair). Messages written on one end queue on the
// other. Thread-safe.
class Channel final : public PeeredObject<Channel> {
 public:
  static constexpr zx_signals_t kPeerClosedClear = ZX_CHANNEL_WRITABLE;
  static constexpr zx_signals_t kPeerClosedSet = ZX_CHANNEL_PEER_CLOSED;

  // Queues `message` on the peer. Returns ZX_ERR_PEER_CLOSED if the peer has no handles left
  // (the message, and its handles, are then dropped).
  zx_status_t Write(Message message) __TA_EXCLUDES(lock());

  // Takes the oldest message if it fits in `byte_capacity` bytes and `handle_capacity` handles.
  // Returns ZX_ERR_SHOULD_WAIT if none is queued and the peer is alive; ZX_ERR_PEER_CLOSED if
  // none is queued and the peer is gone. Returns ZX_ERR_BUFFER_TOO_SMALL, with the message's
  // sizes in `*out_bytes`/`*out_handles`, if it does not fit; it is dropped if `may_discard`.
  zx_status_t Read(uint32_t byte_capacity, uint32_t handle_capacity, bool may_discard, Message* out,
                   uint32_t* out_bytes, uint32_t* out_handles) __TA_EXCLUDES(lock());

 private:
  friend class PeeredObject<Channel>;
  explicit Channel(RefPtr<PeerLock> lock);
  void OnZeroHandles() final;
  uint64_t InitialPacketCountLocked(zx_signals_t trigger) const final __TA_REQUIRES(lock());
  std::deque<Message> messages_ __TA_GUARDED(lock());  // written by the peer, read here
};

template <>
struct ObjectTypeOf<Channel> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_CHANNEL;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_CHANNEL_H_
