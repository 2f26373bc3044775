// The thread that fires armed timers at their deadlines.
#ifndef ZIRCON_SRC_KERNEL_TIMER_SERVICE_H_
#define ZIRCON_SRC_KERNEL_TIMER_SERVICE_H_

#include <zircon/types.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/ref_counted.h"

namespace zircon::kernel {

class Timer;

// A min-heap of armed timers and one thread ("zx-timers", started at the first arming) that
// sleeps until the earliest deadline and fires what is due. Thread-safe.
//
// Lock order: a timer's lock, then the service's lock. The service calls Timer::Fire without its
// own lock held.
class TimerService {
 public:
  static TimerService& Get();

  // Arms `timer` to fire between `earliest` and `deadline` (the slack window); `arm_id` is
  // handed back to Timer::Fire. Replaces any arming of `timer`. Returns ZX_ERR_NO_MEMORY or
  // ZX_ERR_NO_RESOURCES (no thread could be started) on failure.
  [[nodiscard]] zx_status_t Arm(Timer* timer, zx_time_t earliest, zx_time_t deadline,
                                uint64_t arm_id) __TA_EXCLUDES(lock_);

  // Removes `timer`'s arming, if any.
  void Disarm(Timer* timer) __TA_EXCLUDES(lock_);

 private:
  struct Entry {
    zx_time_t deadline;
    zx_time_t earliest;
    uint64_t arm_id;
    RefPtr<Timer> timer;
  };

  TimerService() = default;
  [[nodiscard]] zx_status_t StartThreadLocked() __TA_REQUIRES(lock_);
  void Run() __TA_EXCLUDES(lock_);
  // Pops every entry whose window has opened by `now` into `due`.
  void CollectDueLocked(zx_time_t now, std::vector<Entry>* due) __TA_REQUIRES(lock_);
  void RemoveAtLocked(size_t index) __TA_REQUIRES(lock_);
  void SiftUpLocked(size_t index) __TA_REQUIRES(lock_);
  void SiftDownLocked(size_t index) __TA_REQUIRES(lock_);
  void SwapLocked(size_t a, size_t b) __TA_REQUIRES(lock_);

  Mutex lock_;
  std::vector<Entry> heap_ __TA_GUARDED(lock_);  // ordered by deadline
  bool thread_started_ __TA_GUARDED(lock_) = false;
  zx_time_t sleeping_until_ __TA_GUARDED(lock_) = ZX_TIME_INFINITE;
  // The futex the service thread sleeps on; bumped under lock_ to wake it early.
  std::atomic<uint32_t> wake_sequence_{0};
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_TIMER_SERVICE_H_
