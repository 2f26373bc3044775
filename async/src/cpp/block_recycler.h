// async::internal::BlockRecycler: a per-thread cache of freed fixed-size blocks, so that
// async::PostTask, which needs one heap block per task, stops calling the allocator once a
// program reaches its steady state.
//
// Design: the magazine and depot layers of Bonwick and Adams' slab allocator.
//
// - Each thread owns two free lists of at most kBatchSize blocks, `current` and `previous`
//   (the magazines). Allocate() pops from `current`; Free() pushes onto it. When `current` is
//   empty, Allocate() swaps in `previous` if it holds blocks; when `current` is full, Free()
//   moves it to `previous`, first handing an existing `previous` to the depot. Holding two
//   magazines means a thread that alternates one Allocate() and one Free() at a batch boundary
//   does not touch the depot on every call.
// - The depot is one process-wide, mutex-protected stack of at most kMaxDepotBatches batches.
//   It is what lets a producer thread that only posts and a loop thread that only runs the tasks
//   exchange blocks without allocating: the loop thread hands full batches to the depot and the
//   producer takes them back, one lock acquisition per kBatchSize blocks. A batch that finds the
//   depot full is returned to the allocator, so the memory kept is bounded: at most
//   2 * kBatchSize blocks per thread plus kMaxDepotBatches * kBatchSize in the depot.
// - At thread exit the thread's magazines go to the depot (or to the allocator if it is full),
//   and the thread's cache is marked retired: any later Allocate()/Free() on that thread, from a
//   destructor that runs after ours, goes straight to the allocator. Blocks in the depot stay
//   reachable from a global, so LeakSanitizer never reports them.
//
// - Blocks come from 64 KiB slabs that a thread carves in address order when its magazines and
//   the depot are empty, so even a burst of a million posts on a cold process allocates once per
//   slab (1023 blocks of 64 bytes), not once per post, and touches memory sequentially. A slab
//   lives until every block of it was given back to the allocator (a count in its first block, the
//   header), which happens to a block only when the depot is full or its thread has exited.
//
// Steady state: blocks are created only when a thread and the depot are both out of them, and
// destroyed only when the depot is full, so the number in circulation grows until it covers the
// program's peak need plus what the magazines hold, then stays put. A thread that only frees (a
// loop thread running tasks posted from elsewhere) keeps between kBatchSize + 1 and
// 2 * kBatchSize blocks once it has freed that many, a number that moves by the burst size
// modulo kBatchSize with each burst; so under a repeating pattern the count settles within
// kBatchSize repetitions.
//
// The thread's cache is a constant-initialized, trivially destructible thread_local, so it is
// usable at any point of the thread's life; only the exit hook (a second thread_local, created
// on the thread's first use) has a destructor. Registering that hook is the thread's only
// allocation besides the blocks themselves (glibc records the destructor in a heap node).
//
// Under AddressSanitizer a cached block is poisoned except for its link word, so a use after
// PostTask freed its task is still reported although the memory was not returned to malloc.

#ifndef ASYNC_SRC_CPP_BLOCK_RECYCLER_H_
#define ASYNC_SRC_CPP_BLOCK_RECYCLER_H_

#include <zircon/compiler.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

#include <fbl/auto_lock.h>
#include <fbl/mutex.h>
#include <sanitizer/asan_interface.h>

namespace async::internal {

// Blocks per batch, and per magazine. Large enough that the depot lock is taken once per 32
// tasks; small enough that an idle thread keeps at most 2 * 32 blocks (4 KiB for 64-byte blocks).
inline constexpr size_t kRecyclerBatchSize = 32;

// Batches the depot keeps: 1024 blocks (64 KiB for 64-byte blocks), enough for a loop thread to
// absorb bursts of a thousand tasks posted at once and hand every block back.
inline constexpr size_t kRecyclerMaxDepotBatches = 32;

// Blocks of `kBlockSize` bytes, aligned as operator new aligns (16 bytes on x86-64 and arm64).
// Each instantiation has its own caches and depot.
//
// Thread-safe: any thread may allocate or free, and a block may be freed on another thread than
// the one that allocated it.
template <size_t kBlockSize>
class BlockRecycler {
 public:
  static constexpr size_t kBatchSize = kRecyclerBatchSize;
  static constexpr size_t kMaxDepotBatches = kRecyclerMaxDepotBatches;

  BlockRecycler() = delete;

