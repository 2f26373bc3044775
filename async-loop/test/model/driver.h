// Runs operation sequences on the real dispatchers: async::Loop on the calling thread, driven only
// by RunUntilIdle() and Run() with a past deadline, and async::TestLoop on its fake clock.
#ifndef ASYNC_LOOP_TEST_MODEL_DRIVER_H_
#define ASYNC_LOOP_TEST_MODEL_DRIVER_H_

#include "async-loop/test/model/sequence.h"
#include "async-loop/test/model/trace.h"

namespace loop_model {

// Runs `sequence` on a new dispatcher of its flavor, then shuts it down (async::Loop) or
// destroys it (async::TestLoop), and returns what it showed.
Trace RunImplementation(const Sequence& sequence);

}  // namespace loop_model

#endif  // ASYNC_LOOP_TEST_MODEL_DRIVER_H_
