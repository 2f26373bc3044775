// Counts heap allocations without LD_PRELOAD: this file defines malloc and its relatives in the
// benchmark executable itself, so every allocation of the process (operator new, the event
// libraries, portloop) comes through here. Each definition counts one allocation and forwards to
// glibc's own entry point (__libc_*), which glibc exports for exactly this use.
//
// Counting must not disturb what it measures, so a thread never writes a shared cache line: each
// thread owns one padded slot, found through a thread-local pointer, and bumps it with a plain
// load and store (no lock prefix). bench_alloc_count() sums the slots; a reader that has
// synchronised with the threads it cares about (joined them, or seen a flag they set after their
// last allocation) sees their counts exactly.
#include "bench/scenarios/alloc_count.h"

#include <errno.h>
#include <malloc.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* ptr, size_t size);
extern void* __libc_memalign(size_t alignment, size_t size);
extern void* __libc_valloc(size_t size);
extern void* __libc_pvalloc(size_t size);
extern void __libc_free(void* ptr);

enum { kMaxSlots = 256 };

struct Slot {
  alignas(64) _Atomic uint64_t count;
};

static struct Slot g_slots[kMaxSlots];
// Slots are handed out once per thread and never reused; past kMaxSlots threads share the last
// one, and count in it with an atomic add.
static _Atomic uint32_t g_next_slot;
static _Thread_local struct Slot* t_slot;

static void CountOne(void) {
  struct Slot* slot = t_slot;
  if (slot == NULL) {
    // Relaxed: the index only has to be unique; the slot's contents are published by the
    // reader's own synchronisation with this thread (see bench_alloc_count()).
    uint32_t index = atomic_fetch_add_explicit(&g_next_slot, 1, memory_order_relaxed);
    slot = &g_slots[index < kMaxSlots - 1 ? index : kMaxSlots - 1];
    t_slot = slot;
  }
  if (slot == &g_slots[kMaxSlots - 1]) {
    atomic_fetch_add_explicit(&slot->count, 1, memory_order_relaxed);
    return;
  }
  // A relaxed load and store, not an add: only this thread writes its slot.
  uint64_t count = atomic_load_explicit(&slot->count, memory_order_relaxed);
  atomic_store_explicit(&slot->count, count + 1, memory_order_relaxed);
}

uint64_t bench_alloc_count(void) {
  uint64_t total = 0;
  for (int i = 0; i < kMaxSlots; ++i) {
    total += atomic_load_explicit(&g_slots[i].count, memory_order_relaxed);
  }
  return total;
}

void* malloc(size_t size) {
  CountOne();
  return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) {
  CountOne();
  return __libc_calloc(count, size);
}

void* realloc(void* ptr, size_t size) {
  CountOne();
  return __libc_realloc(ptr, size);
}

void free(void* ptr) { __libc_free(ptr); }

void* memalign(size_t alignment, size_t size) {
  CountOne();
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) {
  CountOne();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out_ptr, size_t alignment, size_t size) {
  CountOne();
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) {
    return EINVAL;
  }
  void* ptr = __libc_memalign(alignment, size);
  if (ptr == NULL && size != 0) {
    return ENOMEM;
  }
  *out_ptr = ptr;
  return 0;
}

void* valloc(size_t size) {
  CountOne();
  return __libc_valloc(size);
}

void* pvalloc(size_t size) {
  CountOne();
  return __libc_pvalloc(size);
}
