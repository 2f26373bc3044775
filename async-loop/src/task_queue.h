// The loop's pending and due tasks.
#ifndef ASYNC_LOOP_SRC_TASK_QUEUE_H_
#define ASYNC_LOOP_SRC_TASK_QUEUE_H_

#include <lib/async/task.h>
#include <zircon/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace async::internal {

// Pending tasks ordered by deadline (FIFO among equal deadlines), plus the "due" batch taken out
// of that order for one dispatch. The loop guards the queue with its lock, except for ClaimDue,
// which the one thread dispatching the batch calls without it.
//
// Tasks are caller-owned `async_task_t`s. The queue records where each task is in the task's
// own `async_state_t`, so removing one needs no search; the slot found there must point back at
// the task, so a state that was never zeroed or was forged is not trusted. A task's state is all
// zeros when it is in no part (clients zero it before first use, as Fuchsia asks).
//
// Pending tasks live in one of two places:
//   - a FIFO ring of task pointers for tasks whose deadline is not earlier than that of the last
//     one appended there: the common case (zero-delay posts, periodic timers, increasing
//     deadlines) costs O(1), like the seed's sorted list at its best. The ring is a chain of
//     fixed-size segments that never move, so the dispatching thread can claim from it while
//     other threads append; emptied segments are recycled.
//   - a 4-ary min-heap of contiguous entries for the rest: O(log n), with half the levels of a
//     binary heap, so half the writes of positions into (scattered) tasks when entries move.
//     Removing an entry below the top only marks it (O(1)); marked entries are dropped when
//     they surface, or all at once (O(n), amortised O(1)) once they are the majority.
// The earliest task is the earlier of the two heads; ties go to the task posted first.
//
// Posting need not take the loop's lock: Push puts a task on a lock-free inbox (a stack of the
// tasks themselves, linked through their state), and the lock holder sorts the inbox into the
// ring and heap (DrainInbox) before it looks at the order. Sequence numbers are given in push
// order, so FIFO among equal deadlines holds across threads.
//
// A due batch is either a prefix of the ring, claimed in place (the common case: nothing is
// copied), or, when the heap has due tasks too, an array holding both merged in order.
// Nothing is allocated per task: segments, the heap and the array are reused (amortised).
class TaskQueue {
 public:
  TaskQueue() = default;
  ~TaskQueue();
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Puts `task`, which must be in no part (its state zeroed), on the inbox. Lock-free; may run
  // concurrently with everything else. Returns ZX_ERR_ALREADY_EXISTS, leaving the task alone, if
  // its state is not zero (it may be queued: the caller then checks under the lock), and
  // ZX_ERR_BAD_STATE if the inbox was closed.
  zx_status_t Push(async_task_t* task);

  // Moves the inbox's tasks, oldest first, into the pending tasks (as Insert does). With
  // `close`, no task can be pushed afterwards.
  void DrainInbox(bool close = false);

  // Whether the inbox holds no task. Sequentially consistent with Push, so that a thread that
  // publishes something and then checks this, and a pusher that pushes and then checks what was
  // published, cannot both miss each other.
  bool inbox_empty() const;

  // Whether `task`'s state says it is in the inbox (being pushed, or pushed and not drained).
  bool InInbox(const async_task_t* task) const;

  // Whether `task` is pending or due (and not yet claimed). Tasks still in the inbox are not.
  bool Contains(const async_task_t* task) const;

  // Adds `task` to the pending tasks. It must not be in the queue. Returns whether it became
  // the earliest pending task.
  bool Insert(async_task_t* task);

  // Removes `task` from the pending or due tasks. Returns false if it was in neither, or if the
  // dispatching thread has already claimed it.
  bool Remove(async_task_t* task);

  // Whether `task` is the earliest pending task.
  bool IsEarliest(const async_task_t* task) const;

  // The earliest pending task's deadline, or ZX_TIME_INFINITE if none is pending.
  zx_time_t EarliestDeadline() const;

  bool has_pending() const { return ring_pending_head_ != ring_tail_ || !heap_.empty(); }
  // Whether the due batch still holds a task nobody removed or claimed. Moves the claim cursor
  // past removed entries, so call it only from the thread dispatching the batch, or while no
  // thread does (under the lock).
  bool has_due();

  // Starts a new due batch with every pending task whose deadline is at or before `now`, in
  // order. The previous batch must be used up (has_due() returned false). Returns whether the batch
  // holds any task.
  bool TakeDue(zx_time_t now);

  // Removes and returns the next due task that nobody removed, or null when the batch is used
  // up. Called by the one thread dispatching the batch, without the lock: a concurrent Remove
  // and this claim agree on who gets the task through one atomic exchange.
  async_task_t* ClaimDue();

  // Removes and returns the earliest pending task, or null if there is none.
  async_task_t* PopEarliest();

  // Comparisons made since construction; lets tests bound the work done.
  uint64_t comparisons() const { return comparisons_; }
  // The height a binary heap of the heap's size would have: floor(log2(n)) + 1 (an upper bound
  // of the 4-ary heap's).
  size_t height() const;
  // How many pending tasks are in the heap rather than the FIFO ring.
  size_t heap_size() const { return heap_.size() - heap_removed_; }

