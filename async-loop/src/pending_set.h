// The loop's pending waits and bound exceptions.
#ifndef ASYNC_LOOP_SRC_PENDING_SET_H_
#define ASYNC_LOOP_SRC_PENDING_SET_H_

#include <lib/async/dispatcher.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace async::internal {

// A set of caller-owned operations (`async_wait_t`, `async_exception_t`: anything with an
// `async_state_t state`) that the loop tracks until they complete or are cancelled, kept in the
// order they were added. Thread-compatible: the loop guards it with its lock.
//
// Each operation's state holds its index in an array kept in insertion order. Removing leaves a
// hole that a later compaction closes, so adding, removing and taking the newest are O(1)
// amortised. The array entry must point back at the operation, so a state that was never
// zeroed, or was forged, is recognised as "not pending" rather than trusted.
template <typename Operation>
class PendingSet {
 public:
  // Whether `operation` is in this set.
  bool Contains(const Operation* operation) const {
    const uintptr_t index = operation->state.reserved[1];
    return operation->state.reserved[0] == kMember && index < entries_.size() &&
           entries_[index] == operation;
  }

  // Adds `operation`, which must not be in the set.
  void Add(Operation* operation) {
    SetIndex(operation, entries_.size());
    entries_.push_back(operation);
    ++count_;
  }

  // Removes `operation`. Returns false if it was not in the set.
  bool Remove(Operation* operation) {
    if (!Contains(operation)) {
      return false;
    }
    entries_[operation->state.reserved[1]] = nullptr;
    Forget(operation);
    if (entries_.size() > kMinCompactionSize && count_ < entries_.size() / 2) {
      Compact();
    }
    return true;
  }

  // Removes and returns the most recently added operation, or null if the set is empty.
  Operation* PopNewest() {
    while (!entries_.empty()) {
      Operation* operation = entries_.back();
      entries_.pop_back();
      if (operation != nullptr) {
        Forget(operation);
        return operation;
      }
    }
    return nullptr;
  }

  bool empty() const { return count_ == 0; }

 private:
  // Marks a member in `state.reserved[0]`; zero means "not a member", as clients zero states.
  static constexpr uintptr_t kMember = 0x706c6f6f70u;  // "ploop"
  // Below this size holes are left alone.
  static constexpr size_t kMinCompactionSize = 64;

  static void SetIndex(Operation* operation, size_t index) {
    operation->state.reserved[0] = kMember;
    operation->state.reserved[1] = index;
  }

  void Forget(Operation* operation) {
    operation->state.reserved[0] = 0;
    operation->state.reserved[1] = 0;
    --count_;
  }

  void Compact() {
    size_t kept = 0;
    for (Operation* operation : entries_) {
      if (operation != nullptr) {
        SetIndex(operation, kept);
        entries_[kept++] = operation;
      }
    }
    entries_.resize(kept);
  }

  std::vector<Operation*> entries_;  // null where an operation was removed
  size_t count_ = 0;
};

}  // namespace async::internal

#endif  // ASYNC_LOOP_SRC_PENDING_SET_H_
