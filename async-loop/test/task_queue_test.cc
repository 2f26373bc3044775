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

// A reference model: tasks sorted by (deadline, posting order), with removal.
struct ModelEntry {
  zx_time_t deadline;
  uint64_t order;
  async_task_t* task;
};

// Random mixes of in-order and out-of-order deadlines (so tasks land in both the ring and the
// heap, with many ties), removals and dispatch batches, checked against the model.
TEST(TaskQueueTest, RingAndHeapTogetherKeepDeadlineAndPostingOrder) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    TaskQueue queue;
    auto tasks = MakeTasks(4000);
    std::vector<ModelEntry> model;
    uint64_t order = 0;
    zx_time_t clock = 0;
    size_t next_free = 0;
    for (int step = 0; step < 6000; ++step) {
      const uint64_t action = random() % 10;
      if (action < 6 && next_free < tasks.size()) {
        async_task_t* task = &tasks[next_free++];
        // Mostly increasing (the ring), sometimes earlier (the heap), often equal (ties).
        task->deadline = random() % 4 == 0 ? clock + static_cast<zx_time_t>(random() % 50)
                                           : clock + 50 + static_cast<zx_time_t>(step / 4);
        queue.Insert(task);
        model.push_back({task->deadline, order++, task});
      } else if (action < 8 && !model.empty()) {
        const size_t victim = random() % model.size();
        ASSERT_TRUE(queue.Remove(model[victim].task)) << "seed " << seed;
        EXPECT_FALSE(queue.Contains(model[victim].task));
        model.erase(model.begin() + static_cast<ptrdiff_t>(victim));
      } else {
        clock += static_cast<zx_time_t>(random() % 40);
        std::stable_sort(model.begin(), model.end(), [](const ModelEntry& a, const ModelEntry& b) {
          return a.deadline != b.deadline ? a.deadline < b.deadline : a.order < b.order;
        });
        queue.TakeDue(clock);
        size_t taken = 0;
        while (async_task_t* task = queue.ClaimDue()) {
          ASSERT_LT(taken, model.size()) << "seed " << seed;
          ASSERT_EQ(task, model[taken].task) << "seed " << seed << " step " << step;
          ASSERT_LE(task->deadline, clock);
          ++taken;
        }
        ASSERT_TRUE(taken == model.size() || model[taken].deadline > clock) << "seed " << seed;
        model.erase(model.begin(), model.begin() + static_cast<ptrdiff_t>(taken));
        EXPECT_EQ(queue.EarliestDeadline(), model.empty() ? ZX_TIME_INFINITE : model[0].deadline);
      }
    }
    std::stable_sort(model.begin(), model.end(), [](const ModelEntry& a, const ModelEntry& b) {
      return a.deadline != b.deadline ? a.deadline < b.deadline : a.order < b.order;
    });
    for (const ModelEntry& entry : model) {
      ASSERT_EQ(queue.PopEarliest(), entry.task) << "seed " << seed;
    }
    EXPECT_EQ(queue.PopEarliest(), nullptr);
  }
}

// A long-lived task at the ring's head while a million others are posted behind it and
// cancelled: the ring must not keep a slot for each of them (it hands its few live tasks to the
// heap once it is mostly holes), and order survives the move.
TEST(TaskQueueTest, ARingOfHolesBehindALongLivedHeadMovesToTheHeap) {
  TaskQueue queue;
  auto tasks = MakeTasks(3);
  tasks[0].deadline = 100;  // the long-lived head
  ASSERT_TRUE(queue.Insert(&tasks[0]));
  async_task_t churn = async_task_t{{ASYNC_STATE_INIT}, nullptr, 0};
  for (zx_time_t i = 0; i < 1'000'000; ++i) {
    churn.deadline = 200 + i;
    queue.Insert(&churn);
    ASSERT_TRUE(queue.Remove(&churn));
  }
  tasks[1].deadline = 100;  // ties with the head: must come after it
  tasks[2].deadline = 150;
  queue.Insert(&tasks[1]);
  queue.Insert(&tasks[2]);
  EXPECT_GE(queue.heap_size(), 1u);  // the head moved to the heap
  EXPECT_EQ(queue.PopEarliest(), &tasks[0]);
  EXPECT_EQ(queue.PopEarliest(), &tasks[1]);
  EXPECT_EQ(queue.PopEarliest(), &tasks[2]);
  EXPECT_EQ(queue.PopEarliest(), nullptr);
}

// A due task removed before the dispatching thread reaches it is never claimed; one already
// claimed can no longer be removed.
TEST(TaskQueueTest, RemoveAndClaimAgreeOnEachDueTask) {
  TaskQueue queue;
  auto tasks = MakeTasks(3);
  for (async_task_t& task : tasks) {
    task.deadline = 5;
    queue.Insert(&task);
  }
  ASSERT_TRUE(queue.TakeDue(10));
  EXPECT_EQ(queue.ClaimDue(), &tasks[0]);
  EXPECT_FALSE(queue.Remove(&tasks[0]));  // claimed: its handler runs
  EXPECT_TRUE(queue.Remove(&tasks[1]));
  EXPECT_EQ(queue.ClaimDue(), &tasks[2]);
  EXPECT_EQ(queue.ClaimDue(), nullptr);
  EXPECT_FALSE(queue.has_due());
  for (const async_task_t& task : tasks) {
    EXPECT_EQ(task.state.reserved[0], 0u);
    EXPECT_EQ(task.state.reserved[1], 0u);
  }
}

}  // namespace
