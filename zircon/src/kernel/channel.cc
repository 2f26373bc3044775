#include "zircon/src/kernel/channel.h"

#include <new>

namespace zircon::kernel {

Channel::Channel(RefPtr<PeerLock> lock)
    : PeeredObject(ZX_OBJ_TYPE_CHANNEL, ZX_CHANNEL_WRITABLE, std::move(lock)) {}

uint64_t Channel::InitialPacketCountLocked(zx_signals_t trigger) const {
  // As in Zircon, the message count only when there are messages: a wait for READABLE that
  // another signal satisfies (PEER_CLOSED, WRITABLE, a user signal) reports 1, never 0.
  return (trigger & ZX_CHANNEL_READABLE) && !messages_.empty() ? messages_.size() : 1;
}

zx_status_t Channel::Write(Message message) {
  MutexLock guard(lock());
  Channel* peer = peer_locked().get();
  if (peer == nullptr) {
    return ZX_ERR_PEER_CLOSED;  // `message` and its handles are dropped after the lock
  }
  peer->lock()->AssertHeld();  // the peer shares our lock
  peer->messages_.push_back(std::move(message));
  peer->UpdateStateLocked(0, ZX_CHANNEL_READABLE);
  return ZX_OK;
}

zx_status_t Channel::Read(uint32_t byte_capacity, uint32_t handle_capacity, bool may_discard,
                          Message* out, uint32_t* out_bytes, uint32_t* out_handles) {
  Message discarded;  // destroyed after the lock: closing its handles takes other locks
  MutexLock guard(lock());
  if (messages_.empty()) {
    return peer_locked() ? ZX_ERR_SHOULD_WAIT : ZX_ERR_PEER_CLOSED;
  }
  Message& next = messages_.front();
  *out_bytes = static_cast<uint32_t>(next.bytes.size());
  *out_handles = static_cast<uint32_t>(next.handles.size());
  const bool fits = next.bytes.size() <= byte_capacity && next.handles.size() <= handle_capacity;
  if (!fits && !may_discard) {
    return ZX_ERR_BUFFER_TOO_SMALL;
  }
  if (fits) {
    *out = std::move(next);
  } else {
    discarded = std::move(next);
  }
  messages_.pop_front();
  if (messages_.empty()) {
    UpdateStateLocked(ZX_CHANNEL_READABLE, 0);
  }
  return fits ? ZX_OK : ZX_ERR_BUFFER_TOO_SMALL;
}

void Channel::OnZeroHandles() {
  DisconnectPeer();            // first, so that nothing more can arrive
  std::deque<Message> unread;  // destroyed after the lock: its handles may close other objects
  MutexLock guard(lock());
  unread = std::move(messages_);
}

}  // namespace zircon::kernel
