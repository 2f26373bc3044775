#include "async-loop/src/task_queue.h"

#include <zircon/assert.h>

#include <algorithm>
#include <utility>

namespace async::internal {
namespace {

// Where a task is, in `state.reserved[0]`; the position within that part is in `reserved[1]`.
// The state is read and written through atomic_ref: the dispatching thread clears a claimed
// task's state without the lock while a canceller may be reading it under the lock.
enum Location : uintptr_t {
  kNowhere = 0,  // what clients zero the state to
  kHeap = 1,
  kArray = 2,
  kRing = 3,
  kInbox = 4,  // `reserved[1]` links to the next older task of the inbox
};

// The inbox's head once closed: no task is ever at this address.
async_task_t* const kInboxClosed = reinterpret_cast<async_task_t*>(alignof(async_task_t));

uintptr_t LoadState(const async_task_t* task, int word) {
  return std::atomic_ref<const uintptr_t>(task->state.reserved[word])
      .load(std::memory_order_relaxed);
}

void StoreState(async_task_t* task, int word, uintptr_t value) {
  std::atomic_ref<uintptr_t>(task->state.reserved[word]).store(value, std::memory_order_relaxed);
}

Location LocationOf(const async_task_t* task) { return static_cast<Location>(LoadState(task, 0)); }

uintptr_t PositionOf(const async_task_t* task) { return LoadState(task, 1); }

void SetLocation(async_task_t* task, Location location, uintptr_t position) {
  StoreState(task, 0, location);
  StoreState(task, 1, position);
}

}  // namespace

TaskQueue::~TaskQueue() {
  for (size_t i = segments_begin_; i < segments_.size(); ++i) {
    delete segments_[i];
  }
  for (Segment* segment : free_segments_) {
    delete segment;
  }
}

zx_status_t TaskQueue::Push(async_task_t* task) {
  // Claiming the state first makes two concurrent posts of one task a clean failure.
  uintptr_t expected = kNowhere;
  if (!std::atomic_ref<uintptr_t>(task->state.reserved[0])
           .compare_exchange_strong(expected, kInbox, std::memory_order_relaxed)) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  async_task_t* head = inbox_.load(std::memory_order_relaxed);
  do {
    if (head == kInboxClosed) {
      StoreState(task, 0, kNowhere);
      return ZX_ERR_BAD_STATE;
    }
    StoreState(task, 1, reinterpret_cast<uintptr_t>(head));
  } while (!inbox_.compare_exchange_weak(head, task, std::memory_order_seq_cst,
                                         std::memory_order_relaxed));
  return ZX_OK;
}

void TaskQueue::DrainInbox(bool close) {
  if (!close && inbox_.load(std::memory_order_relaxed) == nullptr) {
    return;
  }
  async_task_t* newest = inbox_.exchange(close ? kInboxClosed : nullptr, std::memory_order_seq_cst);
  if (newest == kInboxClosed) {
    return;
  }
  // Reverse the stack, then insert oldest first.
  async_task_t* oldest = nullptr;
  while (newest != nullptr) {
    auto* older = reinterpret_cast<async_task_t*>(LoadState(newest, 1));
    StoreState(newest, 1, reinterpret_cast<uintptr_t>(oldest));
    oldest = newest;
    newest = older;
  }
  while (oldest != nullptr) {
    auto* next = reinterpret_cast<async_task_t*>(LoadState(oldest, 1));
    // Insert overwrites the state; it stays non-zero throughout, so a concurrent Push of this
    // task keeps failing.
    Insert(oldest);
    oldest = next;
  }
}

bool TaskQueue::InInbox(const async_task_t* task) const { return LocationOf(task) == kInbox; }

bool TaskQueue::inbox_empty() const {
  async_task_t* head = inbox_.load(std::memory_order_seq_cst);
  return head == nullptr || head == kInboxClosed;
}

bool TaskQueue::Contains(const async_task_t* task) const {
  // The slot must point back at the task: a state never zeroed, or forged, is not trusted.
  const uintptr_t position = PositionOf(task);
  switch (LocationOf(task)) {
    case kHeap:
      return position < heap_.size() && heap_[position].task == task;
    case kRing: {
      const Segment* segment = SegmentFor(position);
      return segment != nullptr &&
             segment->slots[position % kSegmentSlots].load(std::memory_order_relaxed) == task;
    }
    case kArray:
      return position < array_size_ && array_[position].load(std::memory_order_relaxed) == task;
    default:
      return false;
  }
}

bool TaskQueue::has_due() {
  // Removed entries at the batch's front are skipped, so that a batch holding only removed
  // tasks counts as used up, as the seed's due list does once they were unlinked.
  if (batch_in_array_) {
    size_t head = array_head_.load(std::memory_order_relaxed);
    while (head != array_size_ && array_[head].load(std::memory_order_relaxed) == nullptr) {
      ++head;
    }
    array_head_.store(head, std::memory_order_relaxed);
    return head != array_size_;
  }
  uint64_t position = ring_claim_.load(std::memory_order_relaxed);
  while (position != ring_due_end_ && claim_segment_->slots[position % kSegmentSlots].load(
                                          std::memory_order_relaxed) == nullptr) {
    ++position;
    if (position % kSegmentSlots == 0 && position != ring_due_end_) {
      claim_segment_ = claim_segment_->next.load(std::memory_order_acquire);
    }
  }
  ring_claim_.store(position, std::memory_order_release);
  return position != ring_due_end_;
}

// --- The ring ----------------------------------------------------------------------------------

std::atomic<async_task_t*>& TaskQueue::Slot(uint64_t position) const {
  Segment* segment = SegmentFor(position);
  ZX_DEBUG_ASSERT(segment != nullptr);
  return segment->slots[position % kSegmentSlots];
}

TaskQueue::Segment* TaskQueue::NewSegment() {
  Segment* segment;
  if (!free_segments_.empty()) {
    segment = free_segments_.back();
    free_segments_.pop_back();
  } else {
    segment = new Segment;
  }
  for (std::atomic<async_task_t*>& slot : segment->slots) {
    slot.store(nullptr, std::memory_order_relaxed);
  }
  segment->next.store(nullptr, std::memory_order_relaxed);
  return segment;
}

void TaskQueue::RingRetireSegmentsBelow(uint64_t position) {
  while (segment_count() != 0 && (first_segment_ + 1) * kSegmentSlots <= position) {
    Segment* segment = segments_[segments_begin_];
    segments_[segments_begin_] = nullptr;
    ++segments_begin_;
    ++first_segment_;
    if (segment == tail_segment_) {
      tail_segment_ = nullptr;
    }
    if (segment == nullptr) {
      continue;
    }
    if (free_segments_.size() < kMaxFreeSegments) {
      free_segments_.push_back(segment);
    } else {
      delete segment;
    }
  }
  // Drop retired entries once they are half the vector: amortised O(1), and in a steady state
  // the vector stops growing (so it stops allocating).
  if (segments_begin_ != 0 && 2 * segments_begin_ >= segments_.size()) {
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<ptrdiff_t>(segments_begin_));
    segments_begin_ = 0;
  }
}

