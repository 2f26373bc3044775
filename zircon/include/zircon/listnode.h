// <zircon/listnode.h>: an intrusive, circular, doubly linked list.
//
// A list is a `list_node_t` head whose `next`/`prev` point at the first/last element, or at the
// head itself when the list is empty. Elements embed a `list_node_t` and are owned by the caller:
// the list never allocates or frees. A node that is in no list has both pointers NULL (see
// list_clear_node() and list_delete()), which is what list_in_list() tests.
//
// Thread-compatible: callers serialize access to a list. Compiles as C11 and C++.

#ifndef ZIRCON_LISTNODE_H_
#define ZIRCON_LISTNODE_H_

#include <zircon/compiler.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__BEGIN_CDECLS

// containerof(ptr, type, member): the `type*` whose field `member` is at `ptr`.
#define containerof(ptr, type, member) ((type*)((uintptr_t)(ptr)-offsetof(type, member)))

typedef struct list_node list_node_t;

// A list head, or the link embedded in an element.
struct list_node {
  list_node_t* prev;
  list_node_t* next;
};

// Static initializer of an empty list head named `list`: `list_node_t l = LIST_INITIAL_VALUE(l);`
#define LIST_INITIAL_VALUE(list) \
  { &(list), &(list) }
// Static initializer of a node that is in no list.
#define LIST_INITIAL_CLEARED_VALUE \
  { NULL, NULL }

// Makes `list` an empty list head.
static inline void list_initialize(list_node_t* list) {
  list->prev = list;
  list->next = list;
}

// Marks `item` as being in no list.
static inline void list_clear_node(list_node_t* item) {
  item->prev = NULL;
  item->next = NULL;
}

// Returns true if `item` is linked into a list (either pointer is non-NULL).
static inline bool list_in_list(const list_node_t* item) {
  return item->prev != NULL || item->next != NULL;
}

// Inserts `item` first in `list` (right after the head).
static inline void list_add_head(list_node_t* list, list_node_t* item) {
  item->next = list->next;
  item->prev = list;
  list->next->prev = item;
  list->next = item;
}

// Inserts `item` last in `list` (right before the head).
static inline void list_add_tail(list_node_t* list, list_node_t* item) {
  item->prev = list->prev;
  item->next = list;
  list->prev->next = item;
  list->prev = item;
}

// Inserts `new_entry` right after `entry`, which is in a list (or is a head).
static inline void list_add_after(list_node_t* entry, list_node_t* new_entry) {
  list_add_head(entry, new_entry);
}

// Inserts `new_entry` right before `entry`, which is in a list (or is a head).
static inline void list_add_before(list_node_t* entry, list_node_t* new_entry) {
  list_add_tail(entry, new_entry);
}

// Unlinks `item` from its list and clears both of its pointers. `item` must be in a list.
static inline void list_delete(list_node_t* item) {
  item->next->prev = item->prev;
  item->prev->next = item->next;
  item->prev = NULL;
  item->next = NULL;
}

// Puts `new_node` (in no list) where `old_node` is, and clears `old_node`.
static inline void list_replace_node(list_node_t* old_node, list_node_t* new_node) {
  new_node->next = old_node->next;
  new_node->prev = old_node->prev;
  new_node->next->prev = new_node;
  new_node->prev->next = new_node;
  old_node->prev = NULL;
  old_node->next = NULL;
}

// Unlinks and returns the first element of `list`, or NULL if it is empty.
static inline list_node_t* list_remove_head(list_node_t* list) {
  if (list->next == list) {
    return NULL;
  }
  list_node_t* item = list->next;
  list_delete(item);
  return item;
}

// Unlinks and returns the last element of `list`, or NULL if it is empty.
static inline list_node_t* list_remove_tail(list_node_t* list) {
  if (list->prev == list) {
    return NULL;
  }
  list_node_t* item = list->prev;
  list_delete(item);
  return item;
}

// Returns the first element of `list` without unlinking it, or NULL if it is empty.
static inline list_node_t* list_peek_head(list_node_t* list) {
  return list->next != list ? list->next : NULL;
}

// Returns the last element of `list` without unlinking it, or NULL if it is empty.
static inline list_node_t* list_peek_tail(list_node_t* list) {
  return list->prev != list ? list->prev : NULL;
}

// Returns the element before `item` in `list`, or NULL if `item` is the first.
static inline list_node_t* list_prev(list_node_t* list, list_node_t* item) {
  return item->prev != list ? item->prev : NULL;
}

// Returns the element after `item` in `list`, or NULL if `item` is the last.
static inline list_node_t* list_next(list_node_t* list, list_node_t* item) {
  return item->next != list ? item->next : NULL;
}

