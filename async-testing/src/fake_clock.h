// A TimeKeeper whose time moves only when its owner says so.
#ifndef ASYNC_TESTING_SRC_FAKE_CLOCK_H_
#define ASYNC_TESTING_SRC_FAKE_CLOCK_H_

#include <lib/async-testing/time_keeper.h>
#include <lib/zx/time.h>

#include <vector>

namespace async::internal {

// A fake clock and its timers. The time starts at ZX_TIME_INFINITE_PAST ("not yet told") and only
// AdvanceTo() moves it. Thread-compatible.
//
// Timers are kept per dispatcher in a min-heap of deadlines, so a dispatcher that registers a
// timer for each new earliest task (up to one per task) costs O(log n) per registration and per
// expiry. A dispatcher whose timers expire together hears one FireTimer() call.
class FakeClock final : public TimeKeeper {
 public:
  FakeClock() = default;
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  zx::time Now() const override { return now_; }
  void RegisterTimer(zx::time deadline, TimerDispatcher* dispatcher) override;
  void CancelTimers(TimerDispatcher* dispatcher) override;

  // Sets the time to `time` if that is later, then fires the timers that have expired.
  void AdvanceTo(zx::time time);

 private:
  struct Timers {
    TimerDispatcher* dispatcher;
    std::vector<zx_time_t> deadlines;  // a min-heap
  };

  zx::time now_ = zx::time::infinite_past();
  std::vector<Timers> timers_;
  std::vector<TimerDispatcher*> expired_;  // AdvanceTo()'s scratch list, kept to save allocations
};

}  // namespace async::internal

#endif  // ASYNC_TESTING_SRC_FAKE_CLOCK_H_
