#include "async-loop/test/model/sequence.h"

#include <cstdio>
#include <initializer_list>
#include <utility>

namespace loop_model {
namespace {

constexpr size_t kMaxTopLevelOps = 40;
constexpr size_t kMaxHandlerOps = 3;

// A uniform choice in [0, n): mt19937_64's output is fixed by the standard, so a seed draws the
// same sequences with every standard library (the distributions are not).
uint64_t Below(std::mt19937_64& random, uint64_t n) { return random() % n; }

int64_t Between(std::mt19937_64& random, int64_t low, int64_t high) {
  return low + static_cast<int64_t>(Below(random, static_cast<uint64_t>(high - low + 1)));
}

// Picks one of `choices` with probability proportional to its weight.
OpKind Pick(std::mt19937_64& random, std::initializer_list<std::pair<OpKind, int>> choices) {
  int total = 0;
  for (const auto& choice : choices) {
    total += choice.second;
  }
  int64_t point = static_cast<int64_t>(Below(random, static_cast<uint64_t>(total)));
  for (const auto& choice : choices) {
    point -= choice.second;
    if (point < 0) {
      return choice.first;
    }
  }
  return choices.begin()->first;
}

// A non-empty set of signals from kSignalBits.
zx_signals_t SomeSignals(std::mt19937_64& random) {
  return static_cast<zx_signals_t>(Between(random, 1, 7)) * ZX_USER_SIGNAL_0;
}

int64_t DrawDeadline(Flavor flavor, std::mt19937_64& random) {
  if (Below(random, 12) == 0) {
    return kNever;
  }
  // Few values, so that equal deadlines are common. async::Loop: mostly long past, some hours
  // away; async::TestLoop: a little before the start up to a dozen nanoseconds after it.
  return flavor == Flavor::kLoop ? Between(random, -4, 3) : Between(random, -2, 12);
}

// Fills in the arguments of an operation of kind `kind`.
Op Complete(Flavor flavor, OpKind kind, std::mt19937_64& random) {
  Op op;
  op.kind = kind;
  switch (kind) {
    case OpKind::kPostTask:
      op.target = static_cast<int>(Below(random, kTaskCount));
      op.deadline = DrawDeadline(flavor, random);
      break;
    case OpKind::kCancelTask:
      op.target = static_cast<int>(Below(random, kTaskCount));
      break;
    case OpKind::kBeginWait:
      op.target = static_cast<int>(Below(random, kWaitCount));
      op.trigger = SomeSignals(random);
      break;
    case OpKind::kCancelWait:
      op.target = static_cast<int>(Below(random, kWaitCount));
      break;
    case OpKind::kQueuePacket:
      op.target = static_cast<int>(Below(random, kReceiverCount));
      break;
    case OpKind::kSignal:
      op.target = static_cast<int>(Below(random, kWaitCount));
      switch (Below(random, 4)) {
        case 0:
        case 1:
          op.set = ZX_USER_SIGNAL_0 << Below(random, 3);
          break;
        case 2:
          op.clear = SomeSignals(random);
          break;
        default:
          op.clear = SomeSignals(random);
          op.set = SomeSignals(random);
          break;
      }
      break;
    case OpKind::kRun:
      op.once = Below(random, 4) != 0;
      break;
    case OpKind::kRunFor:
      op.duration = Between(random, 0, 8);
      break;
    default:
      break;
  }
  return op;
}

OpKind PickHandlerOp(Flavor flavor, std::mt19937_64& random) {
  if (flavor == Flavor::kLoop) {
    return Pick(random, {{OpKind::kPostTask, 20},
                         {OpKind::kCancelTask, 15},
                         {OpKind::kBeginWait, 12},
                         {OpKind::kCancelWait, 10},
                         {OpKind::kSignal, 15},
                         {OpKind::kQueuePacket, 8},
                         {OpKind::kQuit, 6},
                         {OpKind::kResetQuit, 3},
                         {OpKind::kShutdown, 1}});
  }
  return Pick(random, {{OpKind::kPostTask, 20},
                       {OpKind::kCancelTask, 15},
                       {OpKind::kBeginWait, 12},
                       {OpKind::kCancelWait, 10},
                       {OpKind::kSignal, 15},
                       {OpKind::kQueuePacket, 8},
                       {OpKind::kQuit, 6}});
}

OpKind PickTopLevelOp(Flavor flavor, std::mt19937_64& random) {
  if (flavor == Flavor::kLoop) {
    return Pick(random, {{OpKind::kPostTask, 20},
                         {OpKind::kCancelTask, 8},
                         {OpKind::kBeginWait, 12},
                         {OpKind::kCancelWait, 6},
                         {OpKind::kSignal, 14},
                         {OpKind::kQueuePacket, 8},
                         {OpKind::kQuit, 4},
                         {OpKind::kResetQuit, 4},
                         {OpKind::kRunUntilIdle, 10},
                         {OpKind::kRun, 8},
                         {OpKind::kShutdown, 1}});
  }
  return Pick(random, {{OpKind::kPostTask, 20},
                       {OpKind::kCancelTask, 8},
                       {OpKind::kBeginWait, 12},
                       {OpKind::kCancelWait, 6},
                       {OpKind::kSignal, 14},
                       {OpKind::kQueuePacket, 8},
                       {OpKind::kQuit, 3},
                       {OpKind::kRunUntilIdle, 10},
                       {OpKind::kRunFor, 8},
                       {OpKind::kAdvanceTimeByEpsilon, 3}});
}

bool StartsWork(OpKind kind) {
  return kind == OpKind::kPostTask || kind == OpKind::kBeginWait || kind == OpKind::kQueuePacket;
}

std::string SignalsText(zx_signals_t signals) {
  if (signals == 0) {
    return "0";
  }
  std::string text;
  for (int bit = 0; bit < 3; bit++) {
    if ((signals & (ZX_USER_SIGNAL_0 << bit)) != 0) {
      text += (text.empty() ? "U" : "|U") + std::to_string(bit);
    }
  }
  return text;
}

std::string DeadlineText(int64_t deadline) {
  if (deadline == kNever) {
    return "never";
  }
  if (deadline < 0) {
    return "start - " + std::to_string(-deadline);
  }
  return "start + " + std::to_string(deadline);
}

}  // namespace

std::mt19937_64 SequenceRandom(uint64_t seed, uint64_t index) {
  // SplitMix64's finaliser spreads (seed, index) over the generator's seed space.
  uint64_t z = seed + 0x9e3779b97f4a7c15u * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return std::mt19937_64(z ^ (z >> 31));
}

Sequence GenerateSequence(Flavor flavor, std::mt19937_64& random) {
  Sequence sequence;
  sequence.flavor = flavor;
  const size_t length = 1 + Below(random, kMaxTopLevelOps);
  for (size_t i = 0; i < length; i++) {
    Op op = Complete(flavor, PickTopLevelOp(flavor, random), random);
    if (StartsWork(op.kind) && Below(random, 2) == 0) {
      const size_t actions = 1 + Below(random, kMaxHandlerOps);
      for (size_t k = 0; k < actions; k++) {
        op.then.push_back(Complete(flavor, PickHandlerOp(flavor, random), random));
      }
    }
    sequence.ops.push_back(std::move(op));
  }
  return sequence;
}

size_t CountOps(const Sequence& sequence) {
  size_t count = 0;
  for (const Op& op : sequence.ops) {
    count += 1 + op.then.size();
  }
  return count;
}

const char* FlavorName(Flavor flavor) {
  return flavor == Flavor::kLoop ? "async::Loop" : "async::TestLoop";
}

std::string PrintOp(Flavor flavor, const Op& op) {
  const std::string index = std::to_string(op.target);
  switch (op.kind) {
    case OpKind::kPostTask:
      return "PostTask(&task[" + index + "], " + DeadlineText(op.deadline) + ")";
    case OpKind::kCancelTask:
      return "CancelTask(&task[" + index + "])";
    case OpKind::kBeginWait:
      return "BeginWait(&wait[" + index + "], /*trigger=*/" + SignalsText(op.trigger) + ")";
    case OpKind::kCancelWait:
      return "CancelWait(&wait[" + index + "])";
    case OpKind::kQueuePacket:
      return "QueuePacket(&receiver[" + index + "])";
    case OpKind::kSignal:
      return "event[" + index + "].signal(" + SignalsText(op.clear) + ", " + SignalsText(op.set) +
             ")";
    case OpKind::kQuit:
      return "loop.Quit()";
    case OpKind::kResetQuit:
      return "loop.ResetQuit()";
    case OpKind::kRunUntilIdle:
      return "loop.RunUntilIdle()";
    case OpKind::kRun:
      return std::string("loop.Run(/*deadline=*/start - 1000, /*once=*/") +
             (op.once ? "true" : "false") + ")";
    case OpKind::kRunFor:
      return "loop.RunFor(zx::nsec(" + std::to_string(op.duration) + "))";
    case OpKind::kAdvanceTimeByEpsilon:
      return "loop.AdvanceTimeByEpsilon()";
    case OpKind::kShutdown:
      return flavor == Flavor::kLoop ? "loop.Shutdown()" : "~TestLoop()";
  }
  return "?";
}

std::string PrintSequence(const Sequence& sequence) {
  std::string text;
  for (const Op& op : sequence.ops) {
    text += "  " + PrintOp(sequence.flavor, op);
    if (!op.then.empty()) {
      text.pop_back();  // the closing parenthesis: the handler's operations go inside
      text += ", [&] {";
      for (const Op& action : op.then) {
        text += " " + PrintOp(sequence.flavor, action) + ";";
      }
      text += " })";
    }
    text += ";\n";
  }
  return text;
}

}  // namespace loop_model
