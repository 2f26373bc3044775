// Observers of an object's signal state: the waits of zx_object_wait_one/_many and
// zx_object_wait_async.
#ifndef ZIRCON_SRC_KERNEL_OBSERVER_H_
#define ZIRCON_SRC_KERNEL_OBSERVER_H_

#include <zircon/types.h>

#include <cstdint>

#include "zircon/src/kernel/intrusive_list.h"

namespace zircon::kernel {

class Port;
struct ObjectObserversTag {};

// What an observer hook asks of the object that called it.
enum class ObserverAction : uint8_t {
  kKeep,    // stay registered
  kRemove,  // unregister now; the object then calls OnRemoved()
};

// One registration on an object's signal state, made through the handle `handle()`, for the
// signals `trigger()`.
//
// Every hook runs with the object's lock held, so a hook must not call back into the object and
// must take only locks ordered after object locks (a port's lock). Dispatch-thread only: the
// object's lock serialises all calls.
class Observer : public ListNode<ObjectObserversTag> {
 public:
  Observer(zx_handle_t handle, zx_signals_t trigger) : handle_(handle), trigger_(trigger) {}
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

  zx_handle_t handle() const { return handle_; }
  zx_signals_t trigger() const { return trigger_; }

  // Called once at registration with the current state. `count` is what a packet should report
  // (the number of queued messages for a channel's READABLE; 1 otherwise).
  virtual ObserverAction OnInitialize(zx_signals_t signals, uint64_t count) = 0;

  // Called after every change of the state, with the new state.
  virtual ObserverAction OnStateChange(zx_signals_t signals) = 0;

  // Called when `handle` is closed. Observers registered through it unregister.
  virtual ObserverAction OnCancel(zx_handle_t handle) = 0;

  // Called by zx_port_cancel(port, handle, key). Returns kRemove if this observer matches.
  virtual ObserverAction OnCancelByKey(zx_handle_t handle, const Port* port, uint64_t key) {
    (void)handle;
    (void)port;
    (void)key;
    return ObserverAction::kKeep;
  }

  // The port this observer queues packets on, or null for a blocking wait. Lets an object that
  // must arm something per port (an fd's epoll registration) find the port.
  virtual Port* port() const { return nullptr; }

  // Called once after the observer left the object's list. The object never touches the
  // observer again, so the observer may be freed from here.
  virtual void OnRemoved() = 0;

 protected:
  virtual ~Observer() = default;

 private:
  const zx_handle_t handle_;
  const zx_signals_t trigger_;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_OBSERVER_H_
