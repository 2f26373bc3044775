// async::PostTask allocates nothing in the steady state, whether the posting thread runs the
// tasks itself or another thread runs them (the "Done when" of issue #4).
//
// Each test first warms up, then counts every allocation made on the posting thread and on the
// running thread while a round of closures, each capturing three pointers, is posted and run.
// Warming up fills the loop's queues and the task block caches. A thread that only runs tasks
// keeps between one and two batches of the blocks it frees, a number that cycles with the round
// size modulo the batch size, so the blocks in circulation settle only within one such cycle
// (kRecyclerBatchSize rounds; see block_recycler.h): the tests warm up for two cycles and then
// measure a whole cycle, so every phase of it is shown to allocate nothing.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/task.h>
#include <lib/zx/event.h>
#include <lib/zx/time.h>
#include <zircon/assert.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <numeric>

#include <gtest/gtest.h>

#include "async/src/cpp/block_recycler.h"
#include "async/test/cpp/allocation_counter.h"
#include "async/test/cpp/test_helpers.h"

namespace async_cpp_test {
namespace {

constexpr size_t kTasksPerRound = 100;  // not a multiple of the batch size, on purpose
constexpr size_t kWarmUpRounds = 2 * async::internal::kRecyclerBatchSize;
constexpr size_t kMeasuredRounds = async::internal::kRecyclerBatchSize;

// Bound for waits that must end. It only turns a hang into a failure; nothing measures time.
constexpr zx::duration kGenerousTimeout = zx::sec(30);

using Values = std::array<uint64_t, kTasksPerRound>;

Values MakeValues() {
  Values values;
  std::iota(values.begin(), values.end(), 1u);
  return values;
}

// What the closures of a round update. Each closure captures &runs, &sum and one value: three
// pointers, the size a fit::closure stores inline.
struct Tally {
  size_t runs = 0;
  uint64_t sum = 0;
  size_t failed_posts = 0;
};

// Posts one closure per value to `dispatcher`; allocates nothing once warmed up.
void PostRound(async_dispatcher_t* dispatcher, Tally* tally, const Values& values) {
  for (const uint64_t& value : values) {
    zx_status_t status =
        async::PostTask(dispatcher, [runs = &tally->runs, sum = &tally->sum, value = &value] {
          ++*runs;
          *sum += *value;
        });
    tally->failed_posts += status != ZX_OK;
  }
}

TEST(AllocationCounterTest, CountsOperatorNewAndMalloc) {
  uint64_t before = AllocationsOnThisThread();
  // Stored through volatile so that the optimizer cannot elide the allocations.
  int* volatile boxed = new int(1);
  void* volatile raw = std::malloc(8);
  EXPECT_EQ(AllocationsOnThisThread() - before, 2u);
  std::free(raw);
  delete boxed;
}

TEST(PostTaskAllocationTest, ClosureTooLargeToStoreInlineIsCounted) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  std::array<uint64_t, 8> big = {};
  for (size_t round = 0; round < kWarmUpRounds; ++round) {
    ASSERT_EQ(async::PostTask(loop.dispatcher(), [big] { (void)big; }), ZX_OK);
    EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  }
  uint64_t before = AllocationsOnThisThread();
  ASSERT_EQ(async::PostTask(loop.dispatcher(), [big] { (void)big; }), ZX_OK);
  EXPECT_EQ(AllocationsOnThisThread() - before, 1u);  // fit::closure moved it to the heap
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
}

TEST(PostTaskAllocationTest, SteadyStateAllocatesNothingWhenPostingThreadRunsTasks) {
  const Values values = MakeValues();
  Tally tally;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (size_t round = 0; round < kWarmUpRounds; ++round) {
    PostRound(loop.dispatcher(), &tally, values);
    EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  }

  for (size_t round = 0; round < kMeasuredRounds; ++round) {
    uint64_t before = AllocationsOnThisThread();
    PostRound(loop.dispatcher(), &tally, values);
    zx_status_t status = loop.RunUntilIdle();
    uint64_t allocations = AllocationsOnThisThread() - before;
    EXPECT_EQ(status, ZX_OK);
    EXPECT_EQ(allocations, 0u) << "round " << round;
  }
  EXPECT_EQ(tally.failed_posts, 0u);
  EXPECT_EQ(tally.runs, (kWarmUpRounds + kMeasuredRounds) * kTasksPerRound);
}

// One round posted by this thread and run by the loop's thread, and what each thread allocated.
struct CrossThreadRound {
  zx::event gate = MakeEvent();  // holds the loop thread until the whole round is queued
  zx::event done = MakeEvent();  // signaled by the round's last task
  Tally tally;
  uint64_t posting_thread_allocations = 0;
  uint64_t loop_thread_begin = 0;
  uint64_t loop_thread_end = 0;
};

// The first task holds the loop thread until every task of the round is queued, so that every
// round queues the same number of tasks at once whatever the scheduling, and starts the loop
// thread's count; the last task ends it.
void PostToLoopThread(async_dispatcher_t* dispatcher, CrossThreadRound* round,
                      const Values& values) {
  ZX_ASSERT(async::PostTask(dispatcher, [round] {
              ZX_ASSERT(round->gate.wait_one(ZX_EVENT_SIGNALED,
                                             zx::deadline_after(kGenerousTimeout),
                                             nullptr) == ZX_OK);
              round->loop_thread_begin = AllocationsOnThisThread();
            }) == ZX_OK);
  uint64_t before = AllocationsOnThisThread();
  PostRound(dispatcher, &round->tally, values);
  zx_status_t status = async::PostTask(dispatcher, [round] {
    round->loop_thread_end = AllocationsOnThisThread();
    ZX_ASSERT(round->done.signal(0u, ZX_EVENT_SIGNALED) == ZX_OK);
  });
  round->posting_thread_allocations = AllocationsOnThisThread() - before;
  ZX_ASSERT(status == ZX_OK);
  ZX_ASSERT(round->gate.signal(0u, ZX_EVENT_SIGNALED) == ZX_OK);
  ZX_ASSERT(round->done.wait_one(ZX_EVENT_SIGNALED, zx::deadline_after(kGenerousTimeout),
                                 nullptr) == ZX_OK);
}

TEST(PostTaskAllocationTest, SteadyStateAllocatesNothingWhenAnotherThreadRunsTasks) {
  const Values values = MakeValues();
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(loop.StartThread("post-task-alloc"), ZX_OK);
  for (size_t round = 0; round < kWarmUpRounds; ++round) {
    CrossThreadRound warm_up;
    PostToLoopThread(loop.dispatcher(), &warm_up, values);
  }

  for (size_t i = 0; i < kMeasuredRounds; ++i) {
    CrossThreadRound round;
    PostToLoopThread(loop.dispatcher(), &round, values);
    EXPECT_EQ(round.tally.failed_posts, 0u);
    EXPECT_EQ(round.tally.runs, kTasksPerRound);
    EXPECT_EQ(round.posting_thread_allocations, 0u) << "round " << i;
    EXPECT_EQ(round.loop_thread_end - round.loop_thread_begin, 0u) << "round " << i;
  }
  loop.Quit();
  loop.JoinThreads();
}

}  // namespace
}  // namespace async_cpp_test
