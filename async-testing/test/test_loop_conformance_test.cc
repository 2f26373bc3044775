// The dispatcher contract suite (async/test/conformance) run on async::TestLoop.
#include <lib/async-testing/test_loop.h>
#include <lib/zx/time.h>

#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "async/test/conformance/dispatcher_conformance.h"

// Outside an anonymous namespace so that CTest names read `<dispatcher_conformance::...Fixture>`.
namespace dispatcher_conformance {

// The test thread runs the loop on its fake clock, which moves only when the test runs it.
// Shutdown() destroys the loop, which is how a TestLoop cancels what is pending.
class TestLoopFixture {
 public:
  static constexpr bool kMultiThreaded = false;
  static constexpr bool kSupportsReceivers = true;

  async_dispatcher_t* dispatcher() { return loop_->dispatcher(); }
  zx::duration ShortDelay() const { return zx::msec(1); }

  void RunUntilIdle() { loop_->RunUntilIdle(); }

  // Runs what is due, then moves the clock one millisecond at a time (running what comes due)
  // until `condition` holds, for at most a minute of fake time.
  bool RunUntil(const std::function<bool()>& condition) {
    loop_->RunUntilIdle();
    const zx::time give_up = loop_->Now() + zx::min(1);
    while (!condition() && loop_->Now() < give_up) {
      loop_->RunFor(zx::msec(1));
    }
    return condition();
  }

  void Shutdown() { loop_.reset(); }

 private:
  std::unique_ptr<async::TestLoop> loop_ = std::make_unique<async::TestLoop>();
};

INSTANTIATE_TYPED_TEST_SUITE_P(TestLoop, DispatcherConformanceTest, TestLoopFixture);

}  // namespace dispatcher_conformance
