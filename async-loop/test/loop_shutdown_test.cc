// Shutdown and destroy: what gets ZX_ERR_CANCELED, in which order, on which thread, exactly once,
// and what the loop accepts afterwards.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::Counter;
using async_loop_test::FarFuture;
using async_loop_test::MakeEvent;
using async_loop_test::QuitLoop;
using async_loop_test::TestReceiver;
using async_loop_test::TestTask;
using async_loop_test::TestWait;

TestTask::Callback RecordTask(std::vector<std::string>* order, std::string name) {
  return [order, name](async_dispatcher_t*, zx_status_t) { order->push_back(name); };
}

TestWait::Callback RecordWait(std::vector<std::string>* order, std::string name) {
  return [order, name](async_dispatcher_t*, zx_status_t, const zx_packet_signal_t*) {
    order->push_back(name);
  };
}

TEST(LoopShutdownTest, PendingWaitsAreCancelledNewestFirst) {
  zx::event event = MakeEvent();
  std::vector<std::string> order;
  TestWait first(event.get(), ZX_USER_SIGNAL_0, RecordWait(&order, "first"));
  TestWait second(event.get(), ZX_USER_SIGNAL_1, RecordWait(&order, "second"));
  TestWait third(event.get(), ZX_USER_SIGNAL_0, RecordWait(&order, "third"));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (TestWait* wait : {&first, &second, &third}) {
    ASSERT_EQ(wait->Begin(loop.dispatcher()), ZX_OK);
  }

  loop.Shutdown();
  EXPECT_EQ(order, (std::vector<std::string>{"third", "second", "first"}));
  for (TestWait* wait : {&first, &second, &third}) {
    EXPECT_EQ(wait->run_count, 1);
    EXPECT_EQ(wait->last_status, ZX_ERR_CANCELED);
    EXPECT_TRUE(wait->last_signal_was_null);
  }
}

TEST(LoopShutdownTest, PendingTasksAreCancelledInDeadlineOrder) {
  std::vector<std::string> order;
  TestTask never(ZX_TIME_INFINITE, RecordTask(&order, "infinite"));
  TestTask late(FarFuture(ZX_HOUR(1)), RecordTask(&order, "late"));
  TestTask soon_a(FarFuture(), RecordTask(&order, "soon a"));
  TestTask soon_b(soon_a.deadline, RecordTask(&order, "soon b"));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (TestTask* task : {&never, &late, &soon_a, &soon_b}) {
    ASSERT_EQ(task->Post(loop.dispatcher()), ZX_OK);
  }

  loop.Shutdown();
  EXPECT_EQ(order, (std::vector<std::string>{"soon a", "soon b", "late", "infinite"}));
  for (TestTask* task : {&never, &late, &soon_a, &soon_b}) {
    EXPECT_EQ(task->run_count, 1);
    EXPECT_EQ(task->last_status, ZX_ERR_CANCELED);
  }
}

