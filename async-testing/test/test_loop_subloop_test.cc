// async::TestLoop with subloops it does not implement (RegisterLoop) and with blocked subloops
// (BlockCurrentSubLoopAndRunOthersUntil): the later Fuchsia API.
#include <lib/async-testing/test_loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/default.h>
#include <lib/fit/function.h>
#include <zircon/assert.h>

#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

namespace {

constexpr uint32_t kSeeds[] = {1, 43, 893, 39408, 844018, 83018299, 3213, 139133113, 1323234373};

// A subloop that is a small state machine; each dispatch moves it one state forward:
// 0 -> 1 at once; 1 -> 2 once the time reaches kState1Deadline; 2 -> 3 at once; 3 stays until
// the test moves it to 4; 4 -> 5 at once; 5 stays. Finalizing sets kFinalized.
struct ExternalLoop : async_test_subloop_t {
  static constexpr zx_time_t kState1Deadline = 1000;
  static constexpr int kFinalized = 6;

  ExternalLoop() : async_test_subloop_t{&kOps} {}

  static ExternalLoop* From(async_test_subloop_t* self) { return static_cast<ExternalLoop*>(self); }

  // When the current state may move on: ZX_TIME_INFINITE for never (by itself).
  static zx_time_t NextTransition(int state) {
    switch (state) {
      case 0:
      case 2:
      case 4:
        return ZX_TIME_INFINITE_PAST;
      case 1:
        return kState1Deadline;
      default:
        return ZX_TIME_INFINITE;
    }
  }
  bool CanMove() const {
    ZX_ASSERT(state != kFinalized);
    const zx_time_t next = NextTransition(state);
    return next != ZX_TIME_INFINITE && next <= time;
  }

  static void AdvanceTimeTo(async_test_subloop_t* self, zx_time_t time) {
    ZX_ASSERT(From(self)->state != kFinalized);
    From(self)->time = time;
  }
  static uint8_t Dispatch(async_test_subloop_t* self) {
    if (!From(self)->CanMove()) {
      return 0;
    }
    ++From(self)->state;
    return 1;
  }
  static uint8_t HasPendingWork(async_test_subloop_t* self) { return From(self)->CanMove(); }
  static zx_time_t NextDueTime(async_test_subloop_t* self) {
    return NextTransition(From(self)->state);
  }
  static void Finalize(async_test_subloop_t* self) { From(self)->state = kFinalized; }

  static constexpr async_test_subloop_ops_t kOps = {AdvanceTimeTo, Dispatch, HasPendingWork,
                                                    NextDueTime, Finalize};

