// async::TestLoop: the fake clock, running, quitting, the default dispatcher, several loops and
// the seed. Covers the behaviours of Fuchsia's test_loop_tests in GoogleTest form.
#include <lib/async-testing/test_loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <lib/async/cpp/wait.h>
#include <lib/async/default.h>
#include <lib/fit/function.h>
#include <lib/zx/event.h>
#include <lib/zx/time.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

namespace {

// Makes `wait` call `closure` once `trigger` is asserted on `event`.
void InitWait(async::Wait* wait, fit::closure closure, const zx::event& event,
              zx_signals_t trigger) {
  wait->set_handler([closure = std::move(closure)](async_dispatcher_t*, async::Wait*, zx_status_t,
                                                   const zx_packet_signal_t*) { closure(); });
  wait->set_object(event.get());
  wait->set_trigger(trigger);
}

zx::event MakeEvent() {
  zx::event event;
  EXPECT_EQ(zx::event::create(0, &event), ZX_OK);
  return event;
}

TEST(TestLoopTest, DefaultDispatcherIsSetAndUnset) {
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
  {
    async::TestLoop loop;
    EXPECT_EQ(async_get_default_dispatcher(), loop.dispatcher());
  }
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

TEST(TestLoopTest, DefaultDispatcherIsTheDispatchingLoop) {
  async::TestLoop loop;
  auto other = loop.StartNewLoop();
  async_dispatcher_t* seen_by_main = nullptr;
  async_dispatcher_t* seen_by_other = nullptr;
  async::PostTask(loop.dispatcher(), [&] { seen_by_main = async_get_default_dispatcher(); });
  async::PostTask(other->dispatcher(), [&] { seen_by_other = async_get_default_dispatcher(); });

  loop.RunUntilIdle();
  EXPECT_EQ(seen_by_main, loop.dispatcher());
  EXPECT_EQ(seen_by_other, other->dispatcher());
  EXPECT_EQ(async_get_default_dispatcher(), loop.dispatcher());
}

TEST(TestLoopTest, FakeClockTimeIsCorrect) {
  async::TestLoop loop;
  EXPECT_EQ(loop.Now().get(), 0);
  EXPECT_EQ(async::Now(loop.dispatcher()).get(), 0);

  loop.RunUntilIdle();
  EXPECT_EQ(loop.Now().get(), 0);
  loop.RunFor(zx::nsec(1));
  EXPECT_EQ(loop.Now().get(), 1);
  EXPECT_EQ(async::Now(loop.dispatcher()).get(), 1);
  loop.RunUntil(zx::time() + zx::nsec(3));
  EXPECT_EQ(loop.Now().get(), 3);
  loop.RunFor(zx::nsec(7));
  EXPECT_EQ(loop.Now().get(), 10);
  loop.RunUntil(zx::time() + zx::nsec(12));
  EXPECT_EQ(loop.Now().get(), 12);
  EXPECT_EQ(async::Now(loop.dispatcher()).get(), 12);

  // The clock never moves backwards.
  loop.RunUntil(zx::time() + zx::nsec(10));
  EXPECT_EQ(loop.Now().get(), 12);
  EXPECT_EQ(async::Now(loop.dispatcher()).get(), 12);
}

TEST(TestLoopTest, TasksAreDispatched) {
  async::TestLoop loop;
  bool called = false;
  async::PostDelayedTask(
      loop.dispatcher(), [&called] { called = true; }, zx::sec(2));

  loop.RunFor(zx::sec(1));
  EXPECT_FALSE(called);
  loop.RunFor(zx::sec(1));
  EXPECT_TRUE(called);

  called = false;
  async::PostTask(loop.dispatcher(), [&called] { called = true; });
  loop.RunUntilIdle();
  EXPECT_TRUE(called);
}

TEST(TestLoopTest, SameDeadlinesDispatchInPostingOrder) {
  async::TestLoop loop;
  std::string order;
  async::PostTask(loop.dispatcher(), [&] { order += "a"; });
  async::PostTask(loop.dispatcher(), [&] { order += "b"; });
  loop.RunUntilIdle();
  EXPECT_EQ(order, "ab");

  order.clear();
  async::PostDelayedTask(
      loop.dispatcher(), [&] { order += "c"; }, zx::sec(5));
  async::PostDelayedTask(
      loop.dispatcher(), [&] { order += "d"; }, zx::sec(5));
  async::PostDelayedTask(
      loop.dispatcher(), [&] { order += "e"; }, zx::sec(4));
  loop.RunFor(zx::sec(5));
  EXPECT_EQ(order, "ecd");
}

TEST(TestLoopTest, NestedTasksAreDispatched) {
  async::TestLoop loop;
  bool called = false;
  async::PostTask(loop.dispatcher(), [&] {
    async::PostDelayedTask(
        loop.dispatcher(),
        [&] {
          async::PostDelayedTask(
              loop.dispatcher(), [&] { called = true; }, zx::min(25));
        },
        zx::min(35));
  });

  loop.RunFor(zx::hour(1));
  EXPECT_TRUE(called);
  EXPECT_EQ(loop.Now(), zx::time() + zx::hour(1));
}

TEST(TestLoopTest, TimeIsCorrectWhileDispatching) {
  async::TestLoop loop;
  bool called = false;
  async::PostTask(loop.dispatcher(), [&] {
    EXPECT_EQ(loop.Now().get(), 0);
    async::PostDelayedTask(
        loop.dispatcher(),
        [&] {
          EXPECT_EQ(loop.Now().get(), 10);
          async::PostDelayedTask(
              loop.dispatcher(),
              [&] {
                EXPECT_EQ(loop.Now().get(), 15);
                async::PostTask(loop.dispatcher(), [&] {
                  EXPECT_EQ(loop.Now().get(), 15);
                  called = true;
                });
              },
              zx::nsec(5));
        },
        zx::nsec(10));
  });

  loop.RunFor(zx::nsec(15));
  EXPECT_TRUE(called);
}

TEST(TestLoopTest, TasksAreCanceled) {
  async::TestLoop loop;
  std::string ran;
  async::TaskClosure task_a([&] { ran += "a"; });
  async::TaskClosure task_b([&] { ran += "b"; });
  async::TaskClosure task_c([&] { ran += "c"; });
  ASSERT_EQ(task_a.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(task_b.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(task_c.Post(loop.dispatcher()), ZX_OK);

  ASSERT_EQ(task_a.Cancel(), ZX_OK);
  ASSERT_EQ(task_c.Cancel(), ZX_OK);
  loop.RunUntilIdle();
  EXPECT_EQ(ran, "b");
}

TEST(TestLoopTest, TimeIsAdvanced) {
  async::TestLoop loop;
  bool called = false;
  async::TaskClosure task([&called] { called = true; });
  const zx::time time1 = async::Now(loop.dispatcher());
  ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::duration(1)), ZX_OK);

  loop.RunUntilIdle();
  EXPECT_FALSE(called);
  EXPECT_EQ(async::Now(loop.dispatcher()), time1);

  loop.AdvanceTimeByEpsilon();
  const zx::time time2 = async::Now(loop.dispatcher());
  EXPECT_FALSE(called);  // advancing runs nothing
  EXPECT_GT(time2, time1);

  loop.RunUntilIdle();
  EXPECT_TRUE(called);
  EXPECT_EQ(async::Now(loop.dispatcher()), time2);
}

TEST(TestLoopTest, AdvanceTimeByEpsilonAddsOneNanosecond) {
  async::TestLoop loop;
  loop.RunFor(zx::sec(3));
  loop.AdvanceTimeByEpsilon();
  EXPECT_EQ(loop.Now(), zx::time() + zx::sec(3) + zx::nsec(1));
}

TEST(TestLoopTest, WaitsAreDispatched) {
  async::TestLoop loop;
  zx::event event = MakeEvent();
  async::Wait wait;
  bool called = false;
  InitWait(
      &wait, [&called] { called = true; }, event, ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  loop.RunUntilIdle();
  EXPECT_FALSE(called);
  ASSERT_EQ(event.signal(0, ZX_USER_SIGNAL_1), ZX_OK);  // not a trigger
  loop.RunUntilIdle();
  EXPECT_FALSE(called);
  ASSERT_EQ(event.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  loop.RunUntilIdle();
  EXPECT_TRUE(called);
}

TEST(TestLoopTest, NestedWaitsAreDispatched) {
  async::TestLoop loop;
  zx::event event = MakeEvent();
  async::Wait wait_a;
  async::Wait wait_b;
  async::Wait wait_c;
  std::string called;
  InitWait(
      &wait_c, [&] { called += "c"; }, event, ZX_USER_SIGNAL_2);
  InitWait(
      &wait_b,
      [&] {
        called += "b";
        EXPECT_EQ(wait_c.Begin(loop.dispatcher()), ZX_OK);
      },
      event, ZX_USER_SIGNAL_1);
  InitWait(
      &wait_a,
      [&] {
        called += "a";
        EXPECT_EQ(wait_b.Begin(loop.dispatcher()), ZX_OK);
      },
      event, ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait_a.Begin(loop.dispatcher()), ZX_OK);

  loop.RunUntilIdle();
  EXPECT_EQ(called, "");
  const std::array<zx_signals_t, 3> signals = {ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_1,
                                               ZX_USER_SIGNAL_2};
  const std::array<const char*, 3> expected = {"a", "ab", "abc"};
  for (size_t i = 0; i < signals.size(); ++i) {
    ASSERT_EQ(event.signal(0, signals[i]), ZX_OK);
    loop.RunUntilIdle();
    EXPECT_EQ(called, expected[i]);
  }
}

TEST(TestLoopTest, WaitsAreCanceled) {
  async::TestLoop loop;
  zx::event event = MakeEvent();
  async::Wait wait_a;
  async::Wait wait_b;
  async::Wait wait_c;
  std::string called;
  InitWait(
      &wait_a, [&] { called += "a"; }, event, ZX_USER_SIGNAL_0);
  InitWait(
      &wait_b, [&] { called += "b"; }, event, ZX_USER_SIGNAL_0);
  InitWait(
      &wait_c, [&] { called += "c"; }, event, ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait_a.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait_b.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait_c.Begin(loop.dispatcher()), ZX_OK);

  ASSERT_EQ(wait_a.Cancel(), ZX_OK);
  ASSERT_EQ(wait_c.Cancel(), ZX_OK);
  ASSERT_EQ(event.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  loop.RunUntilIdle();
  EXPECT_EQ(called, "b");
}

TEST(TestLoopTest, NestedTasksAndWaitsAreDispatched) {
  async::TestLoop loop;
  zx::event event = MakeEvent();
  async::Wait wait;
  bool wait_begun = false;
  bool wait_dispatched = false;
  bool inner_task_dispatched = false;
  InitWait(
      &wait,
      [&] {
        async::PostDelayedTask(
            loop.dispatcher(), [&] { inner_task_dispatched = true; }, zx::min(2));
        wait_dispatched = true;
      },
      event, ZX_USER_SIGNAL_0);
  async::PostDelayedTask(
      loop.dispatcher(),
      [&] {
        wait.Begin(loop.dispatcher());
        wait_begun = true;
      },
      zx::min(3));

  loop.RunFor(zx::min(3));
  EXPECT_TRUE(wait_begun);
  EXPECT_FALSE(wait_dispatched);
  ASSERT_EQ(event.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  loop.RunUntilIdle();
  EXPECT_TRUE(wait_dispatched);
  EXPECT_FALSE(inner_task_dispatched);
  loop.RunFor(zx::min(2));
  EXPECT_TRUE(inner_task_dispatched);
}

TEST(TestLoopTest, RunUntilIdleRunsWhatHandlersMakeDueButDoesNotMoveTheClock) {
  async::TestLoop loop;
  int chain = 0;
  fit::closure step;
  step = [&] {
    if (++chain < 5) {
      async::PostTask(loop.dispatcher(), [&] { step(); });
    }
  };
  async::PostTask(loop.dispatcher(), [&] { step(); });
  bool future_ran = false;
  async::PostDelayedTask(
      loop.dispatcher(), [&] { future_ran = true; }, zx::nsec(1));

  EXPECT_TRUE(loop.RunUntilIdle());
  EXPECT_EQ(chain, 5);
  EXPECT_FALSE(future_ran);
  EXPECT_EQ(loop.Now().get(), 0);
  EXPECT_FALSE(loop.RunUntilIdle());  // nothing left to run
}

TEST(TestLoopTest, RunReturnsWhetherAnyHandlerRan) {
  async::TestLoop loop;
  EXPECT_FALSE(loop.RunFor(zx::sec(1)));
  async::PostDelayedTask(
      loop.dispatcher(), [] {}, zx::sec(2));
  EXPECT_FALSE(loop.RunFor(zx::sec(1)));
  EXPECT_TRUE(loop.RunFor(zx::sec(1)));
}

TEST(TestLoopTest, QuitEndsTheRunAfterTheCurrentHandler) {
  async::TestLoop loop;
  std::string ran;
  async::PostTask(loop.dispatcher(), [&] {
    ran += "a";
    loop.Quit();
  });
  async::PostTask(loop.dispatcher(), [&] { ran += "b"; });
  async::PostDelayedTask(
      loop.dispatcher(), [&] { ran += "c"; }, zx::sec(1));

  EXPECT_TRUE(loop.RunFor(zx::sec(5)));
  EXPECT_EQ(ran, "a");
  EXPECT_EQ(loop.Now().get(), 0);  // the clock stays where the run stopped

  EXPECT_TRUE(loop.RunFor(zx::sec(5)));  // the quit request was cleared
  EXPECT_EQ(ran, "abc");
  EXPECT_EQ(loop.Now(), zx::time() + zx::sec(5));
}

TEST(TestLoopTest, QuitBeforeRunningMakesTheNextRunReturnAtOnce) {
  async::TestLoop loop;
  bool ran = false;
  async::PostTask(loop.dispatcher(), [&] { ran = true; });
  loop.Quit();
  EXPECT_FALSE(loop.RunFor(zx::sec(1)));
  EXPECT_FALSE(ran);
  EXPECT_EQ(loop.Now().get(), 0);

  EXPECT_TRUE(loop.RunUntilIdle());
  EXPECT_TRUE(ran);
}

TEST(TestLoopTest, RunRepeatedlyForRunsUntilAnIncrementRunsNothing) {
  async::TestLoop loop;
  int ticks = 0;
  fit::closure tick;
  tick = [&] {
    if (++ticks < 10) {
      async::PostDelayedTask(
          loop.dispatcher(), [&] { tick(); }, zx::sec(1));
    }
  };
  async::PostDelayedTask(
      loop.dispatcher(), [&] { tick(); }, zx::sec(1));

  loop.RunRepeatedlyFor(zx::sec(1));
  EXPECT_EQ(ticks, 10);
  // Ten increments ran a tick each; the eleventh ran nothing and ended the loop.
  EXPECT_EQ(loop.Now(), zx::time() + zx::sec(11));
}

TEST(TestLoopTest, DestructionCancelsPendingWork) {
  zx::event event = MakeEvent();
  std::vector<zx_status_t> statuses;
  async::Wait wait(
      event.get(), ZX_USER_SIGNAL_0,
      [&](async_dispatcher_t*, async::Wait*, zx_status_t status, const zx_packet_signal_t* signal) {
        statuses.push_back(status);
        EXPECT_EQ(signal, nullptr);
      });
  async::Task task(
      [&](async_dispatcher_t*, async::Task*, zx_status_t status) { statuses.push_back(status); });
  {
    async::TestLoop loop;
    ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
    ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::sec(1)), ZX_OK);
  }
  EXPECT_EQ(statuses, (std::vector<zx_status_t>{ZX_ERR_CANCELED, ZX_ERR_CANCELED}));
  EXPECT_FALSE(wait.is_pending());
  EXPECT_FALSE(task.is_pending());
}

TEST(TestLoopTest, TasksAreDispatchedOnManyLoops) {
  async::TestLoop loop;
  auto loop_a = loop.StartNewLoop();
  auto loop_b = loop.StartNewLoop();
  auto loop_c = loop.StartNewLoop();
  std::string ran;
  async::TaskClosure task_c([&] { ran += "c"; });
  async::PostTask(loop_b->dispatcher(), [&] { ran += "b"; });
  async::PostDelayedTask(
      loop.dispatcher(), [&] { ran += "main"; }, zx::sec(1));
  ASSERT_EQ(task_c.PostDelayed(loop_c->dispatcher(), zx::sec(1)), ZX_OK);
  async::PostDelayedTask(
      loop_a->dispatcher(), [&] { ran += "a"; }, zx::sec(2));

  loop.RunUntilIdle();
  EXPECT_EQ(ran, "b");
  ASSERT_EQ(task_c.Cancel(), ZX_OK);
  loop.RunFor(zx::sec(1));
  EXPECT_EQ(ran, "bmain");
  loop.RunFor(zx::sec(1));
  EXPECT_EQ(ran, "bmaina");
}

TEST(TestLoopTest, WaitsAreDispatchedOnManyLoops) {
  async::TestLoop loop;
  auto loop_a = loop.StartNewLoop();
  auto loop_b = loop.StartNewLoop();
  zx::event event = MakeEvent();
  async::Wait wait;
  async::Wait wait_a;
  async::Wait wait_b;
  std::vector<std::string> called;
  InitWait(
      &wait, [&] { called.push_back("main"); }, event, ZX_USER_SIGNAL_0);
  InitWait(
      &wait_a, [&] { called.push_back("a"); }, event, ZX_USER_SIGNAL_0);
  InitWait(
      &wait_b, [&] { called.push_back("b"); }, event, ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait_a.Begin(loop_a->dispatcher()), ZX_OK);
  ASSERT_EQ(wait_b.Begin(loop_b->dispatcher()), ZX_OK);

  ASSERT_EQ(wait_b.Cancel(), ZX_OK);
  ASSERT_EQ(event.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  loop.RunUntilIdle();
  std::sort(called.begin(), called.end());
  EXPECT_EQ(called, (std::vector<std::string>{"a", "main"}));
}

TEST(TestLoopTest, DestroyingALoopCancelsItsWork) {
  async::TestLoop loop;
  auto other = loop.StartNewLoop();
  zx_status_t status = ZX_ERR_INTERNAL;
  async::Task task([&](async_dispatcher_t*, async::Task*, zx_status_t s) { status = s; });
  ASSERT_EQ(task.PostDelayed(other->dispatcher(), zx::sec(1)), ZX_OK);
  other.reset();
  EXPECT_EQ(status, ZX_ERR_CANCELED);
  EXPECT_FALSE(loop.RunFor(zx::sec(2)));
}

TEST(TestLoopDeathTest, RunsDoNotNest) {
  EXPECT_DEATH(
      {
        async::TestLoop loop;
        async::PostTask(loop.dispatcher(), [&] { loop.RunUntilIdle(); });
        loop.RunUntilIdle();
      },
      "do not nest");
}

}  // namespace
