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
//
// Fds and child processes (PolledObject) change state only when someone asks Linux, so a wait on
// any of them sleeps in poll(2) on their fds plus an eventfd of the waiting thread, which the
// hooks write instead of waking the futex. The write is made before the hook lets go of the
// observer (not deferred), so it never reaches the eventfd after the wait returned. Before the
// observers register, one poll with no timeout refreshes every polled target's readiness, so a
// wait never completes on stale cached readiness.
//
// A thread being killed (KillPending) stops sleeping, its Linux sleeps being interrupted, and
// leaves through the same clean-up as a timed-out wait, so no observer of it stays registered.
#include "zircon/src/kernel/wait_one.h"

#include <zircon/assert.h>

#include <array>
#include <atomic>
#include <optional>

#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/polled_object.h"
#include "zircon/src/linux/clock.h"
#include "zircon/src/linux/epoll.h"
#include "zircon/src/linux/eventfd.h"
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
  // The eventfd the thread polls instead, when it waits on fds; -1 otherwise.
  int event_fd = -1;

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
    if (wake && sleeper->event_fd >= 0) {
      // Now, not deferred: once the waiter may return, its thread (and eventfd) may end.
      linux::EventFdSignal(sleeper->event_fd);
      detached_.store(true, std::memory_order_release);  // pairs with the waiter's acquire load
      return;
    }
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

// The eventfd a thread's waits on fds sleep on, made at its first such wait and closed when the
// thread exits.
class ThreadEventFd {
 public:
  ThreadEventFd() = default;
  ThreadEventFd(const ThreadEventFd&) = delete;
  ThreadEventFd& operator=(const ThreadEventFd&) = delete;
  ~ThreadEventFd() {
    if (fd_ >= 0) {
      linux::CloseFd(fd_);
    }
  }

  // Returns the eventfd, drained, or -1 if none could be made.
  int GetDrained() {
    if (fd_ < 0 && linux::EventFdCreate(&fd_) != ZX_OK) {
      return -1;
    }
    linux::EventFdDrain(fd_);  // a hook of an earlier wait may have written it late
    return fd_;
  }

 private:
  int fd_ = -1;
};

thread_local ThreadEventFd t_wait_event_fd;

bool Finished(const Sleeper& sleeper) {
  // acquire: pairs with Sleeper::Finish.
  return sleeper.outcome.load(std::memory_order_acquire) != kWaiting;
}

bool Expired(zx_time_t deadline) {
  return deadline != ZX_TIME_INFINITE && deadline <= linux::MonotonicNow();
}

void SleepOnFutex(Sleeper* sleeper, zx_time_t deadline) {
  while (!Finished(*sleeper) && !Expired(deadline) && !KillPending()) {
    (void)linux::FutexWait(&sleeper->outcome, kWaiting, deadline);
  }
}

// The fds a wait polls: item 0 is the thread's eventfd, then one per polled target.
struct PollSet {
  std::array<linux::PollItem, ZX_WAIT_MANY_MAX_ITEMS + 1> items;
  std::array<PolledObject*, ZX_WAIT_MANY_MAX_ITEMS + 1> objects = {};
  size_t count = 1;
};

// Polls `set` until `deadline` and records what the polled targets reported. A target that
// reports a hang-up or an error is not polled again: Linux would report it again at once.
// Returns ZX_ERR_TIMED_OUT at the deadline.
zx_status_t PollOnce(PollSet* set, size_t first, zx_time_t deadline) {
  const zx_status_t status =
      linux::PollFds(set->items.data() + first, set->count - first, deadline);
  if (first == 0 && set->items[0].revents != 0) {
    linux::EventFdDrain(set->items[0].fd);
  }
  for (size_t i = 1; i < set->count; ++i) {
    linux::PollItem& item = set->items[i];
    if (item.revents == 0) {
      continue;
    }
    set->objects[i]->ApplyPollResult(item.events, item.revents);
    if ((item.revents & (linux::kPollHangUp | linux::kPollError | linux::kPollInvalid)) != 0) {
      item.fd = -1;
    }
  }
  return status;
}

// Sleeps in poll(2) on the polled targets and the thread's eventfd, which the observers write.
void SleepInPoll(Sleeper* sleeper, PollSet* set, zx_time_t deadline) {
  while (!Finished(*sleeper) && !Expired(deadline) && !KillPending()) {
    if (PollOnce(set, 0, deadline) == ZX_ERR_TIMED_OUT) {
      break;
    }
  }
}

// Prepares the poll set of a wait on `targets`, and refreshes the cached readiness of every
// polled target (all of it, so that `observed` is current). Returns false if none is polled.
bool PreparePoll(WaitTarget* targets, size_t count, PollSet* set) {
  std::array<uint32_t, ZX_WAIT_MANY_MAX_ITEMS + 1> trigger_events;
  for (size_t i = 0; i < count; ++i) {
    PolledObject* polled = targets[i].object->AsPolledObject();
    if (polled != nullptr) {
      set->objects[set->count] = polled;
      set->items[set->count] = {.fd = polled->fd(), .events = polled->PollEventsFor(~0u)};
      trigger_events[set->count] = polled->PollEventsFor(targets[i].trigger);
      ++set->count;
    }
  }
  if (set->count == 1) {
    return false;
  }
  (void)PollOnce(set, 1, 0);
  for (size_t i = 1; i < set->count; ++i) {
    set->items[i].events = trigger_events[i];
  }
  return true;
}

}  // namespace

zx_status_t WaitForSignals(WaitTarget* targets, size_t count, zx_time_t deadline) {
  ZX_ASSERT(count <= ZX_WAIT_MANY_MAX_ITEMS);
  Sleeper sleeper;
  PollSet poll_set;
  const bool poll = PreparePoll(targets, count, &poll_set);
  if (poll) {
    sleeper.event_fd = t_wait_event_fd.GetDrained();
    if (sleeper.event_fd < 0) {
      return ZX_ERR_NO_RESOURCES;
    }
    poll_set.items[0] = {.fd = sleeper.event_fd, .events = linux::kPollIn};
  }
  std::array<std::optional<WaitObserver>, ZX_WAIT_MANY_MAX_ITEMS> observers;
  size_t registered = 0;
  zx_status_t status = ZX_OK;
  for (; registered < count; ++registered) {
    WaitTarget& target = targets[registered];
    WaitObserver* observer =
        &observers[registered].emplace(&sleeper, target.handle, target.trigger);
    status = target.object->AddObserver(observer);
    if (status != ZX_OK) {
      break;
    }
  }
  if (status == ZX_OK) {
    if (poll) {
      SleepInPoll(&sleeper, &poll_set, deadline);
    } else {
      SleepOnFutex(&sleeper, deadline);
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
