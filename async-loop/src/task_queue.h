// The loop's pending and due tasks.
#ifndef ASYNC_LOOP_SRC_TASK_QUEUE_H_
#define ASYNC_LOOP_SRC_TASK_QUEUE_H_

#include <lib/async/task.h>
#include <zircon/types.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace async::internal {

// Pending tasks ordered by deadline (FIFO among equal deadlines), plus the "due" tasks taken out
// of that order for one dispatch batch. Thread-compatible: the loop guards it with its lock.
//
// Tasks are caller-owned `async_task_t`s. The queue records where each task is in the task's
// own `async_state_t`, so removing one is O(log n) without a search; the entry found there must
// point back at the task, so a state that was never zeroed or was forged is not trusted. A task's
// state is all zeros when it is in neither part (clients zero it before first use, as Fuchsia
// asks).
//
// Pending tasks live in a binary min-heap of contiguous {deadline, sequence, task} entries;
// the sequence number of each insertion breaks deadline ties in posting order. Nothing is
// allocated per task: the heap and the due list only grow their arrays (amortised).
class TaskQueue {
 public:
  TaskQueue() = default;
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Whether `task` is pending or due.
  bool Contains(const async_task_t* task) const;

  // Adds `task` to the pending tasks. It must not be in the queue. Returns whether it became
  // the earliest pending task.
  bool Insert(async_task_t* task);

  // Removes `task` from the pending or due tasks. Returns false if it was in neither.
  bool Remove(async_task_t* task);

  // Whether `task` is the earliest pending task.
  bool IsEarliest(const async_task_t* task) const;

  // The earliest pending task's deadline, or ZX_TIME_INFINITE if none is pending.
  zx_time_t EarliestDeadline() const;

  bool has_pending() const { return !heap_.empty(); }
  bool has_due() const { return due_count_ != 0; }

  // Moves every pending task with a deadline at or before `now` to the due tasks, in order.
  void TakeDue(zx_time_t now);

  // Removes and returns the first due task, or null if there is none.
  async_task_t* PopDue();

  // Removes and returns the earliest pending task, or null if there is none.
  async_task_t* PopEarliest();

  // Comparisons made since construction; lets tests bound the work done.
  uint64_t comparisons() const { return comparisons_; }
  // The heap's height: floor(log2(n)) + 1 for n pending tasks.
  size_t height() const;

 private:
  struct Entry {
    zx_time_t deadline;
    uint64_t sequence;
    async_task_t* task;
  };

  static bool Before(const Entry& a, const Entry& b, uint64_t* comparisons);
  // Stores `entry` at `index` and records the position in its task.
  void Place(size_t index, const Entry& entry);
  // Moves the entry at `from` to `to` and records the new position in its task.
  void Move(size_t to, size_t from);
  void SiftUp(size_t index);
  void SiftDown(size_t index);
  async_task_t* RemoveAt(size_t index);

  std::vector<Entry> heap_;
  std::vector<async_task_t*> due_;  // null where a due task was cancelled
  size_t due_head_ = 0;
  size_t due_count_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t comparisons_ = 0;
};

}  // namespace async::internal

#endif  // ASYNC_LOOP_SRC_TASK_QUEUE_H_
