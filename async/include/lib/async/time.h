// <lib/async/time.h>: a dispatcher's clock.
//
// Compiles as C11 and as C++.

#ifndef LIB_ASYNC_TIME_H_
#define LIB_ASYNC_TIME_H_

#include <lib/async/dispatcher.h>

__BEGIN_CDECLS

// Returns the current time in `dispatcher`'s time base: the time against which it compares task
// deadlines. For a real loop this is the monotonic clock (ZX_CLOCK_MONOTONIC); a test
// dispatcher may keep a simulated clock instead. Code that reads the time through this function
// rather than the clock can therefore be tested with simulated time. Thread-safe.
zx_time_t async_now(async_dispatcher_t* dispatcher) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_TIME_H_
