// The common part of the two-ended objects: event pairs and channels.
#ifndef ZIRCON_SRC_KERNEL_PEERED_OBJECT_H_
#define ZIRCON_SRC_KERNEL_PEERED_OBJECT_H_

#include <zircon/types.h>

#include <new>

#include "zircon/src/kernel/object.h"

namespace zircon::kernel {

// One end of a pair of `T`s that share a lock. Each end can signal its peer; when the last handle
// to one end goes, the other loses its peer and its state changes by `T::kPeerClosedClear` /
// `T::kPeerClosedSet`. Thread-safe.
template <typename T>
class PeeredObject : public Object {
 public:
  zx_koid_t related_koid() const final { return peer_koid_; }

  // zx_object_signal_peer. Returns ZX_ERR_INVALID_ARGS for bits outside user_signal_mask(), and
  // ZX_ERR_PEER_CLOSED if the peer has no handles left.
  zx_status_t UserSignalPeer(zx_signals_t clear_mask, zx_signals_t set_mask) final {
    if (((clear_mask | set_mask) & ~user_signal_mask()) != 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    MutexLock guard(lock());
    if (!peer_) {
      return ZX_ERR_PEER_CLOSED;
    }
    peer_->lock()->AssertHeld();  // the peer shares our lock
    peer_->UpdateStateLocked(clear_mask, set_mask);
    return ZX_OK;
  }

  // Creates two peered ends sharing one lock. Returns ZX_ERR_NO_MEMORY if out of memory.
  static zx_status_t CreatePair(RefPtr<T>* out0, RefPtr<T>* out1) {
    PeerLock* lock = new (std::nothrow) PeerLock();
    if (lock == nullptr) {
      return ZX_ERR_NO_MEMORY;
    }
    RefPtr<PeerLock> shared = AdoptRef(lock);
    T* end0 = new (std::nothrow) T(shared);
    T* end1 = new (std::nothrow) T(shared);
    if (end0 == nullptr || end1 == nullptr) {
      delete end0;
      delete end1;
      return ZX_ERR_NO_MEMORY;
    }
    *out0 = AdoptRef(end0);
    *out1 = AdoptRef(end1);
    end0->peer_koid_ = end1->koid();
    end1->peer_koid_ = end0->koid();
    MutexLock guard(end0->lock());
    end1->lock()->AssertHeld();  // the ends share one lock
    end0->peer_ = *out1;
    end1->peer_ = *out0;
    return ZX_OK;
  }

 protected:
  PeeredObject(zx_obj_type_t type, zx_signals_t initial_signals, RefPtr<PeerLock> lock)
      : Object(type, initial_signals, std::move(lock)) {}

  // The peer, or null once it has no handles left.
  const RefPtr<T>& peer_locked() const __TA_REQUIRES(lock()) { return peer_; }

  // Unlinks the two ends and tells the peer. Call from T's OnZeroHandles.
  void DisconnectPeer() __TA_EXCLUDES(lock()) {
    RefPtr<T> peer;  // released after the lock
    MutexLock guard(lock());
    peer = std::move(peer_);
    if (peer) {
      peer->lock()->AssertHeld();  // the peer shares our lock
      peer->peer_.reset();
      peer->UpdateStateLocked(T::kPeerClosedClear, T::kPeerClosedSet);
    }
  }

 private:
  zx_koid_t peer_koid_ = ZX_KOID_INVALID;  // set once at creation
  RefPtr<T> peer_ __TA_GUARDED(lock());
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_PEERED_OBJECT_H_
