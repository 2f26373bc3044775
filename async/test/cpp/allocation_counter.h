// Counts heap allocations per thread, for the tests that show a code path allocates nothing.
//
// Every malloc-family call and every operator new on a thread (operator new calls malloc) adds
// one to that thread's count. Under AddressSanitizer or ThreadSanitizer the count comes from the
// sanitizer's allocation hook; otherwise this binary interposes malloc, calloc, realloc,
// aligned_alloc, posix_memalign and memalign over glibc's. Linked into async_cpp_test only.

#ifndef ASYNC_TEST_CPP_ALLOCATION_COUNTER_H_
#define ASYNC_TEST_CPP_ALLOCATION_COUNTER_H_

#include <cstdint>

namespace async_cpp_test {

// The number of allocations the calling thread has made so far. Never allocates.
uint64_t AllocationsOnThisThread();

}  // namespace async_cpp_test

#endif  // ASYNC_TEST_CPP_ALLOCATION_COUNTER_H_
