// Waits on a single-threaded loop: completion, signal packets, one-shot semantics, cascades,
// cancellation and handler freedom.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>
#include <zircon/rights.h>

#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::MakeEvent;
using async_loop_test::TestWait;

TEST(LoopWaitTest, AssertedSignalCompletesWithinRunUntilIdle) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(wait.last_status, ZX_OK);
  EXPECT_FALSE(wait.last_signal_was_null);
}

TEST(LoopWaitTest, WaitCompletesOnlyOnceItsSignalIsAsserted) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_1), ZX_OK);  // not the trigger

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 0);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);
}

TEST(LoopWaitTest, AnyOneSignalOfTheTriggerCompletesTheWait) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_2);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_2), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(wait.last_signal.trigger, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_2);
  EXPECT_EQ(wait.last_signal.observed & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_2);
}

TEST(LoopWaitTest, SignalPacketHoldsTheTriggerAndTheWholeObservedState) {
  zx::event event = MakeEvent();
  async_dispatcher_t* seen_dispatcher = nullptr;
  TestWait wait(event.get(), ZX_USER_SIGNAL_0,
                [&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_signal_t*) {
                  seen_dispatcher = dispatcher;
                });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(wait.run_count, 1);
  EXPECT_EQ(seen_dispatcher, loop.dispatcher());
  EXPECT_EQ(wait.last_signal.trigger, ZX_USER_SIGNAL_0);
  // Not masked by the trigger: the other asserted user signal shows too.
  EXPECT_EQ(wait.last_signal.observed & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
  EXPECT_EQ(wait.last_signal.count, 1u);
}

TEST(LoopWaitTest, WaitIsOneShot) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  // The signal stays asserted, yet the handler runs only once.
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(event.signal(ZX_USER_SIGNAL_0, 0u), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
}

TEST(LoopWaitTest, CascadedSignalsCompleteWithinOneRunUntilIdle) {
  zx::event event = MakeEvent();
  std::vector<int> order;
  auto signal_next = [&](int id, zx_signals_t next) {
    return [&order, &event, id, next](async_dispatcher_t*, zx_status_t, const zx_packet_signal_t*) {
      order.push_back(id);
      EXPECT_EQ(event.signal(0u, next), ZX_OK);
    };
  };
  TestWait first(event.get(), ZX_USER_SIGNAL_0, signal_next(1, ZX_USER_SIGNAL_1));
  TestWait second(event.get(), ZX_USER_SIGNAL_1, signal_next(2, ZX_USER_SIGNAL_2));
  TestWait third(event.get(), ZX_USER_SIGNAL_2, signal_next(3, 0u));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(third.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(first.Begin(loop.dispatcher()), ZX_OK);

  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(LoopWaitTest, HandlerMayBeginItsWaitAgain) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  wait.callback = [&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_signal_t*) {
    if (wait.run_count < 3) {
      EXPECT_EQ(wait.Begin(dispatcher), ZX_OK);  // still asserted: completes again at once
    }
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 3);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 3);
}

TEST(LoopWaitTest, RearmedWaitCompletesOnTheNextSignal) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  wait.callback = [&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_signal_t*) {
    EXPECT_EQ(event.signal(ZX_USER_SIGNAL_0, 0u), ZX_OK);
    EXPECT_EQ(wait.Begin(dispatcher), ZX_OK);
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  for (int i = 1; i <= 3; i++) {
    ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
    EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
    EXPECT_EQ(wait.run_count, i);
  }
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_OK);
}

TEST(LoopWaitTest, CancelBeforeTheSignalStopsTheWait) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  loop.Shutdown();
  EXPECT_EQ(wait.run_count, 0);
}

TEST(LoopWaitTest, CancelOfACompletedButUndispatchedWaitStopsIt) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);  // its completion is already queued

  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  loop.Shutdown();
  EXPECT_EQ(wait.run_count, 0);
}

TEST(LoopWaitTest, CancelAfterCompletionReturnsNotFound) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(loop.RunUntilIdle(), ZX_OK);

  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(wait.run_count, 1);
}

TEST(LoopWaitTest, CancelOfANeverBegunWaitReturnsNotFound) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
}

TEST(LoopWaitTest, CancelledWaitCanBeBegunAgain) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Cancel(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);
}

TEST(LoopWaitTest, HandlerCancellingItsOwnWaitGetsNotFound) {
  zx::event event = MakeEvent();
  zx_status_t cancel_status = ZX_ERR_INTERNAL;
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  wait.callback = [&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_signal_t*) {
    cancel_status = wait.Cancel(dispatcher);
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(cancel_status, ZX_ERR_NOT_FOUND);
}

TEST(LoopWaitTest, HandleWithoutWaitRightIsRefusedWithAccessDenied) {
  zx::event event = MakeEvent();
  zx::event unwaitable;
  ASSERT_EQ(event.duplicate(ZX_RIGHT_SIGNAL | ZX_RIGHT_TRANSFER, &unwaitable), ZX_OK);
  TestWait wait(unwaitable.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  loop.Shutdown();
  EXPECT_EQ(wait.run_count, 0);
}

TEST(LoopWaitTest, HandleReplacedWithNoRightsIsRefusedWithAccessDenied) {
  zx::event event = MakeEvent();
  ASSERT_EQ(event.replace(ZX_RIGHT_NONE, &event), ZX_OK);
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 0);
}

TEST(LoopWaitTest, TwoWaitsOnOneObjectBothComplete) {
  zx::event event = MakeEvent();
  TestWait first(event.get(), ZX_USER_SIGNAL_0);
  TestWait second(event.get(), ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Begin(loop.dispatcher()), ZX_OK);

  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(first.run_count, 1);
  EXPECT_EQ(second.run_count, 1);
}

// A wait that frees itself from its handler.
struct SelfDeletingWait : async_wait_t {
  int* runs = nullptr;

  static void Handle(async_dispatcher_t*, async_wait_t* wait, zx_status_t status,
                     const zx_packet_signal_t* signal) {
    auto* self = static_cast<SelfDeletingWait*>(wait);
    int* runs = self->runs;
    delete self;
    EXPECT_EQ(status, ZX_OK);
    EXPECT_NE(signal, nullptr);
    ++*runs;
  }
};

TEST(LoopWaitTest, HandlerMayDeleteItsOwnWait) {
  zx::event event = MakeEvent();
  int runs = 0;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < 3; i++) {
    auto* wait = new SelfDeletingWait{};
    wait->handler = &SelfDeletingWait::Handle;
    wait->object = event.get();
    wait->trigger = ZX_USER_SIGNAL_0;
    wait->runs = &runs;
    ASSERT_EQ(async_begin_wait(loop.dispatcher(), wait), ZX_OK);
  }

  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(runs, 3);
  loop.Shutdown();
  EXPECT_EQ(runs, 3);
}

TEST(LoopWaitTest, WaitWhoseHandleWasClosedIsCancelledOnlyAtShutdown) {
  zx::event event = MakeEvent();
  zx::event duplicate;
  ASSERT_EQ(event.duplicate(ZX_RIGHT_SAME_RIGHTS, &duplicate), ZX_OK);
  TestWait wait(duplicate.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  // Closing the waited handle drops the kernel-side wait; the loop still counts it as pending.
  duplicate.reset();
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 0);
  loop.Shutdown();
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(wait.last_status, ZX_ERR_CANCELED);
}

}  // namespace
