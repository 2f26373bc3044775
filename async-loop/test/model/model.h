// A model of the loop: a plain single-threaded program that says what async::Loop (with the
// seed's semantics, docs/reference: loop.c) and async::TestLoop must show for a sequence.
#ifndef ASYNC_LOOP_TEST_MODEL_MODEL_H_
#define ASYNC_LOOP_TEST_MODEL_MODEL_H_

#include "async-loop/test/model/sequence.h"
#include "async-loop/test/model/trace.h"

namespace loop_model {

// Runs `sequence`, then shuts down (async::Loop) or destroys (async::TestLoop) the dispatcher,
// and returns the trace an implementation must produce.
Trace RunModel(const Sequence& sequence);

}  // namespace loop_model

#endif  // ASYNC_LOOP_TEST_MODEL_MODEL_H_
