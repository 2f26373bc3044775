// The tasks of one TestLoopDispatcher.
#include "async-testing/src/task_queue.h"

#include <zircon/assert.h>

namespace async::internal {
namespace {

// Word 0 of a task's state: which part of the queue holds the task. Zero means neither, the
// state a client gives a task it has not posted.
constexpr uintptr_t kNotQueued = 0;
constexpr uintptr_t kInHeap = 1;
constexpr uintptr_t kInDueBatch = 2;

void Record(async_task_t* task, uintptr_t part, size_t index) {
  task->state.reserved[0] = part;
  task->state.reserved[1] = index;
}

void Forget(async_task_t* task) { Record(task, kNotQueued, 0); }

}  // namespace

bool TestLoopTaskQueue::Contains(const async_task_t* task) const {
  const size_t index = task->state.reserved[1];
  switch (task->state.reserved[0]) {
    case kInHeap:
      return index < heap_.size() && heap_[index].task == task;
    case kInDueBatch:
      return index >= due_head_ && index < due_.size() && due_[index] == task;
    default:
      return false;
  }
}

bool TestLoopTaskQueue::Insert(async_task_t* task) {
  ZX_DEBUG_ASSERT(!Contains(task));
  heap_.push_back(Entry{task->deadline, next_sequence_++, task});
  SiftUp(heap_.size() - 1);
  return heap_.front().task == task;
}

bool TestLoopTaskQueue::Remove(async_task_t* task) {
  if (!Contains(task)) {
    return false;
  }
  const size_t index = task->state.reserved[1];
  if (task->state.reserved[0] == kInHeap) {
    RemoveFromHeap(index);
    return true;
  }
  due_[index] = nullptr;
  --due_count_;
  Forget(task);
  SkipDueHoles();
  return true;
}

zx_time_t TestLoopTaskQueue::EarliestPendingDeadline() const {
  return heap_.empty() ? ZX_TIME_INFINITE : heap_.front().deadline;
}

zx_time_t TestLoopTaskQueue::NextDeadline() const {
  return has_due() ? due_[due_head_]->deadline : EarliestPendingDeadline();
}

void TestLoopTaskQueue::TakeDue(zx_time_t now) {
  while (!heap_.empty() && heap_.front().deadline <= now) {
    async_task_t* task = RemoveFromHeap(0);
    Record(task, kInDueBatch, due_.size());
    due_.push_back(task);
    ++due_count_;
  }
  SkipDueHoles();
}

async_task_t* TestLoopTaskQueue::PopDue() {
  if (!has_due()) {
    return nullptr;
  }
  async_task_t* task = due_[due_head_];
  due_[due_head_] = nullptr;
  --due_count_;
  Forget(task);
  SkipDueHoles();
  return task;
}

async_task_t* TestLoopTaskQueue::PopEarliest() {
  return heap_.empty() ? nullptr : RemoveFromHeap(0);
}

bool TestLoopTaskQueue::Before(const Entry& a, const Entry& b) {
  return a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence;
}

// The sifts below work on the raw array and repeat the comparison inline rather than calling
// Before(): unoptimized (Debug) builds inline nothing, and a test posting 10^5 tasks spends most
// of its time here.

void TestLoopTaskQueue::SiftUp(size_t index) {
  Entry* const heap = heap_.data();
  const Entry entry = heap[index];
  while (index > 0) {
    const size_t parent = (index - 1) / 2;
    const Entry& above = heap[parent];
    if (above.deadline < entry.deadline ||
        (above.deadline == entry.deadline && above.sequence < entry.sequence)) {
      break;
    }
    heap[index] = above;
    heap[index].task->state.reserved[1] = index;
    index = parent;
  }
  Place(index, entry);
}

void TestLoopTaskQueue::SiftDown(size_t index) {
  Entry* const heap = heap_.data();
  const size_t size = heap_.size();
  const Entry entry = heap[index];
  while (true) {
    size_t child = 2 * index + 1;
    if (child >= size) {
      break;
    }
    if (child + 1 < size && (heap[child + 1].deadline < heap[child].deadline ||
                             (heap[child + 1].deadline == heap[child].deadline &&
                              heap[child + 1].sequence < heap[child].sequence))) {
      ++child;
    }
    const Entry& below = heap[child];
    if (entry.deadline < below.deadline ||
        (entry.deadline == below.deadline && entry.sequence < below.sequence)) {
      break;
    }
    heap[index] = below;
    heap[index].task->state.reserved[1] = index;
    index = child;
  }
  Place(index, entry);
}

void TestLoopTaskQueue::Place(size_t index, const Entry& entry) {
  heap_[index] = entry;
  Record(entry.task, kInHeap, index);
}

async_task_t* TestLoopTaskQueue::RemoveFromHeap(size_t index) {
  async_task_t* task = heap_[index].task;
  const Entry last = heap_.back();
  heap_.pop_back();
  if (index < heap_.size()) {
    // The last entry fills the hole; it may belong above or below it.
    Place(index, last);
    if (index > 0 && Before(last, heap_[(index - 1) / 2])) {
      SiftUp(index);
    } else {
      SiftDown(index);
    }
  }
  Forget(task);
  return task;
}

void TestLoopTaskQueue::SkipDueHoles() {
  while (due_head_ < due_.size() && due_[due_head_] == nullptr) {
    ++due_head_;
  }
  if (due_count_ == 0) {
    // The batch is over: reuse the array from its start.
    due_.clear();
    due_head_ = 0;
  }
}

}  // namespace async::internal
