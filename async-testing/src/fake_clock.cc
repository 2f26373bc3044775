// A TimeKeeper whose time moves only when its owner says so.
#include "async-testing/src/fake_clock.h"

#include <algorithm>
#include <functional>

namespace async::internal {

void FakeClock::RegisterTimer(zx::time deadline, TimerDispatcher* dispatcher) {
  if (deadline <= now_) {
    dispatcher->FireTimer();
    return;
  }
  auto it = std::find_if(timers_.begin(), timers_.end(),
                         [dispatcher](const Timers& t) { return t.dispatcher == dispatcher; });
  if (it == timers_.end()) {
    timers_.push_back(Timers{dispatcher, {}});
    it = timers_.end() - 1;
  }
  it->deadlines.push_back(deadline.get());
  std::push_heap(it->deadlines.begin(), it->deadlines.end(), std::greater<>());
}

void FakeClock::CancelTimers(TimerDispatcher* dispatcher) {
  std::erase_if(timers_, [dispatcher](const Timers& t) { return t.dispatcher == dispatcher; });
}

void FakeClock::AdvanceTo(zx::time time) {
  if (time <= now_) {
    return;
  }
  now_ = time;
  // Collect first, fire after: FireTimer() may register or cancel timers, changing `timers_`.
  std::vector<TimerDispatcher*>& expired = expired_;
  expired.clear();
  for (Timers& t : timers_) {
    bool fired = false;
    while (!t.deadlines.empty() && t.deadlines.front() <= time.get()) {
      std::pop_heap(t.deadlines.begin(), t.deadlines.end(), std::greater<>());
      t.deadlines.pop_back();
      fired = true;
    }
    if (fired) {
      expired.push_back(t.dispatcher);
    }
  }
  for (TimerDispatcher* dispatcher : expired) {
    dispatcher->FireTimer();
  }
}

}  // namespace async::internal
