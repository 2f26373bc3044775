// Shrinks a failing sequence by delta debugging: removes operations, in ever smaller chunks, as
// long as the sequence still fails.
#ifndef ASYNC_LOOP_TEST_MODEL_SHRINK_H_
#define ASYNC_LOOP_TEST_MODEL_SHRINK_H_

#include <cstddef>
#include <functional>

#include "async-loop/test/model/sequence.h"

namespace loop_model {

struct ShrinkResult {
  Sequence sequence;
  size_t attempts = 0;  // candidate sequences tried
};

// Returns a sequence made of some of `failing`'s operations for which `fails` still holds, and
// from which removing any single operation (a top-level one with its handler's operations, or
// one handler operation) makes it pass, unless `max_attempts` runs out first. `fails(failing)`
// must hold.
ShrinkResult Shrink(const Sequence& failing, const std::function<bool(const Sequence&)>& fails,
                    size_t max_attempts = 20000);

}  // namespace loop_model

#endif  // ASYNC_LOOP_TEST_MODEL_SHRINK_H_