  int state = 0;
  zx_time_t time = ZX_TIME_INFINITE_PAST;
};

TEST(TestLoopSubloopTest, ExternalLoopIsRunAndFinalized) {
  async::TestLoop loop;
  ExternalLoop subloop;
  auto token = loop.RegisterLoop(&subloop);
  EXPECT_EQ(subloop.time, 0);  // told the time at once

  EXPECT_TRUE(loop.RunUntilIdle());
  EXPECT_EQ(subloop.state, 1);
  EXPECT_TRUE(loop.RunUntil(zx::time(ExternalLoop::kState1Deadline)));
  EXPECT_EQ(subloop.state, 3);
  EXPECT_EQ(subloop.time, ExternalLoop::kState1Deadline);

  subloop.state = 4;
  EXPECT_TRUE(loop.RunUntilIdle());
  EXPECT_EQ(subloop.state, 5);
  token.reset();
  EXPECT_EQ(subloop.state, ExternalLoop::kFinalized);
}

TEST(TestLoopSubloopTest, BlockUntilTrueReturnsTrue) {
  async::TestLoop loop;
  bool returned = false;
  async::PostTask(loop.dispatcher(), [&] {
    returned = loop.BlockCurrentSubLoopAndRunOthersUntil([] { return true; });
  });
  loop.RunUntilIdle();
  EXPECT_TRUE(returned);
}

TEST(TestLoopSubloopTest, BlockUntilFalseReturnsFalse) {
  async::TestLoop loop;
  bool returned = true;
  async::PostTask(loop.dispatcher(), [&] {
    returned =
        loop.BlockCurrentSubLoopAndRunOthersUntil(fit::function<bool()>([] { return false; }));
  });
  loop.RunUntilIdle();
  EXPECT_FALSE(returned);
}

TEST(TestLoopSubloopTest, BlockedLoopWaitsForTheOtherLoop) {
  for (uint32_t seed : kSeeds) {
    async::TestLoop loop(seed);
    auto loop_b = loop.StartNewLoop();
    std::vector<int> elements;
    async::PostTask(loop.dispatcher(), [&] {
      async::PostTask(loop_b->dispatcher(), [&] { elements.push_back(0); });
      EXPECT_TRUE(loop.BlockCurrentSubLoopAndRunOthersUntil([&] { return elements.size() == 1; }));
      elements.push_back(1);
    });
    loop.RunUntilIdle();
    EXPECT_EQ(elements, (std::vector<int>{0, 1})) << "seed " << seed;
  }
}

TEST(TestLoopSubloopTest, BlocksFinishWhenOtherLoopQuits) {
  for (uint32_t seed : kSeeds) {
    async::TestLoop loop(seed);
    auto loop_b = loop.StartNewLoop();
    auto loop_c = loop.StartNewLoop();
    bool b_called = false;
    async::PostTask(loop.dispatcher(), [&] { loop.Quit(); });
    async::PostTask(loop_b->dispatcher(), [&] { b_called = true; });
    async::PostTask(loop_c->dispatcher(), [&] {
      EXPECT_TRUE(loop.BlockCurrentSubLoopAndRunOthersUntil([&] { return b_called; }));
    });

    const zx::time start = loop.Now();
    loop.RunFor(zx::sec(1));
    loop.RunUntilIdle();  // in case Quit() ran before the blocking task
    EXPECT_TRUE(b_called) << "seed " << seed;
    EXPECT_EQ(loop.Now(), start) << "seed " << seed;  // a posted Quit() stops the clock
  }
}

TEST(TestLoopSubloopTest, BlockedLoopSeesTimeMovedByAnotherLoop) {
  for (uint32_t seed : kSeeds) {
    async::TestLoop loop(seed);
    auto loop_b = loop.StartNewLoop();
    const zx::time start = loop.Now();
    async::PostTask(loop.dispatcher(), [&] { loop.AdvanceTimeByEpsilon(); });
    async::PostTask(loop_b->dispatcher(), [&] {
      EXPECT_TRUE(loop.BlockCurrentSubLoopAndRunOthersUntil([&] { return loop.Now() > start; }));
    });
    loop.RunUntilIdle();
    EXPECT_GT(loop.Now(), start) << "seed " << seed;
  }
}

TEST(TestLoopSubloopTest, BlockedLoopRunsOthersUpToTheRunDeadline) {
  async::TestLoop loop;
  auto other = loop.StartNewLoop();
  bool other_ran = false;
  bool returned = false;
  async::PostDelayedTask(
      other->dispatcher(), [&] { other_ran = true; }, zx::sec(2));
  async::PostTask(loop.dispatcher(), [&] {
    returned = loop.BlockCurrentSubLoopAndRunOthersUntil([&] { return other_ran; });
    EXPECT_EQ(async_get_default_dispatcher(), loop.dispatcher());  // restored for this handler
  });
  loop.RunFor(zx::sec(1));
  EXPECT_FALSE(returned);  // the other task is beyond this run
  EXPECT_EQ(loop.Now(), zx::time() + zx::sec(1));

  async::PostTask(loop.dispatcher(), [&] {
    returned = loop.BlockCurrentSubLoopAndRunOthersUntil([&] { return other_ran; });
  });
  loop.RunFor(zx::sec(5));
  EXPECT_TRUE(returned);
}

}  // namespace