// Like list_prev(), but wraps from the first element to the last. Returns NULL only when `item`
// is the only element.
static inline list_node_t* list_prev_wrap(list_node_t* list, list_node_t* item) {
  if (item->prev != list) {
    return item->prev;
  }
  return item->prev->prev != list ? item->prev->prev : NULL;
}

// Like list_next(), but wraps from the last element to the first. Returns NULL only when `item`
// is the only element.
static inline list_node_t* list_next_wrap(list_node_t* list, list_node_t* item) {
  if (item->next != list) {
    return item->next;
  }
  return item->next->next != list ? item->next->next : NULL;
}

// Returns true if `list` has no element.
static inline bool list_is_empty(const list_node_t* list) { return list->next == list; }

// Returns the number of elements of `list`. O(n).
static inline size_t list_length(const list_node_t* list) {
  size_t count = 0;
  for (const list_node_t* node = list->next; node != list; node = node->next) {
    ++count;
  }
  return count;
}

// Moves every element of `splice_from` (left empty) into the list right after `pos`.
static inline void list_splice_after(list_node_t* splice_from, list_node_t* pos) {
  if (list_is_empty(splice_from)) {
    return;
  }
  splice_from->next->prev = pos;
  splice_from->prev->next = pos->next;
  pos->next->prev = splice_from->prev;
  pos->next = splice_from->next;
  list_initialize(splice_from);
}

// Moves the elements of `list` that follow `pos` into the empty head `split_to`.
static inline void list_split_after(list_node_t* list, list_node_t* pos, list_node_t* split_to) {
  if (pos->next == list) {
    list_initialize(split_to);
    return;
  }
  split_to->prev = list->prev;
  split_to->prev->next = split_to;
  split_to->next = pos->next;
  split_to->next->prev = split_to;
  pos->next = list;
  list->prev = pos;
}

// Moves every element of `old_list` (left empty) into the head `new_list`, which is reinitialized.
static inline void list_move(list_node_t* old_list, list_node_t* new_list) {
  list_initialize(new_list);
  list_splice_after(old_list, new_list);
}

// The container at `offset` bytes before `node`, or NULL if `node` is NULL. Helper of the
// `_type` macros below, which evaluate their list argument only once.
static inline void* __list_container_or_null(list_node_t* node, size_t offset) {
  return node != NULL ? (void*)((uintptr_t)node - offset) : NULL;
}

// `_type` variants: the same operations, returning the `type*` whose field `element` is the node
// (or NULL).
#define list_peek_head_type(list, type, element) \
  ((type*)__list_container_or_null(list_peek_head(list), offsetof(type, element)))
#define list_peek_tail_type(list, type, element) \
  ((type*)__list_container_or_null(list_peek_tail(list), offsetof(type, element)))
#define list_remove_head_type(list, type, element) \
  ((type*)__list_container_or_null(list_remove_head(list), offsetof(type, element)))
#define list_remove_tail_type(list, type, element) \
  ((type*)__list_container_or_null(list_remove_tail(list), offsetof(type, element)))
#define list_prev_type(list, item, type, element) \
  ((type*)__list_container_or_null(list_prev(list, item), offsetof(type, element)))
#define list_next_type(list, item, type, element) \
  ((type*)__list_container_or_null(list_next(list, item), offsetof(type, element)))
#define list_prev_wrap_type(list, item, type, element) \
  ((type*)__list_container_or_null(list_prev_wrap(list, item), offsetof(type, element)))
#define list_next_wrap_type(list, item, type, element) \
  ((type*)__list_container_or_null(list_next_wrap(list, item), offsetof(type, element)))

// Iterates `node` (a `list_node_t*`) over the elements of `list`. The loop body must not unlink
// `node`.
#define list_for_every(list, node) for (node = (list)->next; node != (list); node = node->next)

// Like list_for_every(), but the body may unlink `node`; `temp_node` (a `list_node_t*`) holds the
// next element.
#define list_for_every_safe(list, node, temp_node)                    \
  for (node = (list)->next, temp_node = (node)->next; node != (list); \
       node = temp_node, temp_node = (node)->next)

// Iterates `entry` (a `type*`) over the containers of the elements of `list`, whose link is the
// field `member`. The loop body must not unlink `entry`.
#define list_for_every_entry(list, entry, type, member)                               \
  for ((entry) = containerof((list)->next, type, member); &(entry)->member != (list); \
       (entry) = containerof((entry)->member.next, type, member))

// Like list_for_every_entry(), but the body may unlink `entry`; `temp_entry` (a `type*`) holds
// the next container.
#define list_for_every_entry_safe(list, entry, temp_entry, type, member) \
  for ((entry) = containerof((list)->next, type, member),                \
      (temp_entry) = containerof((entry)->member.next, type, member);    \
       &(entry)->member != (list); (entry) = (temp_entry),               \
      (temp_entry) = containerof((temp_entry)->member.next, type, member))

__END_CDECLS

#endif  // ZIRCON_LISTNODE_H_
