// Blocking waits.
//
// The waiting thread registers one observer per target, all pointing at one futex word on its
// stack, and sleeps on that word. The first hook to see a trigger (or the close of a target's
// handle) records the outcome and the signals it saw, unregisters itself, and has the thread woken
// once its waker holds no lock. The woken thread finds that observer already detached, so it need
// not take the object's lock at all. Observers still
// attached are removed under their object's lock, so no hook touches the waiter's frame after
// WaitForSignals returns; a wake-up may still be in flight in the kernel then, which at worst is
// a spurious wake-up for a later user of the same address, as futex users must tolerate.
#include "zircon/src/kernel/wait_one.h"

#include <zircon/assert.h>

#include <array>
#include <atomic>
#include <optional>

#include "zircon/src/linux/clock.h"
#include "zircon/src/linux/futex.h"

namespace zircon::kernel {
namespace {

enum Outcome : uint32_t {
  kWaiting = 0,
  kSatisfied = 1,
  kHandleClosed = 2,
};

// The futex word a blocked thread sleeps on, shared by its observers.
struct Sleeper {
  std::atomic<uint32_t> outcome{kWaiting};

  // Records the first outcome; returns whether this call did. Called under an object's lock.
  bool Finish(Outcome result) {
    uint32_t expected = kWaiting;
    // release: pairs with the acquire load of the waiting thread.
    return outcome.compare_exchange_strong(expected, result, std::memory_order_release,
                                           std::memory_order_relaxed);
  }
};

class WaitObserver final : public Observer {
 public:
  WaitObserver(Sleeper* sleeper, zx_handle_t handle, zx_signals_t trigger)
      : Observer(handle, trigger), sleeper_(sleeper) {}
  ~WaitObserver() final = default;

  ObserverAction OnInitialize(zx_signals_t signals, uint64_t count) final {
    (void)count;
    ObserverAction action = OnStateChange(signals);
    wake_on_removal_ = false;  // the registering thread is the waiter: it is not asleep
    return action;
  }
  ObserverAction OnStateChange(zx_signals_t signals) final {
    if ((signals & trigger()) == 0) {
      return ObserverAction::kKeep;
    }
    observed_ = signals;
    wake_on_removal_ = sleeper_->Finish(kSatisfied);
    return ObserverAction::kRemove;
  }
  ObserverAction OnCancel(zx_handle_t handle) final {
    if (handle != this->handle()) {
      return ObserverAction::kKeep;
    }
    handle_closed_ = true;
    wake_on_removal_ = sleeper_->Finish(kHandleClosed);
    return ObserverAction::kRemove;
  }
  void OnRemoved() final {
    // Nothing of `this` is touched after `detached_` is set: the waiter may return at once.
    Sleeper* sleeper = sleeper_;
    const bool wake = wake_on_removal_;
    detached_.store(true, std::memory_order_release);  // pairs with the waiter's acquire load
    if (wake) {
      WakeWhenUnlocked(&sleeper->outcome);
    }
  }

  // Whether a hook unregistered this observer. Once true, the fields below are final.
  bool detached() const { return detached_.load(std::memory_order_acquire); }
  bool handle_closed() const { return handle_closed_; }
  // The signals that satisfied the wait, if a hook unregistered the observer.
  zx_signals_t observed() const { return observed_; }

 private:
  Sleeper* const sleeper_;
  zx_signals_t observed_ = 0;
  bool handle_closed_ = false;
  bool wake_on_removal_ = false;
  std::atomic<bool> detached_{false};
};

}  // namespace

zx_status_t WaitForSignals(WaitTarget* targets, size_t count, zx_time_t deadline) {
  ZX_ASSERT(count <= ZX_WAIT_MANY_MAX_ITEMS);
  Sleeper sleeper;
  std::array<std::optional<WaitObserver>, ZX_WAIT_MANY_MAX_ITEMS> observers;
  size_t registered = 0;
  zx_status_t status = ZX_OK;
  for (; registered < count; ++registered) {
    WaitTarget& target = targets[registered];
    WaitObserver* observer = &observers[registered].emplace(&sleeper, target.handle, target.trigger);
    status = target.object->AddObserver(observer);
    if (status != ZX_OK) {
      break;
    }
  }
  if (status == ZX_OK) {
    for (;;) {
      // acquire: pairs with Sleeper::Finish.
      const uint32_t outcome = sleeper.outcome.load(std::memory_order_acquire);
      if (outcome != kWaiting) {
        break;
      }
      if (deadline != ZX_TIME_INFINITE && deadline <= linux::MonotonicNow()) {
        break;
      }
      (void)linux::FutexWait(&sleeper.outcome, kWaiting, deadline);
    }
  }
  // Unregister what is still registered, then read the final states.
  bool handle_closed = false;
  for (size_t i = 0; i < registered; ++i) {
    WaitObserver& observer = *observers[i];
    if (observer.detached() ||
        !targets[i].object->RemoveObserver(&observer, &targets[i].observed)) {
      // A hook unregistered it (RemoveObserver's lock orders its writes before our reads).
      targets[i].observed = observer.observed();
    }
    if (observer.handle_closed()) {
      targets[i].observed = targets[i].object->GetSignals() | ZX_SIGNAL_HANDLE_CLOSED;
      handle_closed = true;
    }
  }
  if (status != ZX_OK) {
    return status;
  }
  if (handle_closed) {
    return ZX_ERR_CANCELED;
  }
  return sleeper.outcome.load(std::memory_order_acquire) == kSatisfied ? ZX_OK : ZX_ERR_TIMED_OUT;
}

}  // namespace zircon::kernel
