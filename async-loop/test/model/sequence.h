// Operation sequences for the loop's model-based test: what they are made of, how they are drawn
// at random, and how they print as C++-like lines that a reader can turn into a unit test.
#ifndef ASYNC_LOOP_TEST_MODEL_SEQUENCE_H_
#define ASYNC_LOOP_TEST_MODEL_SEQUENCE_H_

#include <zircon/types.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace loop_model {

// The dispatcher a sequence is written for. Both share most operations; async::Loop adds
// reset-quit, single units of work and shutdown at any point, async::TestLoop a fake clock that
// runs move forward, and its shutdown is its destruction, at the end.
enum class Flavor { kLoop, kTestLoop };

// The objects a sequence works on: task[i], wait[i] (which alone waits on event[i]) and
// receiver[i]. Few, so that operations often meet the same object.
inline constexpr int kTaskCount = 6;
inline constexpr int kWaitCount = 4;
inline constexpr int kReceiverCount = 2;

// The signals that sequences set, clear and wait for.
inline constexpr zx_signals_t kSignalBits = ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_2;

// A deadline that never comes (ZX_TIME_INFINITE).
inline constexpr int64_t kNever = INT64_MAX;

enum class OpKind : uint8_t {
  kPostTask,     // target, deadline, then
  kCancelTask,   // target
  kBeginWait,    // target, trigger, then
  kCancelWait,   // target
  kQueuePacket,  // target, then
  kSignal,       // target (the event), clear, set
  kQuit,
  kResetQuit,             // async::Loop only
  kRunUntilIdle,          // top level only
  kRun,                   // async::Loop, top level: Run(a past deadline, once)
  kRunFor,                // async::TestLoop, top level: duration
  kAdvanceTimeByEpsilon,  // async::TestLoop, top level
  kShutdown,              // async::Loop only (async::TestLoop shuts down when destroyed)
};

// One operation. Those that start work (post, begin, queue) at the top level carry `then`: the
// operations their handler performs when it is called, whatever its status.
struct Op {
  OpKind kind = OpKind::kQuit;
  int target = 0;
  // kPostTask: relative to the sequence's start, or kNever. On async::Loop, whose clock is real,
  // a deadline <= 0 is long past and one > 0 is hours away; on async::TestLoop the fake clock
  // starts at 0 and the test moves it.
  int64_t deadline = 0;
  zx_signals_t trigger = 0;  // kBeginWait
  zx_signals_t clear = 0;    // kSignal
  zx_signals_t set = 0;      // kSignal
  bool once = false;         // kRun
  int64_t duration = 0;      // kRunFor
  std::vector<Op> then;

  bool operator==(const Op& other) const = default;
};

struct Sequence {
  Flavor flavor = Flavor::kLoop;
  std::vector<Op> ops;

  bool operator==(const Sequence& other) const = default;
};

// Draws a sequence of 1 to 40 top-level operations from `random`.
Sequence GenerateSequence(Flavor flavor, std::mt19937_64& random);

// The generator for sequence number `index` of a run seeded with `seed`: each sequence can be
// drawn again on its own.
std::mt19937_64 SequenceRandom(uint64_t seed, uint64_t index);

// The number of operations, counting those that handlers perform.
size_t CountOps(const Sequence& sequence);

// One operation as a C++-like statement, without its `then` part.
std::string PrintOp(Flavor flavor, const Op& op);

// The whole sequence, one top-level operation per line, each handler's operations in a lambda.
std::string PrintSequence(const Sequence& sequence);

const char* FlavorName(Flavor flavor);

}  // namespace loop_model

#endif  // ASYNC_LOOP_TEST_MODEL_SEQUENCE_H_
