// async::Task, async::TaskMethod, async::TaskClosure and async::TaskClosureMethod, against a
// real loop and against FakeDispatcher.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/task.h>
#include <zircon/assert.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "async/test/cpp/fake_dispatcher.h"
#include "async/test/cpp/test_helpers.h"

namespace async_cpp_test {
namespace {

// What a task handler was called with.
struct Call {
  int count = 0;
  async_dispatcher_t* dispatcher = nullptr;
  async::TaskBase* task = nullptr;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool pending = true;
};

async::Task::Handler Recorder(Call* call) {
  return [call](async_dispatcher_t* dispatcher, async::Task* task, zx_status_t status) {
    *call = {call->count + 1, dispatcher, task, status, task->is_pending()};
  };
}

TEST(TaskTest, HandlerRunsWithOkAndSeesTaskNoLongerPending) {
  Call call;
  async::Task task(Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_TRUE(task.is_pending());
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);

  EXPECT_EQ(call.count, 1);
  EXPECT_EQ(call.dispatcher, loop.dispatcher());
  EXPECT_EQ(call.task, &task);
  EXPECT_EQ(call.status, ZX_OK);
  EXPECT_FALSE(call.pending);
  EXPECT_FALSE(task.is_pending());
}

TEST(TaskTest, PostComputesDeadlineFromDispatcherTime) {
  FakeDispatcher dispatcher;
  async::Task task;
  EXPECT_EQ(task.last_deadline(), zx::time::infinite());

  dispatcher.now = 5000;
  ASSERT_EQ(task.Post(&dispatcher), ZX_OK);
  EXPECT_EQ(task.last_deadline(), zx::time(5000));
  EXPECT_EQ(dispatcher.task->deadline, 5000);
  ASSERT_EQ(task.Cancel(), ZX_OK);

  ASSERT_EQ(task.PostDelayed(&dispatcher, zx::nsec(250)), ZX_OK);
  EXPECT_EQ(task.last_deadline(), zx::time(5250));
  ASSERT_EQ(task.Cancel(), ZX_OK);

  ASSERT_EQ(task.PostForTime(&dispatcher, zx::time(42)), ZX_OK);
  EXPECT_EQ(task.last_deadline(), zx::time(42));
  ASSERT_EQ(task.Cancel(), ZX_OK);
}

TEST(TaskTest, PostWhilePendingReturnsAlreadyExistsAndKeepsDeadline) {
  FakeDispatcher dispatcher;
  async::Task task;
  ASSERT_EQ(task.PostForTime(&dispatcher, zx::time(10)), ZX_OK);

  EXPECT_EQ(task.PostForTime(&dispatcher, zx::time(20)), ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(task.Post(&dispatcher), ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(task.PostDelayed(&dispatcher, zx::sec(1)), ZX_ERR_ALREADY_EXISTS);

  EXPECT_EQ(task.last_deadline(), zx::time(10));
  EXPECT_EQ(dispatcher.calls, std::vector<std::string>{"post_task"});
  EXPECT_TRUE(task.is_pending());
  ASSERT_EQ(task.Cancel(), ZX_OK);
}

TEST(TaskTest, RejectedPostStillUpdatesLastDeadline) {
  FakeDispatcher dispatcher;
  dispatcher.status = ZX_ERR_BAD_STATE;
  async::Task task;

  EXPECT_EQ(task.PostForTime(&dispatcher, zx::time(77)), ZX_ERR_BAD_STATE);
  EXPECT_FALSE(task.is_pending());
  EXPECT_EQ(task.last_deadline(), zx::time(77));
}

TEST(TaskTest, PostAfterShutdownReturnsBadStateAndStaysIdle) {
  Call call;
  async::Task task(Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();

  EXPECT_EQ(task.Post(loop.dispatcher()), ZX_ERR_BAD_STATE);
  EXPECT_FALSE(task.is_pending());
  EXPECT_EQ(call.count, 0);
}

TEST(TaskTest, CancelStopsPendingTask) {
  Call call;
  async::Task task(Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(task.Cancel(), ZX_OK);
  EXPECT_FALSE(task.is_pending());
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(call.count, 0);
  EXPECT_EQ(task.Cancel(), ZX_ERR_NOT_FOUND);
}

TEST(TaskTest, CancelIdleTaskReturnsNotFoundWithoutAskingDispatcher) {
  FakeDispatcher dispatcher;
  async::Task task;
  EXPECT_EQ(task.Cancel(), ZX_ERR_NOT_FOUND);

  ASSERT_EQ(task.Post(&dispatcher), ZX_OK);
  ASSERT_EQ(task.Cancel(), ZX_OK);
  EXPECT_EQ(task.Cancel(), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(dispatcher.calls, (std::vector<std::string>{"post_task", "cancel_task"}));
}

TEST(TaskTest, DestructorCancelsPendingTask) {
  Call call;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  {
    async::Task task(Recorder(&call));
    ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::msec(1)), ZX_OK);
  }
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  loop.Shutdown();  // a task still queued would now be called with ZX_ERR_CANCELED
  EXPECT_EQ(call.count, 0);
}

TEST(TaskTest, HandlerCanPostItsTaskAgain) {
  int runs = 0;
  async::Task task([&runs](async_dispatcher_t* dispatcher, async::Task* self, zx_status_t status) {
    ASSERT_EQ(status, ZX_OK);
    if (++runs < 3) {
      EXPECT_EQ(self->Post(dispatcher), ZX_OK);
    }
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(runs, 3);
  EXPECT_FALSE(task.is_pending());
}

TEST(TaskTest, HandlerCanDestroyItsTask) {
  bool handler_destroyed = false;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  auto* task =
      new async::Task([flag = DestructionFlag(&handler_destroyed)](
                          async_dispatcher_t*, async::Task* self, zx_status_t) { delete self; });
  ASSERT_EQ(task->Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_TRUE(handler_destroyed);  // and AddressSanitizer saw no use after free
}

TEST(TaskTest, ShutdownCallsHandlerWithCanceled) {
  Call call;
  async::Task task(Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::hour(1)), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(call.count, 1);
  EXPECT_EQ(call.status, ZX_ERR_CANCELED);
  EXPECT_FALSE(call.pending);
  EXPECT_FALSE(task.is_pending());
}

TEST(TaskTest, SetHandlerReplacesHandler) {
  Call first;
  Call second;
  async::Task task;
  EXPECT_FALSE(task.has_handler());
  task.set_handler(Recorder(&first));
  EXPECT_TRUE(task.has_handler());
  task.set_handler(Recorder(&second));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(first.count, 0);
  EXPECT_EQ(second.count, 1);
}

TEST(TaskDeathTest, DestroyingPendingTaskAbortsIfDispatcherCannotCancel) {
  EXPECT_DEATH(
      {
        FakeDispatcher dispatcher;
        async::Task task;
        ZX_ASSERT(task.Post(&dispatcher) == ZX_OK);
        dispatcher.status = ZX_ERR_NOT_FOUND;
      },
      "cancel failed");
}

// A class with handlers of the shapes the method templates take.
class Handlers {
 public:
  void OnTask(async_dispatcher_t* dispatcher, async::TaskBase* task, zx_status_t status) {
    statuses.push_back(status);
    last_task = task;
    (void)dispatcher;
  }
  void OnClosure() { ++closure_runs; }

  std::vector<zx_status_t> statuses;
  async::TaskBase* last_task = nullptr;
  int closure_runs = 0;
};

TEST(TaskMethodTest, CallsMethodWithOkThenCanceled) {
  Handlers handlers;
  async::TaskMethod<Handlers, &Handlers::OnTask> task(&handlers);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::hour(1)), ZX_OK);
  loop.Shutdown();

  EXPECT_EQ(handlers.statuses, (std::vector<zx_status_t>{ZX_OK, ZX_ERR_CANCELED}));
  EXPECT_EQ(handlers.last_task, &task);
  EXPECT_FALSE(task.is_pending());
}

TEST(TaskClosureTest, RunsClosureOnlyWithOk) {
  int runs = 0;
  async::TaskClosure task([&runs] { ++runs; });
  EXPECT_TRUE(task.has_handler());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(runs, 1);

  ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::hour(1)), ZX_OK);
  loop.Shutdown();
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(task.is_pending());
}

TEST(TaskClosureTest, SetHandlerReplacesClosure) {
  int first = 0;
  int second = 0;
  async::TaskClosure task;
  EXPECT_FALSE(task.has_handler());
  task.set_handler([&first] { ++first; });
  task.set_handler([&second] { ++second; });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(TaskClosureMethodTest, CallsMethodOnlyWithOk) {
  Handlers handlers;
  async::TaskClosureMethod<Handlers, &Handlers::OnClosure> task(&handlers);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(task.PostDelayed(loop.dispatcher(), zx::hour(1)), ZX_OK);
  loop.Shutdown();

  EXPECT_EQ(handlers.closure_runs, 1);
  EXPECT_FALSE(task.is_pending());
}

}  // namespace
}  // namespace async_cpp_test
