// TaskQueue: ordering, removal, and the work it does (no timing: comparisons are counted).
#include "async-loop/src/task_queue.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

using async::internal::TaskQueue;

std::vector<async_task_t> MakeTasks(size_t count) {
  std::vector<async_task_t> tasks(count);
  for (async_task_t& task : tasks) {
    task = async_task_t{{ASYNC_STATE_INIT}, nullptr, 0};
  }
  return tasks;
}

std::vector<async_task_t*> DrainInOrder(TaskQueue& queue) {
  std::vector<async_task_t*> order;
  while (async_task_t* task = queue.PopEarliest()) {
    order.push_back(task);
  }
  return order;
}

TEST(TaskQueueTest, PopsInDeadlineOrderAndPostingOrderOnTies) {
  TaskQueue queue;
  auto tasks = MakeTasks(6);
  const zx_time_t deadlines[] = {30, 10, 20, 10, 30, 10};
  for (size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].deadline = deadlines[i];
    queue.Insert(&tasks[i]);
  }
  std::vector<async_task_t*> expected = {&tasks[1], &tasks[3], &tasks[5],
                                         &tasks[2], &tasks[0], &tasks[4]};
  EXPECT_EQ(DrainInOrder(queue), expected);
}

TEST(TaskQueueTest, InsertReportsANewEarliestTaskOnly) {
  TaskQueue queue;
  auto tasks = MakeTasks(3);
  tasks[0].deadline = 20;
  tasks[1].deadline = 20;
  tasks[2].deadline = 5;
  EXPECT_TRUE(queue.Insert(&tasks[0]));
  EXPECT_FALSE(queue.Insert(&tasks[1]));  // equal deadline: goes after
  EXPECT_TRUE(queue.Insert(&tasks[2]));
  EXPECT_TRUE(queue.IsEarliest(&tasks[2]));
  EXPECT_EQ(queue.EarliestDeadline(), 5);
}

TEST(TaskQueueTest, RemovedTasksAreNotPoppedAndTheirStateIsZeroed) {
  TaskQueue queue;
  auto tasks = MakeTasks(5);
  for (size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].deadline = static_cast<zx_time_t>(i);
    queue.Insert(&tasks[i]);
  }
  EXPECT_TRUE(queue.Remove(&tasks[0]));
  EXPECT_TRUE(queue.Remove(&tasks[3]));
  EXPECT_FALSE(queue.Remove(&tasks[3]));
  EXPECT_EQ(tasks[3].state.reserved[0], 0u);
  EXPECT_EQ(tasks[3].state.reserved[1], 0u);
  std::vector<async_task_t*> expected = {&tasks[1], &tasks[2], &tasks[4]};
  EXPECT_EQ(DrainInOrder(queue), expected);
}

TEST(TaskQueueTest, DueTasksKeepTheirOrderAndCanBeRemoved) {
  TaskQueue queue;
  auto tasks = MakeTasks(4);
  const zx_time_t deadlines[] = {5, 1, 9, 3};
  for (size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].deadline = deadlines[i];
    queue.Insert(&tasks[i]);
  }
  queue.TakeDue(5);
  EXPECT_TRUE(queue.has_due());
  EXPECT_TRUE(queue.Contains(&tasks[3]));
  EXPECT_TRUE(queue.Remove(&tasks[3]));
  EXPECT_EQ(queue.ClaimDue(), &tasks[1]);
  EXPECT_EQ(queue.ClaimDue(), &tasks[0]);
  EXPECT_EQ(queue.ClaimDue(), nullptr);
  EXPECT_FALSE(queue.has_due());
  EXPECT_EQ(queue.PopEarliest(), &tasks[2]);
}

TEST(TaskQueueTest, AForgedStateIsNotTrusted) {
  TaskQueue queue;
  auto tasks = MakeTasks(2);
  queue.Insert(&tasks[0]);
  async_task_t forged = {{{1u, 0u}}, nullptr, 0};  // claims to be pending at index 0
  EXPECT_FALSE(queue.Contains(&forged));
  EXPECT_FALSE(queue.Remove(&forged));
  EXPECT_EQ(queue.PopEarliest(), &tasks[0]);
}

// A million tasks at random deadlines: posting, cancelling half in random order and dispatching
// the rest stays within a small multiple of n log2 n comparisons (the seed's sorted list needs
// about n^2 / 4), and the heap's height stays logarithmic.
TEST(TaskQueueTest, AMillionRandomTasksCostOrderNLogNComparisons) {
  constexpr size_t kCount = 1'000'000;
  TaskQueue queue;
  auto tasks = MakeTasks(kCount);
  std::mt19937_64 random(42);
  for (async_task_t& task : tasks) {
    task.deadline = static_cast<zx_time_t>(random() % 1'000'000'000);
    queue.Insert(&task);
  }
  EXPECT_LE(queue.height(), 21u);  // floor(log2(1e6)) + 1 = 20, with room for one level
  std::vector<async_task_t*> cancel_order;
  for (size_t i = 0; i < kCount; i += 2) {
    cancel_order.push_back(&tasks[i]);
  }
  std::shuffle(cancel_order.begin(), cancel_order.end(), random);
  for (async_task_t* task : cancel_order) {
    ASSERT_TRUE(queue.Remove(task));
  }
  zx_time_t previous = 0;
  size_t popped = 0;
  while (async_task_t* task = queue.PopEarliest()) {
    ASSERT_LE(previous, task->deadline);
    previous = task->deadline;
    ++popped;
  }
  EXPECT_EQ(popped, kCount / 2);
  const double n_log_n = kCount * std::log2(static_cast<double>(kCount));
  EXPECT_LT(static_cast<double>(queue.comparisons()), 4.0 * n_log_n);
}

}  // namespace
