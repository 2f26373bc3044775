// Guide, step 3: testing time-dependent code with async::TestLoop. Time is fake and moves only
// when the test says so, so a one-hour timeout is tested instantly and never flakes.
#include <lib/async-testing/test_loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <lib/async/default.h>

#include <cstdio>

namespace {

// Code under test: calls `on_timeout` unless Touch() is called within `timeout`.
class IdleTimer {
 public:
  IdleTimer(async_dispatcher_t* dispatcher, zx::duration timeout)
      : dispatcher_(dispatcher), timeout_(timeout), task_([this] { expired_ = true; }) {
    task_.PostDelayed(dispatcher_, timeout_);
  }
  void Touch() {
    task_.Cancel();
    task_.PostDelayed(dispatcher_, timeout_);
  }
  bool expired() const { return expired_; }

 private:
  async_dispatcher_t* dispatcher_;
  zx::duration timeout_;
  bool expired_ = false;
  async::TaskClosure task_;
};

bool Check(bool condition, const char* what) {
  std::printf("%s: %s\n", condition ? "ok  " : "FAIL", what);
  return condition;
}

}  // namespace

int main() {
  async::TestLoop loop;  // prints TEST_LOOP_RANDOM_SEED=... so a failing order can be replayed
  bool ok = true;
  ok &= Check(async::Now(loop.dispatcher()) == zx::time(0), "the fake clock starts at 0");

  IdleTimer timer(loop.dispatcher(), zx::hour(1));
  loop.RunFor(zx::min(59));
  ok &= Check(!timer.expired(), "not expired after 59 minutes");
  timer.Touch();  // restarts the hour
  loop.RunFor(zx::min(59));
  ok &= Check(!timer.expired(), "touched: still alive 59 minutes later");
  loop.RunFor(zx::min(1));
  ok &= Check(timer.expired(), "expired exactly one hour after the touch");
  ok &= Check(async::Now(loop.dispatcher()) == zx::time(0) + zx::min(119),
              "time moved only as far as the test asked");
  return ok ? 0 : 1;
}