  // Returns an uninitialized block of kBlockSize bytes: a cached one if this thread or the depot
  // has one, otherwise a new one from operator new (which aborts if memory is exhausted, as
  // this library is built without exceptions). Never returns null.
  static void* Allocate() {
    ThreadCache& cache = cache_;
    if (cache.state != State::kActive) {
      if (cache.state == State::kRetired) {
        return BlockOfItsOwnSlab();
      }
      Register();
    }
    if (cache.current.head == nullptr) {
      if (cache.previous.head != nullptr) {
        Swap(cache.current, cache.previous);
      } else {
        cache.current = depot_.Take();
        if (cache.current.head == nullptr) {
          return Carve(cache);
        }
      }
    }
    FreeBlock* block = cache.current.head;
    cache.current.head = block->next;
    --cache.current.count;
    ASAN_UNPOISON_MEMORY_REGION(block, kBlockSize);
    return block;
  }

  // Takes back `block`, which Allocate() of this instantiation returned (on any thread) and
  // whose object has been destroyed.
  static void Free(void* block) {
    ThreadCache& cache = cache_;
    if (cache.state != State::kActive) {
      if (cache.state == State::kRetired) {
        ReleaseToSlab(block);
        return;
      }
      Register();
    }
    if (cache.current.count == kBatchSize) {
      if (cache.previous.head != nullptr) {
        Release(cache.previous);
      }
      cache.previous = cache.current;
      cache.current = Batch{};
    }
    cache.current.head = new (block) FreeBlock{cache.current.head};
    ++cache.current.count;
    ASAN_POISON_MEMORY_REGION(static_cast<std::byte*>(block) + sizeof(FreeBlock),
                              kBlockSize - sizeof(FreeBlock));
  }

  // The number of blocks cached by the calling thread. For tests.
  static size_t ThreadBlockCountForTest() { return cache_.current.count + cache_.previous.count; }

  // The number of blocks in the depot. For tests.
  static size_t DepotBlockCountForTest() { return depot_.BlockCount(); }

 private:
  static_assert(kBlockSize >= sizeof(void*), "a free block holds a link");

  // Slabs: 64 KiB (or a larger power of two holding 2 * kBatchSize blocks), aligned to their
  // size, so a block finds its slab by masking its address. Blocks sit kBlockStride apart
  // (operator new's alignment); the first stride holds the header.
  static constexpr size_t kBlockStride = (kBlockSize + alignof(std::max_align_t) - 1) /
                                         alignof(std::max_align_t) * alignof(std::max_align_t);
  static constexpr size_t SlabBytes() {
    size_t bytes = 64 * 1024;
    while (bytes < 2 * kRecyclerBatchSize * kBlockStride) {
      bytes *= 2;
    }
    return bytes;
  }
  static constexpr size_t kSlabBytes = SlabBytes();
  static constexpr size_t kBlocksPerSlab = kSlabBytes / kBlockStride - 1;

  struct SlabHeader {
    // Blocks of this slab not given back to the allocator (in use or cached anywhere).
    std::atomic<uint32_t> outstanding;
  };
  static_assert(sizeof(SlabHeader) <= kBlockStride);

  // A block while it is cached: its first word links it to the next one.
  struct FreeBlock {
    FreeBlock* next;
  };

  // A free list of `count` blocks.
  struct Batch {
    FreeBlock* head = nullptr;
    size_t count = 0;
  };

  enum class State : uint8_t {
    kUnregistered,  // the thread has not used this instantiation yet: no exit hook
    kActive,        // the exit hook is registered
    kRetired,       // the exit hook ran: the thread is exiting, bypass the cache
  };

  // One per thread, touched by that thread alone.
  struct ThreadCache {
    Batch current;
    Batch previous;  // empty, or exactly kBatchSize blocks
    // The slab this thread carves new blocks from, in address order: [bump, bump_end).
    std::byte* bump = nullptr;
    std::byte* bump_end = nullptr;
    State state = State::kUnregistered;
  };

  // Full (or, from exiting threads, partial) batches shared by all threads. Thread-safe.
  class Depot {
   public:
    constexpr Depot() = default;

    // Stores `batch`. Returns false, storing nothing, if the depot is full.
    bool Put(Batch batch) __TA_EXCLUDES(mutex_) {
      fbl::AutoLock lock(&mutex_);
      if (count_ == kMaxDepotBatches) {
        return false;
      }
      batches_[count_++] = batch;
      return true;
    }

