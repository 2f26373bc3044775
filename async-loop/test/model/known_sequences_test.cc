// Sequences whose traces were worked out by hand from the seed's loop.c and async::TestLoop's
// contract: they check the model itself, and the real dispatchers against the same lines.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/model/driver.h"
#include "async-loop/test/model/model.h"
#include "async-loop/test/model/sequence.h"
#include "async-loop/test/model/trace.h"

namespace loop_model {
namespace {

Op MakeOp(OpKind kind, int target = 0) {
  Op op;
  op.kind = kind;
  op.target = target;
  return op;
}

Op PostTask(int task, int64_t deadline, std::vector<Op> then = {}) {
  Op op = MakeOp(OpKind::kPostTask, task);
  op.deadline = deadline;
  op.then = std::move(then);
  return op;
}

Op BeginWait(int wait, zx_signals_t trigger, std::vector<Op> then = {}) {
  Op op = MakeOp(OpKind::kBeginWait, wait);
  op.trigger = trigger;
  op.then = std::move(then);
  return op;
}

Op Signal(int event, zx_signals_t clear, zx_signals_t set) {
  Op op = MakeOp(OpKind::kSignal, event);
  op.clear = clear;
  op.set = set;
  return op;
}

Op RunFor(int64_t duration) {
  Op op = MakeOp(OpKind::kRunFor);
  op.duration = duration;
  return op;
}

// Both the model and the real dispatcher must show `expected`.
void ExpectTrace(Flavor flavor, std::vector<Op> ops, const Trace& expected) {
  const Sequence sequence{flavor, std::move(ops)};
  const Trace model = RunModel(sequence);
  EXPECT_EQ(FirstDifference(expected, model), -1) << DescribeDifference(expected, model);
  const Trace actual = RunImplementation(sequence);
  EXPECT_EQ(FirstDifference(expected, actual), -1) << DescribeDifference(expected, actual);
}

TEST(KnownSequencesTest, EqualDeadlinesRunInPostingOrderAndATaskCancelsALaterDueOne) {
  ExpectTrace(
      Flavor::kLoop,
      {PostTask(0, -1), PostTask(1, -2, {MakeOp(OpKind::kCancelTask, 2)}), PostTask(2, -1),
       PostTask(3, -1), MakeOp(OpKind::kRunUntilIdle)},
      {"PostTask(&task[0], start - 1) -> ZX_OK", "PostTask(&task[1], start - 2) -> ZX_OK",
       "PostTask(&task[2], start - 1) -> ZX_OK", "PostTask(&task[3], start - 1) -> ZX_OK",
       "  task[1] handler(ZX_OK)", "CancelTask(&task[2]) -> ZX_OK", "  task[0] handler(ZX_OK)",
       "  task[3] handler(ZX_OK)", "loop.RunUntilIdle() -> ZX_OK", "loop.Shutdown() done"});
}

TEST(KnownSequencesTest, BatchInterruptedByQuitResumesBeforeNewlyDueTasksAfterQueuedPackets) {
  ExpectTrace(Flavor::kLoop,
              {PostTask(0, -1, {MakeOp(OpKind::kQuit), MakeOp(OpKind::kQueuePacket, 0)}),
               PostTask(1, -1), MakeOp(OpKind::kRunUntilIdle), PostTask(2, -3),
               MakeOp(OpKind::kResetQuit), MakeOp(OpKind::kRunUntilIdle)},
              {"PostTask(&task[0], start - 1) -> ZX_OK", "PostTask(&task[1], start - 1) -> ZX_OK",
               "  task[0] handler(ZX_OK)", "loop.Quit() done", "QueuePacket(&receiver[0]) -> ZX_OK",
               "loop.RunUntilIdle() -> ZX_ERR_CANCELED", "PostTask(&task[2], start - 3) -> ZX_OK",
               "loop.ResetQuit() -> ZX_OK", "  receiver[0] handler(ZX_OK, packet #0)",
               "  task[1] handler(ZX_OK)", "  task[2] handler(ZX_OK)",
               "loop.RunUntilIdle() -> ZX_OK", "loop.Shutdown() done"});
}

TEST(KnownSequencesTest, ShutdownCancelsNewestWaitFirstThenTasksInDeadlineOrder) {
  ExpectTrace(
      Flavor::kLoop,
      {BeginWait(0, ZX_USER_SIGNAL_0),
       BeginWait(1, ZX_USER_SIGNAL_0, {PostTask(4, -1), MakeOp(OpKind::kCancelTask, 1)}),
       PostTask(0, 2), PostTask(1, 1), PostTask(2, -1), MakeOp(OpKind::kShutdown), PostTask(3, -1),
       MakeOp(OpKind::kCancelTask, 0), MakeOp(OpKind::kRunUntilIdle), MakeOp(OpKind::kResetQuit)},
      {"BeginWait(&wait[0], /*trigger=*/U0) -> ZX_OK",
       "BeginWait(&wait[1], /*trigger=*/U0) -> ZX_OK", "PostTask(&task[0], start + 2) -> ZX_OK",
       "PostTask(&task[1], start + 1) -> ZX_OK", "PostTask(&task[2], start - 1) -> ZX_OK",
       "  wait[1] handler(ZX_ERR_CANCELED, null)",
       "PostTask(&task[4], start - 1) -> ZX_ERR_BAD_STATE", "CancelTask(&task[1]) -> ZX_OK",
       "  wait[0] handler(ZX_ERR_CANCELED, null)", "  task[2] handler(ZX_ERR_CANCELED)",
       "  task[0] handler(ZX_ERR_CANCELED)", "loop.Shutdown() done",
       "PostTask(&task[3], start - 1) -> ZX_ERR_BAD_STATE",
       "CancelTask(&task[0]) -> ZX_ERR_NOT_FOUND", "loop.RunUntilIdle() -> ZX_ERR_BAD_STATE",
       "loop.ResetQuit() -> ZX_ERR_BAD_STATE", "loop.Shutdown() done"});
}

TEST(KnownSequencesTest, SignalSatisfyingTheTriggerDeliversOnce) {
  ExpectTrace(
      Flavor::kLoop,
      {Signal(1, 0, ZX_USER_SIGNAL_0), BeginWait(1, ZX_USER_SIGNAL_0),
       Signal(1, 0, ZX_USER_SIGNAL_1),
       Signal(1, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1, ZX_USER_SIGNAL_0),
       MakeOp(OpKind::kRunUntilIdle), Signal(1, ZX_USER_SIGNAL_0, 0),
       Signal(1, 0, ZX_USER_SIGNAL_0), MakeOp(OpKind::kRunUntilIdle)},
      {"event[1].signal(0, U0) -> ZX_OK", "BeginWait(&wait[1], /*trigger=*/U0) -> ZX_OK",
       "event[1].signal(0, U1) -> ZX_OK", "event[1].signal(U0|U1, U0) -> ZX_OK",
       "  wait[1] handler(ZX_OK, trigger=0x1000000 observed=0x1000000 count=1)",
       "loop.RunUntilIdle() -> ZX_OK", "event[1].signal(U0, 0) -> ZX_OK",
       "event[1].signal(0, U0) -> ZX_OK", "loop.RunUntilIdle() -> ZX_OK", "loop.Shutdown() done"});
}

TEST(KnownSequencesTest, TestLoopRunsTasksAtTheirDeadlinesOnItsClock) {
  ExpectTrace(Flavor::kTestLoop,
              {PostTask(0, 5), PostTask(1, 3, {PostTask(2, 3)}), RunFor(2), RunFor(2), RunFor(10)},
              {"PostTask(&task[0], start + 5) -> ZX_OK", "PostTask(&task[1], start + 3) -> ZX_OK",
               "loop.RunFor(zx::nsec(2)) -> false", "  task[1] handler(ZX_OK) at start + 3",
               "PostTask(&task[2], start + 3) -> ZX_OK", "  task[2] handler(ZX_OK) at start + 3",
               "loop.RunFor(zx::nsec(2)) -> true", "  task[0] handler(ZX_OK) at start + 5",
               "loop.RunFor(zx::nsec(10)) -> true", "~TestLoop() done"});
}

}  // namespace
}  // namespace loop_model
