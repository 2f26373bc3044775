// Signal state and observers.
//
// Every change of an object's signal word happens under the object's lock and is reported, under
// that same lock, to each registered observer. Observers are told once at registration (so a wait
// on an already-asserted signal completes at once) and then only when the word actually changes,
// as Zircon does. A port observer queues its packet from inside the hook, so lock order is:
// object lock, then port lock. Nothing else is ever taken under an object lock.
//
// Registration races with zx_handle_close: close first marks the handle dead in the table, then
// cancels the handle's observers under the object lock; registration checks, under that same lock,
// that the handle is still live. Whichever takes the lock second sees the other's effect.
#include "zircon/src/kernel/object.h"

#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/kernel/koid.h"

namespace zircon::kernel {

Object::Object(zx_obj_type_t type, zx_signals_t initial_signals, RefPtr<PeerLock> peer_lock)
    : type_(type),
      koid_(NextKoid()),
      peer_lock_(std::move(peer_lock)),
      lock_(peer_lock_ ? &peer_lock_->mutex : &own_lock_),
      signals_(initial_signals) {}

Object::~Object() {
  // Observers hold references to what they observe only indirectly (through handles), so an
  // object is destroyed only after its handles, and with them its observers, are gone.
}

void Object::RemoveHandle() {
  // acq_rel: the last decrement must see every other handle's effects before OnZeroHandles.
  if (handle_count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    OnZeroHandles();
  }
}

zx_signals_t Object::GetSignals() {
  MutexLock lock(lock_);
  return signals_;
}

zx_status_t Object::UserSignalSelf(zx_signals_t clear_mask, zx_signals_t set_mask) {
  if (!is_waitable()) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (((clear_mask | set_mask) & ~user_signal_mask()) != 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  MutexLock lock(lock_);
  UpdateStateLocked(clear_mask, set_mask);
  return ZX_OK;
}

zx_status_t Object::UserSignalPeer(zx_signals_t clear_mask, zx_signals_t set_mask) {
  (void)clear_mask;
  (void)set_mask;
  return ZX_ERR_NOT_SUPPORTED;
}

template <typename Hook>
void Object::ForEachObserverLocked(Hook hook) {
  observers_.EraseIf(
      [&hook](Observer* observer) { return hook(observer) == ObserverAction::kRemove; },
      [](Observer* observer) { observer->OnRemoved(); });
}

void Object::UpdateStateLocked(zx_signals_t clear_mask, zx_signals_t set_mask) {
  const zx_signals_t previous = signals_;
  signals_ = (signals_ & ~clear_mask) | set_mask;
  if (signals_ == previous) {
    return;
  }
  const zx_signals_t current = signals_;
  ForEachObserverLocked([current](Observer* observer) { return observer->OnStateChange(current); });
}

zx_status_t Object::AddObserver(Observer* observer) {
  if (!is_waitable()) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  MutexLock lock(lock_);
  if (observer->handle() != ZX_HANDLE_INVALID && !HandleTable::Get().IsLive(observer->handle())) {
    return ZX_ERR_BAD_HANDLE;
  }
  ObserverAction action =
      observer->OnInitialize(signals_, InitialPacketCountLocked(observer->trigger()));
  const bool registered = action == ObserverAction::kKeep;
  if (registered) {
    observers_.push_back(observer);
  }
  const zx_status_t status = OnObserverAddedLocked(observer, registered);
  if (!registered) {
    observer->OnRemoved();
    return ZX_OK;
  }
  if (status != ZX_OK && observer->InList()) {
    observers_.erase(observer);  // never reported anything: the caller releases it
    return status;
  }
  return ZX_OK;
}

zx_signals_t Object::ObservedTriggersLocked(const Port* port) const {
  zx_signals_t triggers = 0;
  observers_.ForEach([&](const Observer* observer) {
    if (port == nullptr || observer->port() == port) {
      triggers |= observer->trigger();
    }
  });
  return triggers;
}

bool Object::RemoveObserver(Observer* observer, zx_signals_t* out_signals) {
  MutexLock lock(lock_);
  if (!observer->InList()) {
    return false;
  }
  observers_.erase(observer);
  observer->OnRemoved();
  *out_signals = signals_;
  return true;
}

void Object::CancelByHandle(zx_handle_t handle) {
  MutexLock lock(lock_);
  ForEachObserverLocked([handle](Observer* observer) { return observer->OnCancel(handle); });
}

bool Object::CancelByHandleAndKey(zx_handle_t handle, const Port* port, uint64_t key) {
  MutexLock lock(lock_);
  bool removed = false;
  ForEachObserverLocked([&](Observer* observer) {
    ObserverAction action = observer->OnCancelByKey(handle, port, key);
    removed |= action == ObserverAction::kRemove;
    return action;
  });
  return removed;
}

}  // namespace zircon::kernel
