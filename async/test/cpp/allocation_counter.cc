// The allocation counter of allocation_counter.h.

#include "async/test/cpp/allocation_counter.h"

#include <cerrno>
#include <cstddef>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ASYNC_CPP_TEST_SANITIZER_HOOKS 1
#endif
#endif

#if defined(ASYNC_CPP_TEST_SANITIZER_HOOKS)
#include <sanitizer/allocator_interface.h>
#endif

namespace async_cpp_test {
namespace {

// Constant-initialized and trivially destructible: reading or bumping it never allocates, even
// on a thread's first allocation or after its other thread_locals are destroyed.
constinit thread_local uint64_t t_allocations = 0;

}  // namespace

uint64_t AllocationsOnThisThread() { return t_allocations; }

}  // namespace async_cpp_test

#if defined(ASYNC_CPP_TEST_SANITIZER_HOOKS)

namespace {

void CountAllocation(const volatile void* /*ptr*/, size_t /*size*/) {
  ++async_cpp_test::t_allocations;
}

void IgnoreFree(const volatile void* /*ptr*/) {}

// Installed before main(); the sanitizer calls the hook for every allocation, operator new
// included.
[[maybe_unused]] const int kHooksInstalled =
    __sanitizer_install_malloc_and_free_hooks(&CountAllocation, &IgnoreFree);

}  // namespace

#else  // !ASYNC_CPP_TEST_SANITIZER_HOOKS

// glibc's allocator under its internal names. Blocks they return are freed by the ordinary
// free(), so free() needs no interposition.
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* ptr, size_t size);
void* __libc_memalign(size_t alignment, size_t size);

void* malloc(size_t size) {
  ++async_cpp_test::t_allocations;
  return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) {
  ++async_cpp_test::t_allocations;
  return __libc_calloc(count, size);
}

void* realloc(void* ptr, size_t size) {
  ++async_cpp_test::t_allocations;
  return __libc_realloc(ptr, size);
}

void* memalign(size_t alignment, size_t size) {
  ++async_cpp_test::t_allocations;
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) {
  ++async_cpp_test::t_allocations;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out_ptr, size_t alignment, size_t size) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) {
    return EINVAL;
  }
  ++async_cpp_test::t_allocations;
  void* ptr = __libc_memalign(alignment, size);
  if (ptr == nullptr) {
    return ENOMEM;
  }
  *out_ptr = ptr;
  return 0;
}
}  // extern "C"

#endif  // ASYNC_CPP_TEST_SANITIZER_HOOKS
