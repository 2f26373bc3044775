#include "async-loop/test/model/shrink.h"

#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/model/sequence.h"

namespace loop_model {
namespace {

Op MakeOp(OpKind kind, int target = 0, std::vector<Op> then = {}) {
  Op op;
  op.kind = kind;
  op.target = target;
  op.then = std::move(then);
  return op;
}

bool Contains(const Sequence& sequence, OpKind kind, int target) {
  for (const Op& op : sequence.ops) {
    if (op.kind == kind && op.target == target) {
      return true;
    }
    for (const Op& action : op.then) {
      if (action.kind == kind && action.target == target) {
        return true;
      }
    }
  }
  return false;
}

TEST(ShrinkTest, KeepsOnlyTheOperationsTheFailureNeeds) {
  const Sequence failing{
      Flavor::kLoop,
      {MakeOp(OpKind::kSignal, 1),
       MakeOp(OpKind::kPostTask, 0,
              {MakeOp(OpKind::kQuit), MakeOp(OpKind::kCancelTask, 2), MakeOp(OpKind::kQuit)}),
       MakeOp(OpKind::kRunUntilIdle), MakeOp(OpKind::kQueuePacket, 1),
       MakeOp(OpKind::kQueuePacket, 0), MakeOp(OpKind::kCancelWait, 3)}};
  // "Fails" when the sequence cancels task[2] anywhere and queues a packet for receiver[1].
  auto fails = [](const Sequence& sequence) {
    return Contains(sequence, OpKind::kCancelTask, 2) &&
           Contains(sequence, OpKind::kQueuePacket, 1);
  };

  const ShrinkResult result = Shrink(failing, fails);

  const Sequence expected{Flavor::kLoop,
                          {MakeOp(OpKind::kPostTask, 0, {MakeOp(OpKind::kCancelTask, 2)}),
                           MakeOp(OpKind::kQueuePacket, 1)}};
  EXPECT_EQ(result.sequence, expected) << PrintSequence(result.sequence);
  EXPECT_GT(result.attempts, 0u);
}

TEST(ShrinkTest, StopsAfterMaxAttempts) {
  std::mt19937_64 random = SequenceRandom(1, 1);
  Sequence failing = GenerateSequence(Flavor::kLoop, random);
  while (CountOps(failing) < 4) {
    failing = GenerateSequence(Flavor::kLoop, random);
  }
  size_t calls = 0;
  const ShrinkResult result = Shrink(
      failing,
      [&calls](const Sequence&) {
        calls++;
        return false;
      },
      3);
  EXPECT_EQ(result.attempts, 3u);
  EXPECT_EQ(calls, 3u);
  EXPECT_EQ(result.sequence, failing);
}

}  // namespace
}  // namespace loop_model
