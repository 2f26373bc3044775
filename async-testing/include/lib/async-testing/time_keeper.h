// <lib/async-testing/time_keeper.h>: the fake-clock interfaces a TestLoopDispatcher runs on.
//
// Also reachable as <lib/async-testing/time-keeper.h> and, under its 2018 path,
// <lib/async-testutils/time-keeper.h>.

#ifndef LIB_ASYNC_TESTING_TIME_KEEPER_H_
#define LIB_ASYNC_TESTING_TIME_KEEPER_H_

#include <lib/zx/time.h>

namespace async {

// Something that registers timers with a `TimeKeeper` and wants to hear when one expires
// (a `TestLoopDispatcher`). Thread-compatible.
class TimerDispatcher {
 public:
  virtual ~TimerDispatcher() = default;

  // Called by the time keeper when the keeper's time has reached the deadline of a timer this
  // object registered. Several expired timers may be reported by one call.
  virtual void FireTimer() = 0;
};

// A clock and a set of timers, both under a test's control. The clock never runs by itself:
// whoever owns the keeper moves it forward, and the keeper then reports the timers that expired.
// Thread-compatible.
class TimeKeeper {
 public:
  virtual ~TimeKeeper() = default;

  // Returns the keeper's current time.
  virtual zx::time Now() const = 0;

  // Registers a timer for `dispatcher`, which must stay alive until it calls CancelTimers():
  // once the current time is at or past `deadline`, the keeper calls `dispatcher->FireTimer()`.
  // A deadline that has already come is reported at once, from within this call.
  virtual void RegisterTimer(zx::time deadline, TimerDispatcher* dispatcher) = 0;

  // Forgets every timer registered for `dispatcher`; none of them will fire.
  virtual void CancelTimers(TimerDispatcher* dispatcher) = 0;
};

}  // namespace async

#endif  // LIB_ASYNC_TESTING_TIME_KEEPER_H_