TEST(LoopShutdownTest, WaitsFirstThenLeftoverDueTasksThenPendingTasks) {
  zx::event event = MakeEvent();
  std::vector<std::string> order;
  TestTask quitter(10, [](async_dispatcher_t* dispatcher, zx_status_t status) {
    if (status == ZX_OK) {
      QuitLoop(dispatcher);
    }
  });
  TestTask due_a(20, RecordTask(&order, "due a"));
  TestTask due_b(30, RecordTask(&order, "due b"));
  TestTask earlier(1, RecordTask(&order, "pending earlier"));
  TestTask later(FarFuture(), RecordTask(&order, "pending later"));
  TestWait wait(event.get(), ZX_USER_SIGNAL_0, RecordWait(&order, "wait"));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (TestTask* task : {&quitter, &due_a, &due_b}) {
    ASSERT_EQ(task->Post(loop.dispatcher()), ZX_OK);
  }
  ASSERT_EQ(loop.Run(), ZX_ERR_CANCELED);  // `due_a` and `due_b` are left over from the batch
  ASSERT_EQ(later.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(earlier.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(order, (std::vector<std::string>{"wait", "due a", "due b", "pending earlier",
                                             "pending later"}));
  EXPECT_EQ(quitter.run_count, 1);
  EXPECT_EQ(quitter.last_status, ZX_OK);
}

TEST(LoopShutdownTest, EachPendingItemIsCancelledExactlyOnce) {
  zx::event event = MakeEvent();
  TestTask task(FarFuture());
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  loop.Shutdown();  // idempotent
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_SHUTDOWN);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
}

TEST(LoopShutdownTest, CompletedWaitIsCancelledOnlyIfItWasBegunAgain) {
  zx::event event = MakeEvent();
  TestWait once(event.get(), ZX_USER_SIGNAL_0);
  TestWait again(event.get(), ZX_USER_SIGNAL_0);
  again.callback = [&](async_dispatcher_t* dispatcher, zx_status_t status,
                       const zx_packet_signal_t*) {
    if (status == ZX_OK) {
      EXPECT_EQ(event.signal(ZX_USER_SIGNAL_0, 0u), ZX_OK);
      EXPECT_EQ(again.Begin(dispatcher), ZX_OK);
    }
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(once.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(again.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(loop.RunUntilIdle(), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(once.run_count, 1);
  EXPECT_EQ(once.last_status, ZX_OK);
  EXPECT_EQ(again.run_count, 2);
  EXPECT_EQ(again.last_status, ZX_ERR_CANCELED);
}

TEST(LoopShutdownTest, RanOrCancelledItemsAreNotCancelledAgain) {
  zx::event event = MakeEvent();
  TestTask ran;
  TestTask cancelled(FarFuture());
  TestWait cancelled_wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(ran.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(cancelled.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(cancelled_wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(cancelled.Cancel(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(cancelled_wait.Cancel(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(ran.run_count, 1);
  EXPECT_EQ(ran.last_status, ZX_OK);
  EXPECT_EQ(cancelled.run_count, 0);
  EXPECT_EQ(cancelled_wait.run_count, 0);
}

TEST(LoopShutdownTest, NewWorkIsRefusedAfterShutdown) {
  zx::event event = MakeEvent();
  TestTask task;
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  TestReceiver receiver;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(task.Post(loop.dispatcher()), ZX_ERR_BAD_STATE);
  EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_ERR_BAD_STATE);
  EXPECT_EQ(receiver.Queue(loop.dispatcher()), ZX_ERR_BAD_STATE);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(loop.StartThread(), ZX_ERR_BAD_STATE);
  loop.JoinThreads();  // nothing to join
  EXPECT_EQ(task.run_count + wait.run_count, 0);
  EXPECT_EQ(receiver.delivery_count(), 0u);
}

TEST(LoopShutdownTest, CancellationHandlersCannotStartNewWork) {
  zx::event event = MakeEvent();
  TestTask new_task;
  TestWait new_wait(event.get(), ZX_USER_SIGNAL_0);
  TestReceiver receiver;
  std::vector<zx_status_t> statuses;
  TestTask task(FarFuture(), [&](async_dispatcher_t* dispatcher, zx_status_t) {
    statuses.push_back(new_task.Post(dispatcher));
    statuses.push_back(new_wait.Begin(dispatcher));
    statuses.push_back(receiver.Queue(dispatcher));
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(statuses, (std::vector<zx_status_t>(3, ZX_ERR_BAD_STATE)));
  EXPECT_EQ(new_task.run_count + new_wait.run_count, 0);
  EXPECT_EQ(receiver.delivery_count(), 0u);
}

TEST(LoopShutdownTest, CancellingAnItemNotYetReachedStopsItsCancellation) {
  zx::event event = MakeEvent();
  std::vector<zx_status_t> statuses;
  TestTask later_task(FarFuture(ZX_HOUR(1)));
  TestWait older_wait(event.get(), ZX_USER_SIGNAL_0);
  TestWait newer_wait(event.get(), ZX_USER_SIGNAL_0,
                      [&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_signal_t*) {
                        statuses.push_back(older_wait.Cancel(dispatcher));
                      });
  TestTask first_task(FarFuture(), [&](async_dispatcher_t* dispatcher, zx_status_t) {
    statuses.push_back(later_task.Cancel(dispatcher));
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(older_wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(newer_wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(later_task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(first_task.Post(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(statuses, (std::vector<zx_status_t>{ZX_OK, ZX_OK}));
  EXPECT_EQ(newer_wait.run_count, 1);
  EXPECT_EQ(first_task.run_count, 1);
  EXPECT_EQ(older_wait.run_count, 0);
  EXPECT_EQ(later_task.run_count, 0);
}

TEST(LoopShutdownTest, CancellationHandlerCancellingItselfGetsNotFound) {
  zx::event event = MakeEvent();
  std::vector<zx_status_t> statuses;
  TestTask task(FarFuture());
  task.callback = [&](async_dispatcher_t* dispatcher, zx_status_t) {
    statuses.push_back(task.Cancel(dispatcher));
  };
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  wait.callback = [&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_signal_t*) {
    statuses.push_back(wait.Cancel(dispatcher));
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(statuses, (std::vector<zx_status_t>{ZX_ERR_NOT_FOUND, ZX_ERR_NOT_FOUND}));
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(wait.run_count, 1);
}

TEST(LoopShutdownTest, DestroyImpliesShutdown) {
  zx::event event = MakeEvent();
  TestTask task(FarFuture());
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async_loop_t* loop = nullptr;
  ASSERT_EQ(async_loop_create(&kAsyncLoopConfigNoAttachToThread, &loop), ZX_OK);
  ASSERT_EQ(task.Post(async_loop_get_dispatcher(loop)), ZX_OK);
  ASSERT_EQ(wait.Begin(async_loop_get_dispatcher(loop)), ZX_OK);

  async_loop_destroy(loop);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(task.last_status, ZX_ERR_CANCELED);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(wait.last_status, ZX_ERR_CANCELED);
}

TEST(LoopShutdownTest, DestroyAfterShutdownCancelsNothingMore) {
  TestTask task(FarFuture());
  async_loop_t* loop = nullptr;
  ASSERT_EQ(async_loop_create(&kAsyncLoopConfigNoAttachToThread, &loop), ZX_OK);
  ASSERT_EQ(task.Post(async_loop_get_dispatcher(loop)), ZX_OK);

  async_loop_shutdown(loop);
  EXPECT_EQ(task.run_count, 1);
  async_loop_destroy(loop);
  EXPECT_EQ(task.run_count, 1);
}

TEST(LoopShutdownTest, CancellationsRunOnTheThreadThatShutsDown) {
  std::thread::id handler_thread;
  TestTask task(FarFuture(), [&](async_dispatcher_t*, zx_status_t) {
    handler_thread = std::this_thread::get_id();
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(loop.StartThread(), ZX_OK);
  ASSERT_EQ(loop.StartThread(), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(task.last_status, ZX_ERR_CANCELED);
  EXPECT_EQ(handler_thread, std::this_thread::get_id());
}

// Sets `*exited` when the thread that created it ends (thread_local destructors run at exit).
struct ThreadExitMarker {
  std::atomic<int>* exited = nullptr;
  // release: pairs with the acquire load of the thread that checks after the join.
  ~ThreadExitMarker() {
    if (exited != nullptr) {
      exited->fetch_add(1, std::memory_order_release);
    }
  }
};

TEST(LoopShutdownTest, ShutdownJoinsTheLoopThreads) {
  std::atomic<int> exited{0};
  Counter marked;
  TestTask mark(0, [&](async_dispatcher_t*, zx_status_t status) {
    if (status == ZX_OK) {
      thread_local ThreadExitMarker marker;
      marker.exited = &exited;
      marked.Increment();
    }
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(loop.StartThread("joined"), ZX_OK);
  ASSERT_EQ(mark.Post(loop.dispatcher()), ZX_OK);
  ASSERT_TRUE(marked.WaitFor(1));

  loop.Shutdown();
  EXPECT_EQ(exited.load(std::memory_order_acquire),
            1);  // the thread ended before Shutdown returned
}

}  // namespace
