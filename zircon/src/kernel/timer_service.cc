// The timer service.
//
// One thread sleeps on a futex until the earliest deadline in a binary min-heap; arming an
// earlier deadline bumps the futex word to wake it. Each Timer records its heap index, so
// disarming is O(log n) without a search. Entries whose slack window has already opened are fired
// together with the one that woke the thread, so timers with slack share wake-ups.
#include "zircon/src/kernel/timer_service.h"

#include <new>

#include <pthread.h>
#include <signal.h>

#include "zircon/src/kernel/timer.h"
#include "zircon/src/linux/clock.h"
#include "zircon/src/linux/futex.h"

namespace zircon::kernel {

TimerService& TimerService::Get() {
  // Never destroyed: its thread outlives static destructors.
  static TimerService* service = new TimerService();
  return *service;
}

zx_status_t TimerService::StartThreadLocked() {
  // Internal threads never run the application's signal handlers.
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  pthread_t thread;
  const int rc = pthread_create(
      &thread, nullptr,
      [](void* self) -> void* {
        pthread_setname_np(pthread_self(), "zx-timers");
        static_cast<TimerService*>(self)->Run();
        return nullptr;
      },
      this);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (rc != 0) {
    return ZX_ERR_NO_RESOURCES;
  }
  pthread_detach(thread);
  thread_started_ = true;
  return ZX_OK;
}

zx_status_t TimerService::Arm(Timer* timer, zx_time_t earliest, zx_time_t deadline,
                              uint64_t arm_id) {
  {
    MutexLock lock(&lock_);
    if (!thread_started_) {
      zx_status_t status = StartThreadLocked();
      if (status != ZX_OK) {
        return status;
      }
    }
    if (timer->heap_index != SIZE_MAX) {
      RemoveAtLocked(timer->heap_index);
    }
    heap_.push_back(Entry{deadline, earliest, arm_id, RefPtr<Timer>(timer)});
    timer->heap_index = heap_.size() - 1;
    SiftUpLocked(heap_.size() - 1);
    if (deadline < sleeping_until_) {
      sleeping_until_ = deadline;
      // release: pairs with the service thread's futex read of the word.
      wake_sequence_.fetch_add(1, std::memory_order_release);
      WakeWhenUnlocked(&wake_sequence_);
    }
  }
  return ZX_OK;
}

void TimerService::Disarm(Timer* timer) {
  RefPtr<Timer> removed;
  MutexLock lock(&lock_);
  if (timer->heap_index != SIZE_MAX) {
    RemoveAtLocked(timer->heap_index);
  }
}

void TimerService::Run() {
  std::vector<Entry> due;
  for (;;) {
    zx_time_t until;
    uint32_t sequence;
    {
      MutexLock lock(&lock_);
      CollectDueLocked(linux::MonotonicNow(), &due);
      until = heap_.empty() ? ZX_TIME_INFINITE : heap_.front().deadline;
      sleeping_until_ = due.empty() ? until : 0;
      sequence = wake_sequence_.load(std::memory_order_acquire);
    }
    if (!due.empty()) {
      for (Entry& entry : due) {
        entry.timer->Fire(entry.arm_id);
      }
      due.clear();
      continue;
    }
    (void)linux::FutexWait(&wake_sequence_, sequence, until);
  }
}

void TimerService::CollectDueLocked(zx_time_t now, std::vector<Entry>* due) {
  // Due: the deadline has passed. Also taken: entries at the top whose slack window has opened.
  while (!heap_.empty() && (heap_.front().deadline <= now || heap_.front().earliest <= now)) {
    Entry& top = heap_.front();
    top.timer->heap_index = SIZE_MAX;
    due->push_back(std::move(top));
    SwapLocked(0, heap_.size() - 1);
    heap_.pop_back();
    if (!heap_.empty()) {
      SiftDownLocked(0);
    }
  }
}

void TimerService::RemoveAtLocked(size_t index) {
  Timer* removed = heap_[index].timer.get();
  const size_t last = heap_.size() - 1;
  if (index != last) {
    SwapLocked(index, last);
  }
  // Only after the swap, which stamps the removed timer with `last`: a stale index would make
  // its next Arm or Disarm remove another timer's entry.
  removed->heap_index = SIZE_MAX;
  heap_.pop_back();
  if (index < heap_.size()) {
    SiftUpLocked(index);
    SiftDownLocked(index);
  }
}

void TimerService::SwapLocked(size_t a, size_t b) {
  std::swap(heap_[a], heap_[b]);
  if (heap_[a].timer) {
    heap_[a].timer->heap_index = a;
  }
  if (heap_[b].timer) {
    heap_[b].timer->heap_index = b;
  }
}

void TimerService::SiftUpLocked(size_t index) {
  while (index > 0) {
    const size_t parent = (index - 1) / 2;
    if (heap_[parent].deadline <= heap_[index].deadline) {
      break;
    }
    SwapLocked(parent, index);
    index = parent;
  }
}

void TimerService::SiftDownLocked(size_t index) {
  for (;;) {
    const size_t left = 2 * index + 1;
    if (left >= heap_.size()) {
      return;
    }
    size_t smallest = left;
    if (left + 1 < heap_.size() && heap_[left + 1].deadline < heap_[left].deadline) {
      smallest = left + 1;
    }
    if (heap_[index].deadline <= heap_[smallest].deadline) {
      return;
    }
    SwapLocked(index, smallest);
    index = smallest;
  }
}

}  // namespace zircon::kernel