    // Removes and returns a batch, or an empty one if the depot is empty.
    Batch Take() __TA_EXCLUDES(mutex_) {
      fbl::AutoLock lock(&mutex_);
      if (count_ == 0) {
        return Batch{};
      }
      return batches_[--count_];
    }

    size_t BlockCount() __TA_EXCLUDES(mutex_) {
      fbl::AutoLock lock(&mutex_);
      size_t blocks = 0;
      for (size_t i = 0; i < count_; ++i) {
        blocks += batches_[i].count;
      }
      return blocks;
    }

   private:
    fbl::Mutex mutex_;
    Batch batches_[kMaxDepotBatches] __TA_GUARDED(mutex_) = {};
    size_t count_ __TA_GUARDED(mutex_) = 0;
  };

  // Never destroyed, so threads that outlive static destruction can still use it.
  static_assert(std::is_trivially_destructible_v<Depot>);
  static_assert(std::is_trivially_destructible_v<ThreadCache>);

  // Its destructor runs at the exit of each thread that used the recycler.
  struct ExitHook {
    ~ExitHook() {
      ThreadCache& cache = cache_;
      cache.state = State::kRetired;
      Release(cache.current);
      Release(cache.previous);
      ReleaseUncarved(cache);
    }
  };

  static void Register() {
    // Constructed on this thread's first call, which registers its destructor for thread exit.
    [[maybe_unused]] thread_local ExitHook exit_hook;
    cache_.state = State::kActive;
  }

  static void Swap(Batch& a, Batch& b) {
    Batch t = a;
    a = b;
    b = t;
  }

  // Hands `batch` to the depot, or to the allocator if the depot is full; leaves it empty.
  static void Release(Batch& batch) {
    if (batch.head != nullptr && !depot_.Put(batch)) {
      for (FreeBlock* block = batch.head; block != nullptr;) {
        FreeBlock* next = block->next;
        ASAN_UNPOISON_MEMORY_REGION(block, kBlockSize);
        ReleaseToSlab(block);
        block = next;
      }
    }
    batch = Batch{};
  }

  // A new block from the thread's slab, in address order (a burst of posts then touches memory
  // sequentially); a new slab when it is used up: one allocation per kBlocksPerSlab blocks.
  static void* Carve(ThreadCache& cache) {
    if (cache.bump == cache.bump_end) {
      std::byte* slab = NewSlab();
      cache.bump = slab + kBlockStride;
      cache.bump_end = slab + (kBlocksPerSlab + 1) * kBlockStride;
    }
    void* block = cache.bump;
    cache.bump += kBlockStride;
    return block;
  }

  // Gives the blocks of the thread's slab not carved yet back to the allocator (the thread is
  // exiting).
  static void ReleaseUncarved(ThreadCache& cache) {
    if (cache.bump != cache.bump_end) {
      const auto uncarved = static_cast<uint32_t>((cache.bump_end - cache.bump) / kBlockStride);
      ReleaseToSlab(cache.bump, uncarved);
    }
    cache.bump = cache.bump_end = nullptr;
  }

  // A slab whose blocks all count as outstanding. Aborts when out of memory, as operator new
  // does in this library, which is built without exceptions.
  static std::byte* NewSlab() {
    auto* slab = static_cast<std::byte*>(::operator new (kSlabBytes, std::align_val_t{kSlabBytes}));
    new (slab) SlabHeader{kBlocksPerSlab};
    return slab;
  }

  // One block of a slab of its own, for a thread that is exiting: the slab lives as long as the
  // block.
  static void* BlockOfItsOwnSlab() {
    std::byte* slab = NewSlab();
    ReleaseToSlab(slab + 2 * kBlockStride, kBlocksPerSlab - 1);
    return slab + kBlockStride;
  }

  // Gives `count` blocks of the slab of `block` back to the allocator: the last block of a slab
  // frees the slab.
  static void ReleaseToSlab(void* block, uint32_t count = 1) {
    auto* slab = reinterpret_cast<std::byte*>(reinterpret_cast<uintptr_t>(block) &
                                              ~static_cast<uintptr_t>(kSlabBytes - 1));
    auto* header = reinterpret_cast<SlabHeader*>(slab);
    if (header->outstanding.fetch_sub(count, std::memory_order_acq_rel) == count) {
      header->~SlabHeader();
      ::operator delete (slab, std::align_val_t{kSlabBytes});
    }
  }

  static constinit inline thread_local ThreadCache cache_{};
  static constinit inline Depot depot_{};
};

}  // namespace async::internal

#endif  // ASYNC_SRC_CPP_BLOCK_RECYCLER_H_
