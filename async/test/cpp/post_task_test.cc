// async::PostTask, async::PostDelayedTask and async::PostTaskForTime: one-shot closures whose
// storage the library owns.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/task.h>

#include <memory>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "async/test/cpp/fake_dispatcher.h"
#include "async/test/cpp/test_helpers.h"

namespace async_cpp_test {
namespace {

TEST(PostTaskTest, RunsClosuresInPostingOrder) {
  std::vector<int> order;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(async::PostTask(loop.dispatcher(), [&order, i] { order.push_back(i); }), ZX_OK);
  }
  EXPECT_TRUE(order.empty());
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(PostTaskTest, DeadlinesComeFromDispatcherTime) {
  FakeDispatcher dispatcher;
  dispatcher.now = 9000;
  auto deadline_of_next_post = [&dispatcher](zx_status_t (*post)(FakeDispatcher*)) {
    EXPECT_EQ(post(&dispatcher), ZX_OK);
    zx_time_t deadline = dispatcher.task->deadline;
    // Frees the posted task, as a shutdown would.
    dispatcher.task->handler(&dispatcher, dispatcher.task, ZX_ERR_CANCELED);
    return deadline;
  };

  EXPECT_EQ(deadline_of_next_post([](FakeDispatcher* d) { return async::PostTask(d, [] {}); }),
            9000);
  EXPECT_EQ(deadline_of_next_post([](FakeDispatcher* d) {
              return async::PostDelayedTask(
                  d, [] {}, zx::nsec(15));
            }),
            9015);
  EXPECT_EQ(deadline_of_next_post([](FakeDispatcher* d) {
              return async::PostTaskForTime(
                  d, [] {}, zx::time(123));
            }),
            123);
}

TEST(PostTaskTest, ClosureIsDestroyedButNotCalledAtShutdown) {
  bool called = false;
  bool destroyed = false;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(async::PostDelayedTask(
                loop.dispatcher(), [&called, flag = DestructionFlag(&destroyed)] { called = true; },
                zx::hour(1)),
            ZX_OK);
  EXPECT_FALSE(destroyed);

  loop.Shutdown();
  EXPECT_FALSE(called);
  EXPECT_TRUE(destroyed);  // and LeakSanitizer finds nothing left over
}

TEST(PostTaskTest, ClosureIsDestroyedAfterItRuns) {
  bool destroyed = false;
  int runs = 0;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(
      async::PostTask(loop.dispatcher(), [&runs, flag = DestructionFlag(&destroyed)] { ++runs; }),
      ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(destroyed);
}

TEST(PostTaskTest, FailedPostDestroysClosureAndReturnsError) {
  bool destroyed = false;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();

  EXPECT_EQ(async::PostTask(loop.dispatcher(), [flag = DestructionFlag(&destroyed)] {}),
            ZX_ERR_BAD_STATE);
  EXPECT_TRUE(destroyed);
}

TEST(PostTaskTest, DispatcherWithoutTasksReturnsNotSupported) {
  bool destroyed = false;
  FakeDispatcher dispatcher;
  dispatcher.status = ZX_ERR_NOT_SUPPORTED;

  EXPECT_EQ(async::PostTask(&dispatcher, [flag = DestructionFlag(&destroyed)] {}),
            ZX_ERR_NOT_SUPPORTED);
  EXPECT_TRUE(destroyed);
}

TEST(PostTaskTest, AcceptsMoveOnlyAndLargeClosures) {
  int sum = 0;
  int big[16] = {1, 2, 3};  // too large for fit::closure's inline storage: goes to the heap
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  auto value = std::make_unique<int>(40);
  ASSERT_EQ(async::PostTask(loop.dispatcher(), [&sum, value = std::move(value)] { sum += *value; }),
            ZX_OK);
  ASSERT_EQ(async::PostTask(loop.dispatcher(), [&sum, big] { sum += big[0] + big[1]; }), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(sum, 43);
}

TEST(PostTaskTest, ClosureCanPostAnotherTask) {
  std::vector<int> order;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  async_dispatcher_t* dispatcher = loop.dispatcher();

  ASSERT_EQ(async::PostTask(
                dispatcher,
                [&order, dispatcher] {
                  order.push_back(1);
                  EXPECT_EQ(async::PostTask(dispatcher, [&order] { order.push_back(2); }), ZX_OK);
                }),
            ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace async_cpp_test
