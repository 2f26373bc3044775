// The base of every kernel object: identity, handle count, signal state and its observers.
#ifndef ZIRCON_SRC_KERNEL_OBJECT_H_
#define ZIRCON_SRC_KERNEL_OBJECT_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

#include <atomic>

#include "zircon/src/kernel/intrusive_list.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/observer.h"
#include "zircon/src/kernel/ref_counted.h"

namespace zircon::kernel {

class PolledObject;
class Port;

// The lock two peered objects (event pair and channel endpoints) share, so that a change to
// both sides is atomic. Reference counted by the endpoints.
struct PeerLock : RefCounted {
  Mutex mutex;
};

// A kernel object. Owned through RefPtr by handles, ports and waits; the *handle count* (handles
// in the table plus handles in transit in channel messages) is separate from the reference
// count, and its drop to zero triggers OnZeroHandles(). Thread-safe.
class Object : public RefCounted {
 public:
  virtual ~Object();

  zx_obj_type_t type() const { return type_; }
  zx_koid_t koid() const { return koid_; }

  // The koid of the peer object, or ZX_KOID_INVALID.
  virtual zx_koid_t related_koid() const { return ZX_KOID_INVALID; }

  // Whether signals can be waited on (ports cannot).
  virtual bool is_waitable() const { return true; }

  // This object as one whose signals mirror a Linux fd's readiness, or null.
  virtual PolledObject* AsPolledObject() { return nullptr; }

  // The bits zx_object_signal may set or clear on this object.
  virtual zx_signals_t user_signal_mask() const { return ZX_USER_SIGNAL_ALL; }

  // Counts a handle (in the table or in transit). Thread-safe.
  void AddHandle() { handle_count_.fetch_add(1, std::memory_order_relaxed); }

  // Drops a handle; the last one runs OnZeroHandles(). Thread-safe.
  void RemoveHandle();

  // Returns the current signal state.
  zx_signals_t GetSignals() __TA_EXCLUDES(lock());

  // zx_object_signal on this object.
  // Returns ZX_ERR_NOT_SUPPORTED if the object is not waitable.
  // Returns ZX_ERR_INVALID_ARGS if a mask holds a bit outside user_signal_mask().
  zx_status_t UserSignalSelf(zx_signals_t clear_mask, zx_signals_t set_mask) __TA_EXCLUDES(lock());

  // zx_object_signal_peer on this object. Objects without peers return ZX_ERR_NOT_SUPPORTED.
  virtual zx_status_t UserSignalPeer(zx_signals_t clear_mask, zx_signals_t set_mask);

  // Registers `observer`, made through `handle`, and reports the current state to it.
  // The object does not own the observer; it calls observer->OnRemoved() when it lets go.
  // Returns ZX_ERR_NOT_SUPPORTED if the object is not waitable.
  // Returns ZX_ERR_BAD_HANDLE if `handle` was closed meanwhile (the observer is not added).
  // Returns what OnObserverAddedLocked returns if it fails (the observer is then removed).
  zx_status_t AddObserver(Observer* observer) __TA_EXCLUDES(lock());

  // Unregisters `observer` if it is still registered (then OnRemoved() runs). Returns whether
  // it was, and the current signals in `*out_signals` if it was.
  bool RemoveObserver(Observer* observer, zx_signals_t* out_signals) __TA_EXCLUDES(lock());

  // Unregisters every observer made through `handle`: the handle is being closed.
  void CancelByHandle(zx_handle_t handle) __TA_EXCLUDES(lock());

  // Unregisters the port observers made through `handle` for (`port`, `key`). Returns whether
  // any was.
  bool CancelByHandleAndKey(zx_handle_t handle, const Port* port, uint64_t key)
      __TA_EXCLUDES(lock());

  Mutex* lock() const __TA_RETURN_CAPABILITY(lock_) { return lock_; }

 protected:
  // `peer_lock` is shared with the peer object for peered types; null otherwise.
  Object(zx_obj_type_t type, zx_signals_t initial_signals, RefPtr<PeerLock> peer_lock = nullptr);

  // Sets and clears bits of the state and notifies observers if it changed.
  void UpdateStateLocked(zx_signals_t clear_mask, zx_signals_t set_mask) __TA_REQUIRES(lock());
  zx_signals_t signals_locked() const __TA_REQUIRES(lock()) { return signals_; }

  // What a packet for `trigger` reports as its count at registration.
  virtual uint64_t InitialPacketCountLocked(zx_signals_t trigger) const __TA_REQUIRES(lock()) {
    (void)trigger;
    return 1;
  }

  // Runs once, without locks held, when the last handle goes.
  virtual void OnZeroHandles() {}

  // Runs under the lock after `observer` was told the state at registration: `registered` says
  // whether it stayed registered (it did not if that state already satisfied it). Lets an
  // object start watching what the observer waits for. On failure the observer is removed and
  // AddObserver returns the status.
  virtual zx_status_t OnObserverAddedLocked(Observer* observer, bool registered)
      __TA_REQUIRES(lock()) {
    (void)observer;
    (void)registered;
    return ZX_OK;
  }

  // The union of the triggers of the registered observers that queue on `port`, or of every
  // registered observer if `port` is null.
  zx_signals_t ObservedTriggersLocked(const Port* port) const __TA_REQUIRES(lock());

 private:
  using ObserverList = IntrusiveList<Observer, ObjectObserversTag>;

  // Runs `hook` on each observer and unregisters those that ask for it.
  template <typename Hook>
  void ForEachObserverLocked(Hook hook) __TA_REQUIRES(lock());

  const zx_obj_type_t type_;
  const zx_koid_t koid_;
  std::atomic<uint32_t> handle_count_{0};
  const RefPtr<PeerLock> peer_lock_;
  Mutex own_lock_;
  Mutex* const lock_;
  zx_signals_t signals_ __TA_GUARDED(lock_);
  ObserverList observers_ __TA_GUARDED(lock_);
};

// The ZX_OBJ_TYPE_* of each kernel type, for typed look-ups.
template <typename T>
struct ObjectTypeOf;

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_OBJECT_H_
