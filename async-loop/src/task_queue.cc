#include "async-loop/src/task_queue.h"

#include <zircon/assert.h>

#include <utility>

namespace async::internal {
namespace {

// Where a task is, in `state.reserved[0]`; the position within that part is in `reserved[1]`.
enum Location : uintptr_t {
  kNowhere = 0,  // what clients zero the state to
  kPending = 1,
  kDue = 2,
};

Location LocationOf(const async_task_t* task) {
  return static_cast<Location>(task->state.reserved[0]);
}

void SetLocation(async_task_t* task, Location location, size_t position) {
  task->state.reserved[0] = location;
  task->state.reserved[1] = position;
}

}  // namespace

bool TaskQueue::Contains(const async_task_t* task) const {
  // The entry must point back at the task: a state never zeroed, or forged, is not trusted.
  const uintptr_t position = task->state.reserved[1];
  switch (LocationOf(task)) {
    case kPending:
      return position < heap_.size() && heap_[position].task == task;
    case kDue:
      return position < due_.size() && due_[position] == task;
    default:
      return false;
  }
}

bool TaskQueue::Before(const Entry& a, const Entry& b, uint64_t* comparisons) {
  ++*comparisons;
  return a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence;
}

void TaskQueue::Place(size_t index, const Entry& entry) {
  heap_[index] = entry;
  SetLocation(entry.task, kPending, index);
}

void TaskQueue::Move(size_t to, size_t from) {
  // The moved task is already pending: only its position changes.
  heap_[to] = heap_[from];
  heap_[to].task->state.reserved[1] = to;
}

// The sifts count comparisons in a local and add it once: a member incremented in the loop
// would be reloaded after every store through a task pointer, which may alias it.
void TaskQueue::SiftUp(size_t index) {
  const Entry entry = heap_[index];
  uint64_t comparisons = 0;
  while (index > 0) {
    const size_t parent = (index - 1) / 2;
    if (!Before(entry, heap_[parent], &comparisons)) {
      break;
    }
    Move(index, parent);
    index = parent;
  }
  Place(index, entry);
  comparisons_ += comparisons;
}

void TaskQueue::SiftDown(size_t index) {
  const Entry entry = heap_[index];
  const size_t size = heap_.size();
  uint64_t comparisons = 0;
  for (;;) {
    size_t child = 2 * index + 1;
    if (child >= size) {
      break;
    }
    if (child + 1 < size && Before(heap_[child + 1], heap_[child], &comparisons)) {
      ++child;
    }
    if (!Before(heap_[child], entry, &comparisons)) {
      break;
    }
    Move(index, child);
    index = child;
  }
  Place(index, entry);
  comparisons_ += comparisons;
}

bool TaskQueue::Insert(async_task_t* task) {
  ZX_DEBUG_ASSERT(!Contains(task));
  heap_.push_back(Entry{task->deadline, next_sequence_++, task});
  SiftUp(heap_.size() - 1);
  return heap_.front().task == task;
}

async_task_t* TaskQueue::RemoveAt(size_t index) {
  async_task_t* task = heap_[index].task;
  const Entry last = heap_.back();
  heap_.pop_back();
  if (index < heap_.size()) {
    Place(index, last);
    if (index > 0 && Before(last, heap_[(index - 1) / 2], &comparisons_)) {
      SiftUp(index);
    } else {
      SiftDown(index);
    }
  }
  SetLocation(task, kNowhere, 0);
  return task;
}

bool TaskQueue::Remove(async_task_t* task) {
  if (!Contains(task)) {
    return false;
  }
  switch (LocationOf(task)) {
    case kPending:
      RemoveAt(task->state.reserved[1]);
      return true;
    case kDue:
      due_[task->state.reserved[1]] = nullptr;
      --due_count_;
      SetLocation(task, kNowhere, 0);
      return true;
    default:
      return false;
  }
}

bool TaskQueue::IsEarliest(const async_task_t* task) const {
  return !heap_.empty() && heap_.front().task == task;
}

zx_time_t TaskQueue::EarliestDeadline() const {
  return heap_.empty() ? ZX_TIME_INFINITE : heap_.front().deadline;
}

void TaskQueue::TakeDue(zx_time_t now) {
  if (due_count_ == 0) {
    due_.clear();
    due_head_ = 0;
  }
  while (!heap_.empty() && heap_.front().deadline <= now) {
    async_task_t* task = RemoveAt(0);
    SetLocation(task, kDue, due_.size());
    due_.push_back(task);
    ++due_count_;
  }
}

async_task_t* TaskQueue::PopDue() {
  while (due_head_ < due_.size()) {
    async_task_t* task = due_[due_head_++];
    if (task != nullptr) {
      --due_count_;
      SetLocation(task, kNowhere, 0);
      return task;
    }
  }
  // Drained: start the next batch at the beginning, keeping the array's capacity.
  due_.clear();
  due_head_ = 0;
  return nullptr;
}

async_task_t* TaskQueue::PopEarliest() { return heap_.empty() ? nullptr : RemoveAt(0); }

size_t TaskQueue::height() const {
  size_t height = 0;
  for (size_t n = heap_.size(); n != 0; n /= 2) {
    ++height;
  }
  return height;
}

}  // namespace async::internal
