// An intrusive doubly linked list: items derive from ListNode<Tag>, one base per list they join.
#ifndef ZIRCON_SRC_KERNEL_INTRUSIVE_LIST_H_
#define ZIRCON_SRC_KERNEL_INTRUSIVE_LIST_H_

#include <cstddef>

namespace zircon::kernel {

// The links of one list membership. `Tag` tells memberships apart when a type joins several.
template <typename Tag>
class ListNode {
 public:
  ListNode() = default;
  ListNode(const ListNode&) = delete;
  ListNode& operator=(const ListNode&) = delete;

  bool InList() const { return next_ != nullptr; }

 private:
  template <typename T, typename U>
  friend class IntrusiveList;
  ListNode* prev_ = nullptr;
  ListNode* next_ = nullptr;
};

// A list of `T`s that does not own them. O(1) insert and erase. Thread-compatible.
template <typename T, typename Tag>
class IntrusiveList {
  using Node = ListNode<Tag>;

 public:
  IntrusiveList() { head_.prev_ = head_.next_ = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  bool empty() const { return head_.next_ == &head_; }
  size_t size() const { return size_; }

  void push_back(T* item) { InsertBefore(&head_, item); }
  void push_front(T* item) { InsertBefore(head_.next_, item); }

  void erase(T* item) {
    Node* node = item;
    node->prev_->next_ = node->next_;
    node->next_->prev_ = node->prev_;
    node->prev_ = node->next_ = nullptr;
    --size_;
  }

  T* front() const { return empty() ? nullptr : static_cast<T*>(head_.next_); }

  T* pop_front() {
    T* item = front();
    if (item != nullptr) {
      erase(item);
    }
    return item;
  }

  // Calls `visit(item)` on each item, in order. `visit` must not change the list.
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const Node* node = head_.next_; node != &head_; node = node->next_) {
      visit(static_cast<const T*>(node));
    }
  }
  template <typename Visit>
  void ForEach(Visit visit) {
    for (Node* node = head_.next_; node != &head_; node = node->next_) {
      visit(static_cast<T*>(node));
    }
  }

  // Erases each item for which `predicate(item)` is true, then calls `on_erased(item)`, which
  // may free it.
  template <typename Predicate, typename OnErased>
  void EraseIf(Predicate predicate, OnErased on_erased) {
    Node* node = head_.next_;
    while (node != &head_) {
      Node* next = node->next_;
      T* item = static_cast<T*>(node);
      if (predicate(item)) {
        erase(item);
        on_erased(item);
      }
      node = next;
    }
  }

 private:
  void InsertBefore(Node* position, T* item) {
    Node* node = item;
    node->next_ = position;
    node->prev_ = position->prev_;
    position->prev_->next_ = node;
    position->prev_ = node;
    ++size_;
  }

  Node head_;
  size_t size_ = 0;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_INTRUSIVE_LIST_H_
