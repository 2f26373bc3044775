// The task queue behind TestLoopDispatcher: order, ties, removal and the due batch.
#include "async-testing/src/task_queue.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

using async::internal::TestLoopTaskQueue;

async_task_t MakeTask(zx_time_t deadline) {
  async_task_t task = {};
  task.deadline = deadline;
  return task;
}

TEST(TestLoopTaskQueueTest, PopsInDeadlineThenPostingOrder) {
  TestLoopTaskQueue queue;
  std::vector<async_task_t> tasks = {MakeTask(30), MakeTask(10), MakeTask(20),
                                     MakeTask(10), MakeTask(30), MakeTask(10)};
  for (auto& task : tasks) {
    queue.Insert(&task);
  }
  const std::vector<async_task_t*> expected = {&tasks[1], &tasks[3], &tasks[5],
                                               &tasks[2], &tasks[0], &tasks[4]};
  for (async_task_t* want : expected) {
    EXPECT_EQ(queue.PopEarliest(), want);
  }
  EXPECT_EQ(queue.PopEarliest(), nullptr);
}

TEST(TestLoopTaskQueueTest, InsertReportsANewEarliestTask) {
  TestLoopTaskQueue queue;
  async_task_t late = MakeTask(20);
  async_task_t same = MakeTask(20);
  async_task_t early = MakeTask(10);
  EXPECT_TRUE(queue.Insert(&late));
  EXPECT_FALSE(queue.Insert(&same));  // ties go after
  EXPECT_TRUE(queue.Insert(&early));
  EXPECT_EQ(queue.EarliestPendingDeadline(), 10);
}

TEST(TestLoopTaskQueueTest, RemoveFindsPendingAndDueTasksOnly) {
  TestLoopTaskQueue queue;
  async_task_t a = MakeTask(1);
  async_task_t b = MakeTask(2);
  async_task_t c = MakeTask(5);
  async_task_t never_posted = MakeTask(1);
  queue.Insert(&a);
  queue.Insert(&b);
  queue.Insert(&c);
  queue.TakeDue(2);
  EXPECT_TRUE(queue.has_due());
  EXPECT_TRUE(queue.Contains(&b));

  EXPECT_TRUE(queue.Remove(&b));  // due
  EXPECT_TRUE(queue.Remove(&c));  // pending
  EXPECT_FALSE(queue.Remove(&b));
  EXPECT_FALSE(queue.Remove(&never_posted));
  EXPECT_EQ(queue.PopDue(), &a);
  EXPECT_EQ(queue.PopDue(), nullptr);
  EXPECT_FALSE(queue.has_pending());
}

TEST(TestLoopTaskQueueTest, StateThatWasNeverZeroedIsNotTrusted) {
  TestLoopTaskQueue queue;
  async_task_t posted = MakeTask(1);
  queue.Insert(&posted);
  async_task_t forged = MakeTask(1);
  forged.state.reserved[0] = 1;  // claims to be in the heap, at index 0
  forged.state.reserved[1] = 0;
  EXPECT_FALSE(queue.Contains(&forged));
  EXPECT_FALSE(queue.Remove(&forged));
  EXPECT_TRUE(queue.Contains(&posted));
}

TEST(TestLoopTaskQueueTest, DueBatchKeepsItsOrderAndSkipsCancelledTasks) {
  TestLoopTaskQueue queue;
  std::vector<async_task_t> tasks = {MakeTask(3), MakeTask(1), MakeTask(2), MakeTask(9)};
  for (auto& task : tasks) {
    queue.Insert(&task);
  }
  queue.TakeDue(3);
  EXPECT_EQ(queue.NextDeadline(), 1);
  EXPECT_TRUE(queue.Remove(&tasks[1]));  // the head of the batch
  EXPECT_EQ(queue.NextDeadline(), 2);
  EXPECT_EQ(queue.PopDue(), &tasks[2]);
  EXPECT_EQ(queue.PopDue(), &tasks[0]);
  EXPECT_FALSE(queue.has_due());
  EXPECT_EQ(queue.NextDeadline(), 9);
}

TEST(TestLoopTaskQueueTest, RemovedTaskStateIsZeroAgain) {
  TestLoopTaskQueue queue;
  async_task_t task = MakeTask(4);
  queue.Insert(&task);
  ASSERT_TRUE(queue.Remove(&task));
  EXPECT_EQ(task.state.reserved[0], 0u);
  EXPECT_EQ(task.state.reserved[1], 0u);
}

// Random posts and cancels against a sorted reference.
TEST(TestLoopTaskQueueTest, MatchesASortedReference) {
  constexpr size_t kTasks = 4096;
  std::mt19937 random(7);
  std::vector<async_task_t> tasks(kTasks);
  std::vector<std::pair<zx_time_t, size_t>> reference;  // {deadline, posting order}
  TestLoopTaskQueue queue;
  for (size_t i = 0; i < kTasks; ++i) {
    tasks[i] = MakeTask(static_cast<zx_time_t>(random() % 64));
    queue.Insert(&tasks[i]);
    reference.emplace_back(tasks[i].deadline, i);
  }
  for (size_t i = 0; i < kTasks; i += 3) {
    ASSERT_TRUE(queue.Remove(&tasks[i]));
    std::erase(reference, std::make_pair(tasks[i].deadline, i));
  }
  std::sort(reference.begin(), reference.end());
  for (const auto& [deadline, index] : reference) {
    async_task_t* task = queue.PopEarliest();
    ASSERT_EQ(task, &tasks[index]);
  }
  EXPECT_EQ(queue.PopEarliest(), nullptr);
}

}  // namespace
