// <lib/async/cpp/time.h>: a dispatcher's clock as a typed `zx::time`.

#ifndef LIB_ASYNC_CPP_TIME_H_
#define LIB_ASYNC_CPP_TIME_H_

#include <lib/async/time.h>
#include <lib/zx/time.h>

namespace async {

// Returns async_now(`dispatcher`): the current time in the dispatcher's time base, which is the
// monotonic clock for a real loop and may be simulated for a test dispatcher. Thread-safe.
inline zx::time Now(async_dispatcher_t* dispatcher) { return zx::time(async_now(dispatcher)); }

}  // namespace async

#endif  // LIB_ASYNC_CPP_TIME_H_
