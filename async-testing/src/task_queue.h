// The tasks of one TestLoopDispatcher: pending tasks by deadline, and the due batch.
#ifndef ASYNC_TESTING_SRC_TASK_QUEUE_H_
#define ASYNC_TESTING_SRC_TASK_QUEUE_H_

#include <lib/async/task.h>
#include <zircon/types.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace async::internal {

// Pending tasks ordered by deadline, equal deadlines in posting order, plus the "due" batch:
// tasks taken out of that order, in order, to be run one by one. Thread-compatible.
//
// Tasks are the caller's `async_task_t`s; nothing is allocated per task. Pending tasks live in a
// binary min-heap of {deadline, sequence, task} entries, where the sequence number of each
// insertion breaks ties, so posting, cancelling and taking the earliest task are O(log n); a
// TestLoop test may hold a hundred thousand tasks. The due batch is an array with a read
// position; a cancelled due task leaves a hole that is skipped.
//
// Each task's `async_state_t` records where it is: word 0 says which part (zero if neither) and
// word 1 is its index there. A lookup trusts that record only if the entry it names points back
// at the task, so a state that was never zeroed, or belongs to another queue, reads as "not
// here". Clients zero the state before the first post, as Fuchsia asks.
class TestLoopTaskQueue {
 public:
  TestLoopTaskQueue() = default;
  TestLoopTaskQueue(const TestLoopTaskQueue&) = delete;
  TestLoopTaskQueue& operator=(const TestLoopTaskQueue&) = delete;

  // Whether `task` is pending or due here.
  bool Contains(const async_task_t* task) const;

  // Adds `task`, which must not be here, to the pending tasks. Returns whether it is now the
  // earliest pending task.
  bool Insert(async_task_t* task);

  // Removes `task` from the pending or due tasks. Returns false if it was in neither.
  bool Remove(async_task_t* task);

  bool has_pending() const { return !heap_.empty(); }
  bool has_due() const { return due_count_ != 0; }

  // The earliest pending deadline, or ZX_TIME_INFINITE if no task is pending.
  zx_time_t EarliestPendingDeadline() const;

  // The deadline of the task that runs next: the first due task's, else the earliest pending
  // one's, else ZX_TIME_INFINITE.
  zx_time_t NextDeadline() const;

  // Moves every pending task whose deadline is at or before `now` to the end of the due batch,
  // in order.
  void TakeDue(zx_time_t now);

  // Removes and returns the first due task, or null if the batch is empty.
  async_task_t* PopDue();

  // Removes and returns the earliest pending task, or null if none is pending.
  async_task_t* PopEarliest();

 private:
  struct Entry {
    zx_time_t deadline;
    uint64_t sequence;
    async_task_t* task;
  };

  static bool Before(const Entry& a, const Entry& b);
  void Place(size_t index, const Entry& entry);
  void SiftUp(size_t index);
  void SiftDown(size_t index);
  async_task_t* RemoveFromHeap(size_t index);
  void SkipDueHoles();

  std::vector<Entry> heap_;
  std::vector<async_task_t*> due_;  // null where a due task was cancelled
  size_t due_head_ = 0;             // the first live due task, or due_.size()
  size_t due_count_ = 0;            // live due tasks
  uint64_t next_sequence_ = 0;
};

}  // namespace async::internal

#endif  // ASYNC_TESTING_SRC_TASK_QUEUE_H_
