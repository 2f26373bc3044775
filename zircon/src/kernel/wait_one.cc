// Blocking waits.
//
// The waiting thread registers one observer per target, all pointing at one futex word on its
// stack, and sleeps on that word. The first hook to see a trigger (or the close of a target's
// handle) stores the outcome and wakes the thread, under the target's lock. The thread unregisters
// every observer, each under its object's lock, before its frame goes away, so no hook can touch
// the word after the wait returns.
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

  // Records the first outcome and wakes the thread. Called with an observed object's lock held.
  void Finish(Outcome result) {
    uint32_t expected = kWaiting;
    // release: pairs with the acquire load of the waiting thread.
    if (outcome.compare_exchange_strong(expected, result, std::memory_order_release,
                                        std::memory_order_relaxed)) {
      linux::FutexWake(&outcome, 1);
    }
  }
};

class WaitObserver final : public Observer {
 public:
  WaitObserver(Sleeper* sleeper, zx_handle_t handle, zx_signals_t trigger)
      : Observer(handle, trigger), sleeper_(sleeper) {}

  ObserverAction OnInitialize(zx_signals_t signals, uint64_t count) final {
    (void)count;
    return OnStateChange(signals);
  }
  ObserverAction OnStateChange(zx_signals_t signals) final {
    if ((signals & trigger()) != 0) {
      sleeper_->Finish(kSatisfied);
    }
    return ObserverAction::kKeep;
  }
  ObserverAction OnCancel(zx_handle_t handle) final {
    if (handle != this->handle()) {
      return ObserverAction::kKeep;
    }
    handle_closed_ = true;
    sleeper_->Finish(kHandleClosed);
    return ObserverAction::kRemove;
  }
  void OnRemoved() final {}
  ~WaitObserver() final = default;

  bool handle_closed() const { return handle_closed_; }

 private:
  Sleeper* sleeper_ = nullptr;
  bool handle_closed_ = false;  // written and read under the object's lock
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
  // Unregister, then read the final states. A hook may run until RemoveObserver returns.
  bool handle_closed = false;
  for (size_t i = 0; i < registered; ++i) {
    targets[i].object->RemoveObserver(&*observers[i]);
    targets[i].observed = targets[i].object->GetSignals();
    if (observers[i]->handle_closed()) {
      targets[i].observed |= ZX_SIGNAL_HANDLE_CLOSED;
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
