// A per-thread cache of freed blocks of one size, for objects made and destroyed at a high rate
// on the same threads (a port observer per wait): steady state reaches no allocator at all.
#ifndef ZIRCON_SRC_KERNEL_THREAD_BLOCK_CACHE_H_
#define ZIRCON_SRC_KERNEL_THREAD_BLOCK_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

#include <sanitizer/asan_interface.h>

namespace zircon::kernel {

// Blocks of `kBlockSize` bytes. Each thread keeps up to `kCapacity` freed blocks for its own
// next allocations; beyond that, and on threads that are exiting, blocks go to the allocator.
// A block may be freed on another thread than the one that allocated it. Thread-safe (each
// thread touches only its own cache). Cached blocks are poisoned under AddressSanitizer, except
// for the link word, so a use after free is still reported.
template <size_t kBlockSize, size_t kCapacity = 64>
class ThreadBlockCache {
 public:
  ThreadBlockCache() = delete;

  // A block of kBlockSize bytes, or null if out of memory.
  static void* Allocate() noexcept {
    Cache& cache = cache_;
    if (cache.head == nullptr) {
      return ::operator new(kBlockSize, std::nothrow);
    }
    FreeBlock* block = cache.head;
    cache.head = block->next;
    --cache.count;
    ASAN_UNPOISON_MEMORY_REGION(block, kBlockSize);
    return block;
  }

  // Takes back a block that Allocate() returned, on any thread.
  static void Free(void* block) noexcept {
    Cache& cache = cache_;
    if (cache.state == State::kUnregistered) {
      Register();
    }
    if (cache.state != State::kActive || cache.count == kCapacity) {
      ::operator delete(block);
      return;
    }
    cache.head = new (block) FreeBlock{cache.head};
    ++cache.count;
    ASAN_POISON_MEMORY_REGION(static_cast<std::byte*>(block) + sizeof(FreeBlock),
                              kBlockSize - sizeof(FreeBlock));
  }

 private:
  static_assert(kBlockSize >= sizeof(void*), "a free block holds a link");

  struct FreeBlock {
    FreeBlock* next;
  };
  enum class State : uint8_t { kUnregistered, kActive, kRetired };
  struct Cache {
    FreeBlock* head = nullptr;
    size_t count = 0;
    State state = State::kUnregistered;
  };
  static_assert(std::is_trivially_destructible_v<Cache>);

  // Frees the thread's cached blocks as it exits; later frees on that thread bypass the cache.
  struct ExitHook {
    ~ExitHook() {
      Cache& cache = cache_;
      cache.state = State::kRetired;
      while (FreeBlock* block = cache.head) {
        cache.head = block->next;
        ASAN_UNPOISON_MEMORY_REGION(block, kBlockSize);
        ::operator delete(block);
      }
      cache.count = 0;
    }
  };

  static void Register() {
    // Constructed on the thread's first free, which registers its destructor for thread exit.
    [[maybe_unused]] thread_local ExitHook exit_hook;
    cache_.state = State::kActive;
  }

  static constinit inline thread_local Cache cache_{};
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_THREAD_BLOCK_CACHE_H_
