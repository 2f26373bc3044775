// The heap allocation counter of the scenario benchmarks (see alloc_count.c).
#ifndef BENCH_SCENARIOS_ALLOC_COUNT_H_
#define BENCH_SCENARIOS_ALLOC_COUNT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Returns how many allocations (malloc, calloc, realloc, memalign, aligned_alloc,
// posix_memalign, valloc, pvalloc; free is not counted) every thread of the process has made so
// far. Thread-safe; exact for the threads the caller has synchronised with since their last
// allocation (joined, or seen a release store they made afterwards).
uint64_t bench_alloc_count(void);

#ifdef __cplusplus
}
#endif

#endif  // BENCH_SCENARIOS_ALLOC_COUNT_H_