void TaskQueue::RingCover(uint64_t position) {
  const uint64_t number = position / kSegmentSlots;
  if (segment_count() == 0) {
    first_segment_ = number;
  }
  while (first_segment_ + segment_count() <= number) {
    segments_.push_back(nullptr);
  }
  // The pending part needs storage for every position in it, holes included; a ring that
  // starts over needs it only from its new head (the positions skipped are never read).
  const uint64_t from =
      RingPendingEmpty() ? number : std::max(first_segment_, ring_tail_ / kSegmentSlots);
  for (uint64_t n = from; n <= number; ++n) {
    Segment*& segment = segments_[segments_begin_ + (n - first_segment_)];
    if (segment != nullptr) {
      continue;
    }
    segment = NewSegment();
    if (n > first_segment_) {
      Segment* previous = segments_[segments_begin_ + (n - first_segment_) - 1];
      if (previous != nullptr) {
        previous->next.store(segment, std::memory_order_release);
      }
    }
  }
  tail_segment_ = segments_[segments_begin_ + (number - first_segment_)];
  tail_segment_number_ = number;
}

void TaskQueue::RingAppend(async_task_t* task, uint64_t position) {
  if (RingPendingEmpty()) {
    // The ring starts over at this task. Segments below the claiming thread's position and
    // the new head hold nothing anyone reads any more.
    RingRetireSegmentsBelow(
        std::min(ring_claim_.load(std::memory_order_acquire), ring_pending_head_));
  }
  if (tail_segment_ == nullptr || position / kSegmentSlots != tail_segment_number_) {
    RingCover(position);
  }
  if (RingPendingEmpty()) {
    ring_pending_head_ = position;
  }
  tail_segment_->slots[position % kSegmentSlots].store(task, std::memory_order_relaxed);
  SetLocation(task, kRing, position);
  ring_tail_ = position + 1;
  ring_last_deadline_ = task->deadline;
  ++ring_live_;
}

