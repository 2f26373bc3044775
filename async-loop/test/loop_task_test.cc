// Tasks on a single-threaded loop: ordering, batches, cancellation and handler freedom.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/zx/time.h>

#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::QuitLoop;
using async_loop_test::TestTask;

// Deadlines below are small absolute times: long past, so every task is due at once, and their
// order is what the tests compare.

// Returns a callback that appends `id` to `order`.
TestTask::Callback Record(std::vector<int>* order, int id) {
  return [order, id](async_dispatcher_t*, zx_status_t) { order->push_back(id); };
}

TEST(LoopTaskTest, DueTaskRunsOnceWithinRunUntilIdle) {
  TestTask task(zx_clock_get_monotonic());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(task.last_status, ZX_OK);
  EXPECT_EQ(task.last_dispatcher, loop.dispatcher());
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
}

TEST(LoopTaskTest, TasksRunInDeadlineOrder) {
  std::vector<int> order;
  TestTask first(30, Record(&order, 1));
  TestTask second(10, Record(&order, 2));
  TestTask third(20, Record(&order, 3));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(third.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{2, 3, 1}));
}

TEST(LoopTaskTest, TasksWithEqualDeadlinesRunInPostingOrder) {
  std::vector<int> order;
  std::vector<std::unique_ptr<TestTask>> tasks;
  for (int i = 0; i < 8; i++) {
    tasks.push_back(std::make_unique<TestTask>(5, Record(&order, i)));
  }
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (auto& task : tasks) {
    ASSERT_EQ(task->Post(loop.dispatcher()), ZX_OK);
  }

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(LoopTaskTest, EqualDeadlinesKeepPostingOrderAmongOtherDeadlines) {
  std::vector<int> order;
  std::vector<std::unique_ptr<TestTask>> tasks;
  const zx_time_t deadlines[] = {20, 10, 20, 10, 5, 20};
  for (int i = 0; i < 6; i++) {
    tasks.push_back(std::make_unique<TestTask>(deadlines[i], Record(&order, i)));
  }
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (auto& task : tasks) {
    ASSERT_EQ(task->Post(loop.dispatcher()), ZX_OK);
  }

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{4, 1, 3, 0, 2, 5}));
}

