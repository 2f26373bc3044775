#include "async-loop/test/model/shrink.h"

#include <algorithm>
#include <utility>

namespace loop_model {
namespace {

// `sequence` without the operations numbered [first, first + count) in reading order: each
// top-level operation, then its handler's operations. Removing a top-level operation removes its
// handler's operations too.
Sequence WithoutOps(const Sequence& sequence, size_t first, size_t count) {
  const size_t end = first + count;
  Sequence result;
  result.flavor = sequence.flavor;
  size_t number = 0;
  for (const Op& op : sequence.ops) {
    const bool drop = number >= first && number < end;
    number++;
    Op kept = op;
    kept.then.clear();
    for (const Op& action : op.then) {
      if (number < first || number >= end) {
        kept.then.push_back(action);
      }
      number++;
    }
    if (!drop) {
      result.ops.push_back(std::move(kept));
    }
  }
  return result;
}

}  // namespace

ShrinkResult Shrink(const Sequence& failing, const std::function<bool(const Sequence&)>& fails,
                    size_t max_attempts) {
  ShrinkResult result{failing, 0};
  bool removed_some = true;
  while (removed_some && result.attempts < max_attempts) {
    removed_some = false;
    // Halves first, then quarters, and so on down to single operations (Zeller's ddmin, removing
    // complements only).
    for (size_t chunk = std::max<size_t>(CountOps(result.sequence) / 2, 1);; chunk /= 2) {
      size_t first = 0;
      while (first < CountOps(result.sequence) && result.attempts < max_attempts) {
        Sequence candidate = WithoutOps(result.sequence, first, chunk);
        result.attempts++;
        if (fails(candidate)) {
          result.sequence = std::move(candidate);  // what followed moved down to `first`
          removed_some = true;
        } else {
          first += chunk;
        }
      }
      if (chunk == 1) {
        break;
      }
    }
  }
  return result;
}

}  // namespace loop_model