void TaskQueue::RingSkipRemovedPending() {
  while (ring_pending_head_ != ring_tail_ &&
         Slot(ring_pending_head_).load(std::memory_order_relaxed) == nullptr) {
    ++ring_pending_head_;
  }
}

async_task_t* TaskQueue::RingPendingHead() const {
  return Slot(ring_pending_head_).load(std::memory_order_relaxed);
}

async_task_t* TaskQueue::RingPopPendingHead() {
  async_task_t* task = Slot(ring_pending_head_).exchange(nullptr, std::memory_order_relaxed);
  ++ring_pending_head_;
  --ring_live_;
  RingSkipRemovedPending();
  SetLocation(task, kNowhere, 0);
  return task;
}

void TaskQueue::RingMigrateIfSparse() {
  const uint64_t span = ring_tail_ - ring_pending_head_;
  if (span <= kSegmentSlots || span <= 8 * ring_live_) {
    return;
  }
  // Mostly holes (heap insertions and removals) behind a long-lived head: the heap takes the
  // few live tasks, keeping their sequence numbers, and the ring's segments can be retired.
  for (uint64_t position = ring_pending_head_; position != ring_tail_; ++position) {
    async_task_t* task = Slot(position).exchange(nullptr, std::memory_order_relaxed);
    if (task != nullptr) {
      heap_.push_back(HeapEntry{task->deadline, position, task});
      SiftUp(heap_.size() - 1);
    }
  }
  ring_pending_head_ = ring_tail_;
  ring_live_ = 0;
  RingRetireSegmentsBelow(
      std::min(ring_claim_.load(std::memory_order_acquire), ring_pending_head_));
}

// --- The heap ----------------------------------------------------------------------------------

bool TaskQueue::Before(const HeapEntry& a, const HeapEntry& b, uint64_t* comparisons) {
  ++*comparisons;
  return a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence;
}

void TaskQueue::Place(size_t index, const HeapEntry& entry) {
  heap_[index] = entry;
  if (entry.task != nullptr) {
    SetLocation(entry.task, kHeap, index);
  }
}

void TaskQueue::Move(size_t to, size_t from) {
  // The moved task is already in the heap: only its position changes.
  heap_[to] = heap_[from];
  if (heap_[to].task != nullptr) {
    StoreState(heap_[to].task, 1, to);
  }
}

async_task_t* TaskQueue::HeapPopTop() {
  async_task_t* task = HeapRemoveTop();
  // Keep the top live: removed entries are dropped as they surface.
  while (!heap_.empty() && heap_.front().task == nullptr) {
    HeapRemoveTop();
    --heap_removed_;
  }
  return task;
}

void TaskQueue::HeapRemoveLazily(size_t index) {
  if (index == 0) {
    HeapPopTop();
    return;
  }
  // Below the top, a removal only marks the entry: O(1), and no scattered writes to the tasks
  // that would have moved. Marked entries go when they surface, or all at once when they are
  // the majority.
  SetLocation(heap_[index].task, kNowhere, 0);
  heap_[index].task = nullptr;
  ++heap_removed_;
  if (heap_removed_ > 1024 && 2 * heap_removed_ > heap_.size()) {
    std::erase_if(heap_, [](const HeapEntry& entry) { return entry.task == nullptr; });
    heap_removed_ = 0;
    for (size_t i = 0; i < heap_.size(); ++i) {
      StoreState(heap_[i].task, 1, i);
    }
    for (size_t i = heap_.size() / kArity + 1; i-- > 0;) {
      if (i < heap_.size()) {
        SiftDown(i);
      }
    }
  }
}