 private:
  // Ring positions grow forever; a segment holds kSegmentSlots consecutive positions.
  static constexpr uint64_t kSegmentSlots = 1024;
  // Emptied segments kept for reuse; more are freed.
  static constexpr size_t kMaxFreeSegments = 16;

  struct Segment {
    std::atomic<async_task_t*> slots[kSegmentSlots];  // null where removed or claimed
    std::atomic<Segment*> next{nullptr};
  };

  // Every insertion takes the next sequence number; a ring task's position is its sequence
  // number (positions of heap tasks stay empty in the ring), so (deadline, sequence) orders
  // tasks across both places.
  struct HeapEntry {
    zx_time_t deadline;
    uint64_t sequence;
    async_task_t* task;
  };

  // --- The ring ---
  // The segment holding `position`, or null if it has no storage (a gap, or retired).
  Segment* SegmentFor(uint64_t position) const {
    const uint64_t offset = position / kSegmentSlots - first_segment_;
    // Positions below first_segment_ wrap around to huge offsets.
    return offset < segments_.size() - segments_begin_ ? segments_[segments_begin_ + offset]
                                                       : nullptr;
  }
  size_t segment_count() const { return segments_.size() - segments_begin_; }
  std::atomic<async_task_t*>& Slot(uint64_t position) const;
  void RingAppend(async_task_t* task, uint64_t position);
  // Makes sure a segment holds `position`, linking it after the previous one when contiguous.
  void RingCover(uint64_t position);
  // Moves every pending ring task into the heap, once the pending ring holds mostly holes.
  void RingMigrateIfSparse();
  void RingSkipRemovedPending();
  bool RingPendingEmpty() const { return ring_pending_head_ == ring_tail_; }
  async_task_t* RingPendingHead() const;
  async_task_t* RingPopPendingHead();
  void RingRetireSegmentsBelow(uint64_t position);
  Segment* NewSegment();

  // --- The heap ---
  static constexpr size_t kArity = 4;
  static bool Before(const HeapEntry& a, const HeapEntry& b, uint64_t* comparisons);
  void Place(size_t index, const HeapEntry& entry);
  void Move(size_t to, size_t from);
  void SiftUp(size_t index);
  void SiftDown(size_t index);
  // Removes the top entry; returns its task (null if it was marked removed).
  async_task_t* HeapRemoveTop();
  // Removes the top, then any removed entries that surface. Returns the top's task.
  async_task_t* HeapPopTop();
  // Removes the entry at `index`: at once if it is the top, else by marking it removed.
  void HeapRemoveLazily(size_t index);

  // --- Both ---
  // Whether the ring's pending head comes before the heap's top. At least one must exist.
  bool RingHeadIsEarliest() const;
  void ArrayAppend(async_task_t* task);

  // Segments holding positions [first_segment_ * kSegmentSlots, ...), oldest first. Only
  // touched under the lock; the claiming thread walks `Segment::next` instead.
  // Null entries are gaps without storage (never inside the pending part or a due batch).
  // segments_[segments_begin_] holds segment number first_segment_; retired entries before
  // segments_begin_ are dropped in bulk.
  std::vector<Segment*> segments_;
  size_t segments_begin_ = 0;
  uint64_t first_segment_ = 0;
  // The segment of the last position appended at, for the common append.
  Segment* tail_segment_ = nullptr;
  uint64_t tail_segment_number_ = 0;
  std::vector<Segment*> free_segments_;
  uint64_t ring_tail_ = 0;            // one past the last position appended at
  uint64_t ring_pending_head_ = 0;    // the first pending position (live, or == tail)
  size_t ring_live_ = 0;              // live tasks in the pending part
  zx_time_t ring_last_deadline_ = 0;  // of the last task appended; later ones must not be earlier

  // Entries whose task was removed hold a null task; the top is never one of them.
  std::vector<HeapEntry> heap_;
  size_t heap_removed_ = 0;
  uint64_t next_sequence_ = 0;

  // The due batch. Ring mode: positions [ring_claim_, ring_due_end_), claimed in place, with
  // `claim_segment_` the segment of ring_claim_. Array mode: slots [array_head_, array_size_)
  // of `array_`. A removed or claimed slot holds null. The cursors are atomics only so that
  // has_due() may be read from other threads; the claiming thread alone moves them.
  bool batch_in_array_ = false;
  std::atomic<uint64_t> ring_claim_{0};
  uint64_t ring_due_end_ = 0;
  Segment* claim_segment_ = nullptr;
  std::unique_ptr<std::atomic<async_task_t*>[]> array_;
  size_t array_capacity_ = 0;
  size_t array_size_ = 0;
  std::atomic<size_t> array_head_{0};

  // The inbox: the newest pushed task, linking to older ones; kInboxClosed once closed.
  std::atomic<async_task_t*> inbox_{nullptr};

  uint64_t comparisons_ = 0;
};

}  // namespace async::internal

#endif  // ASYNC_LOOP_SRC_TASK_QUEUE_H_