TEST(LoopTaskTest, TaskPostedDuringDispatchRunsAfterTheDueBatch) {
  std::vector<int> order;
  TestTask earlier(1, Record(&order, 4));  // due, and earlier than the whole batch
  TestTask first(10, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    order.push_back(1);
    EXPECT_EQ(earlier.Post(dispatcher), ZX_OK);
  });
  TestTask second(20, Record(&order, 2));
  TestTask third(30, Record(&order, 3));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(third.Post(loop.dispatcher()), ZX_OK);

  // One unit of work runs the batch that was due; the new task waits for a later unit.
  EXPECT_EQ(loop.Run(zx::time::infinite(), true), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(LoopTaskTest, QuitDuringABatchLeavesTheRestToRunBeforeNewerTasks) {
  std::vector<int> order;
  TestTask quitter(10, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    order.push_back(1);
    QuitLoop(dispatcher);
  });
  TestTask second(20, Record(&order, 2));
  TestTask third(30, Record(&order, 3));
  TestTask earlier(1, Record(&order, 4));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(quitter.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(third.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(order, (std::vector<int>{1}));

  // The left-over due tasks go first, even though `earlier` has the earliest deadline.
  ASSERT_EQ(earlier.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(loop.ResetQuit(), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(LoopTaskTest, CancelledTaskNeverRuns) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 0);
  loop.Shutdown();
  EXPECT_EQ(task.run_count, 0);
}

TEST(LoopTaskTest, CancelOfANeverPostedTaskReturnsNotFound) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
}

TEST(LoopTaskTest, CancelAfterTheTaskRanReturnsNotFound) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(task.run_count, 1);

  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
}

TEST(LoopTaskTest, CancelledTaskCanBePostedAgain) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(task.Cancel(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
}

TEST(LoopTaskTest, HandlerCancellingItsOwnTaskGetsNotFound) {
  zx_status_t cancel_status = ZX_ERR_INTERNAL;
  TestTask task;
  task.callback = [&](async_dispatcher_t* dispatcher, zx_status_t) {
    cancel_status = task.Cancel(dispatcher);
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(cancel_status, ZX_ERR_NOT_FOUND);
}

TEST(LoopTaskTest, HandlerCancellingALaterDueTaskStopsIt) {
  std::vector<int> order;
  zx_status_t cancel_status = ZX_ERR_INTERNAL;
  TestTask second(20, Record(&order, 2));
  TestTask first(10, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    order.push_back(1);
    cancel_status = second.Cancel(dispatcher);
  });
  TestTask third(30, Record(&order, 3));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(third.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(cancel_status, ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 3}));
  EXPECT_EQ(second.run_count, 0);
}

TEST(LoopTaskTest, DelayedTaskRunsOnlyAfterItsDeadline) {
  const zx_time_t deadline = zx_deadline_after(ZX_MSEC(20));
  zx_time_t ran_at = 0;
  TestTask delayed(deadline, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    ran_at = async_now(dispatcher);
    QuitLoop(dispatcher);
  });
  TestTask due;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(delayed.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(due.Post(loop.dispatcher()), ZX_OK);

  zx_status_t idle_status = loop.RunUntilIdle();
  EXPECT_EQ(due.run_count, 1);
  if (delayed.run_count == 0) {  // always, unless the machine stalled past the deadline
    EXPECT_EQ(idle_status, ZX_OK);
    EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  }
  EXPECT_EQ(delayed.run_count, 1);
  EXPECT_GE(ran_at, deadline);
}

TEST(LoopTaskTest, TaskAtAnInfiniteDeadlineNeverComesDue) {
  TestTask task(ZX_TIME_INFINITE);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(loop.Run(zx::deadline_after(zx::msec(5))), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(task.run_count, 0);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_OK);
}

TEST(LoopTaskTest, CancellingTheEarliestTaskLetsTheNextOneRun) {
  TestTask later(zx_deadline_after(ZX_MSEC(10)),
                 [](async_dispatcher_t* dispatcher, zx_status_t) { QuitLoop(dispatcher); });
  TestTask earliest(zx_deadline_after(ZX_MSEC(5)));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(later.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(earliest.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(earliest.Cancel(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(later.run_count, 1);
  EXPECT_EQ(earliest.run_count, 0);
}

TEST(LoopTaskTest, CancellingTheOnlyTaskLeavesTheLoopIdle) {
  TestTask cancelled;
  TestTask next;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(cancelled.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(cancelled.Cancel(loop.dispatcher()), ZX_OK);

  // A timer left armed for the cancelled task may cause an empty dispatch; nothing else happens.
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(loop.Run(zx::deadline_after(zx::msec(5))), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(cancelled.run_count, 0);
  ASSERT_EQ(next.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(next.run_count, 1);
}

// A task that frees itself from its handler, leaving the loop nothing to touch afterwards.
struct SelfDeletingTask : async_task_t {
  int* runs = nullptr;

  static void Handle(async_dispatcher_t*, async_task_t* task, zx_status_t status) {
    auto* self = static_cast<SelfDeletingTask*>(task);
    int* runs = self->runs;
    delete self;
    EXPECT_EQ(status, ZX_OK);
    ++*runs;
  }
};

TEST(LoopTaskTest, HandlerMayDeleteItsOwnTask) {
  int runs = 0;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < 3; i++) {
    auto* task = new SelfDeletingTask{};
    task->handler = &SelfDeletingTask::Handle;
    task->runs = &runs;
    ASSERT_EQ(async_post_task(loop.dispatcher(), task), ZX_OK);
  }

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(runs, 3);
  loop.Shutdown();
  EXPECT_EQ(runs, 3);
}

TEST(LoopTaskTest, HandlerMayPostItsOwnTaskAgain) {
  TestTask task;
  task.callback = [&](async_dispatcher_t* dispatcher, zx_status_t) {
    if (task.run_count < 4) {
      task.deadline = async_now(dispatcher);
      EXPECT_EQ(task.Post(dispatcher), ZX_OK);
    }
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 4);
  EXPECT_EQ(task.last_status, ZX_OK);
}

}  // namespace

// Tasks that come due while a batch runs form the next batch, and the loop goes on with it
// without waiting for its timer: but never ahead of a packet already queued, which is the order
// the seed reaches through its timer packet.
namespace chained_batches {

using async_loop_test::TestReceiver;

TEST(LoopTaskTest, APacketQueuedDuringABatchRunsBeforeTheNextBatch) {
  std::vector<int> order;
  TestReceiver receiver(
      [&](async_dispatcher_t*, zx_status_t, const zx_packet_user_t*) { order.push_back(2); });
  TestTask second(1, Record(&order, 3));
  TestTask first(1, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    order.push_back(1);
    EXPECT_EQ(receiver.Queue(dispatcher), ZX_OK);
    EXPECT_EQ(second.Post(dispatcher), ZX_OK);
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(LoopTaskTest, AChainOfTasksRunsInOrderWithinRunUntilIdle) {
  constexpr int kLinks = 10000;
  int ran = 0;
  TestTask link(1);
  link.callback = [&](async_dispatcher_t* dispatcher, zx_status_t status) {
    EXPECT_EQ(status, ZX_OK);
    if (++ran < kLinks) {
      EXPECT_EQ(link.Post(dispatcher), ZX_OK);
    }
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(link.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(ran, kLinks);
  EXPECT_EQ(link.run_count, kLinks);
}

TEST(LoopTaskTest, QuitInAChainedBatchStopsTheChain) {
  int ran = 0;
  TestTask link(1);
  link.callback = [&](async_dispatcher_t* dispatcher, zx_status_t) {
    if (++ran == 5) {
      QuitLoop(dispatcher);
    }
    EXPECT_EQ(link.Post(dispatcher), ZX_OK);
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(link.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(ran, 5);
  // The link posted by the fifth run is still pending, and runs once the loop runs again.
  ASSERT_EQ(loop.ResetQuit(), ZX_OK);
  link.callback = [&](async_dispatcher_t*, zx_status_t) { ++ran; };
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(ran, 6);
}

TEST(LoopTaskTest, ATaskMayCancelALaterTaskOfItsChainedBatch) {
  std::vector<int> order;
  TestTask victim(2, Record(&order, 99));
  TestTask third(2, Record(&order, 3));
  TestTask second(1, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    order.push_back(2);
    EXPECT_EQ(victim.Cancel(dispatcher), ZX_OK);
  });
  TestTask first(1, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    order.push_back(1);
    // Both come due after this batch began, so they form the next batch together.
    EXPECT_EQ(second.Post(dispatcher), ZX_OK);
    EXPECT_EQ(victim.Post(dispatcher), ZX_OK);
    EXPECT_EQ(third.Post(dispatcher), ZX_OK);
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(victim.run_count, 0);
}

}  // namespace chained_batches