// The sifts count comparisons in a local and add it once: a member incremented in the loop
// would be reloaded after every store through a task pointer, which may alias it.
void TaskQueue::SiftUp(size_t index) {
  const HeapEntry entry = heap_[index];
  uint64_t comparisons = 0;
  while (index > 0) {
    const size_t parent = (index - 1) / kArity;
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
  const HeapEntry entry = heap_[index];
  const size_t size = heap_.size();
  uint64_t comparisons = 0;
  for (;;) {
    const size_t first_child = kArity * index + 1;
    if (first_child >= size) {
      break;
    }
    size_t child = first_child;
    const size_t end = std::min(first_child + kArity, size);
    for (size_t other = first_child + 1; other < end; ++other) {
      if (Before(heap_[other], heap_[child], &comparisons)) {
        child = other;
      }
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

async_task_t* TaskQueue::HeapRemoveTop() {
  async_task_t* task = heap_.front().task;
  const HeapEntry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) {
    Place(0, last);
    SiftDown(0);
  }
  if (task != nullptr) {
    SetLocation(task, kNowhere, 0);
  }
  return task;
}

// --- Both --------------------------------------------------------------------------------------

bool TaskQueue::RingHeadIsEarliest() const {
  if (RingPendingEmpty()) {
    return false;
  }
  if (heap_.empty()) {
    return true;
  }
  const async_task_t* head = RingPendingHead();
  const HeapEntry& top = heap_.front();
  return head->deadline != top.deadline ? head->deadline < top.deadline
                                        : ring_pending_head_ < top.sequence;
}

bool TaskQueue::Insert(async_task_t* task) {
  ZX_DEBUG_ASSERT(!Contains(task));
  const uint64_t sequence = next_sequence_++;
  if (!RingPendingEmpty() && task->deadline >= ring_last_deadline_) {
    RingAppend(task, sequence);
    return false;  // behind the ring's head
  }
  if (RingPendingEmpty()) {
    RingAppend(task, sequence);
    return heap_.empty() || task->deadline < heap_.front().deadline;
  }
  heap_.push_back(HeapEntry{task->deadline, sequence, task});
  SiftUp(heap_.size() - 1);
  RingMigrateIfSparse();
  return IsEarliest(task);
}

bool TaskQueue::Remove(async_task_t* task) {
  if (!Contains(task)) {
    return false;
  }
  const uintptr_t position = PositionOf(task);
  switch (LocationOf(task)) {
    case kHeap:
      HeapRemoveLazily(position);
      return true;
    case kRing: {
      // In a due batch the dispatching thread may be claiming this very slot: one of us wins.
      async_task_t* expected = task;
      if (!Slot(position).compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) {
        return false;
      }
      SetLocation(task, kNowhere, 0);
      if (position >= ring_pending_head_) {
        --ring_live_;
        if (position == ring_pending_head_) {
          RingSkipRemovedPending();
        }
        RingMigrateIfSparse();
      }
      return true;
    }
    case kArray: {
      async_task_t* expected = task;
      if (!array_[position].compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) {
        return false;
      }
      SetLocation(task, kNowhere, 0);
      return true;
    }
    default:
      return false;
  }
}

bool TaskQueue::IsEarliest(const async_task_t* task) const {
  if (!has_pending()) {
    return false;
  }
  return RingHeadIsEarliest() ? RingPendingHead() == task : heap_.front().task == task;
}

zx_time_t TaskQueue::EarliestDeadline() const {
  if (!has_pending()) {
    return ZX_TIME_INFINITE;
  }
  return RingHeadIsEarliest() ? RingPendingHead()->deadline : heap_.front().deadline;
}

void TaskQueue::ArrayAppend(async_task_t* task) {
  if (array_size_ == array_capacity_) {
    // No claims are in flight (the previous batch is used up), so the slots may move.
    const size_t capacity = array_capacity_ == 0 ? 64 : 2 * array_capacity_;
    std::unique_ptr<std::atomic<async_task_t*>[]> grown(new std::atomic<async_task_t*>[capacity]);
    for (size_t i = 0; i < array_size_; ++i) {
      grown[i].store(array_[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
    }
    array_ = std::move(grown);
    array_capacity_ = capacity;
  }
  array_[array_size_].store(task, std::memory_order_relaxed);
  SetLocation(task, kArray, array_size_);
  ++array_size_;
}

bool TaskQueue::TakeDue(zx_time_t now) {
  // The callers asked has_due() first, which moved the cursor past removed entries.
  ZX_DEBUG_ASSERT(batch_in_array_ ? array_head_.load(std::memory_order_relaxed) == array_size_
                                  : ring_claim_.load(std::memory_order_relaxed) == ring_due_end_);
  array_size_ = 0;
  array_head_.store(0, std::memory_order_relaxed);
  const uint64_t start = ring_pending_head_;
  if (heap_.empty() || heap_.front().deadline > now) {
    // Only the ring has due tasks: the batch is its prefix, claimed in place.
    batch_in_array_ = false;
    uint64_t end = start;
    if (ring_last_deadline_ <= now) {
      // The whole ring is due (a burst of zero-delay posts): no need to look at each task.
      end = ring_tail_;
      ring_live_ = 0;
    }
    while (end != ring_tail_) {
      const async_task_t* task = Slot(end).load(std::memory_order_relaxed);
      if (task != nullptr) {
        if (task->deadline > now) {
          break;
        }
        --ring_live_;
      }
      ++end;
    }
    ring_due_end_ = end;
    ring_pending_head_ = end;
    claim_segment_ = start != end ? SegmentFor(start) : nullptr;
    ring_claim_.store(start, std::memory_order_release);
    return start != end;
  }
  // Both have due tasks: merge them into the array, taking the earlier head each time.
  batch_in_array_ = true;
  ring_due_end_ = start;
  ring_claim_.store(start, std::memory_order_release);
  for (;;) {
    if (RingHeadIsEarliest()) {
      if (RingPendingHead()->deadline > now) {
        break;
      }
      ArrayAppend(RingPopPendingHead());
    } else if (!heap_.empty() && heap_.front().deadline <= now) {
      ArrayAppend(HeapPopTop());
    } else {
      break;
    }
  }
  return array_size_ != 0;
}

async_task_t* TaskQueue::ClaimDue() {
  if (batch_in_array_) {
    size_t head = array_head_.load(std::memory_order_relaxed);
    while (head != array_size_) {
      async_task_t* task = array_[head].exchange(nullptr, std::memory_order_acq_rel);
      ++head;
      if (task != nullptr) {
        array_head_.store(head, std::memory_order_relaxed);
        SetLocation(task, kNowhere, 0);
        return task;
      }
    }
    array_head_.store(head, std::memory_order_relaxed);
    return nullptr;
  }
  uint64_t position = ring_claim_.load(std::memory_order_relaxed);
  while (position != ring_due_end_) {
    async_task_t* task = claim_segment_->slots[position % kSegmentSlots].exchange(
        nullptr, std::memory_order_acq_rel);
    ++position;
    if (position % kSegmentSlots == 0 && position != ring_due_end_) {
      claim_segment_ = claim_segment_->next.load(std::memory_order_acquire);
    }
    if (task != nullptr) {
      // release: a thread retiring segments below this position sees the claim done.
      ring_claim_.store(position, std::memory_order_release);
      SetLocation(task, kNowhere, 0);
      return task;
    }
  }
  ring_claim_.store(position, std::memory_order_release);
  return nullptr;
}

async_task_t* TaskQueue::PopEarliest() {
  if (!has_pending()) {
    return nullptr;
  }
  return RingHeadIsEarliest() ? RingPopPendingHead() : HeapPopTop();
}

size_t TaskQueue::height() const {
  size_t height = 0;
  for (size_t n = heap_.size(); n != 0; n /= 2) {
    ++height;
  }
  return height;
}

}  // namespace async::internal
