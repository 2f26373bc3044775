// <lib/async-testing/test_loop.h>: async::TestLoop, a message loop on a fake clock for tests.
//
// Also reachable under its 2018 path, <lib/async-testutils/test_loop.h>.

#ifndef LIB_ASYNC_TESTING_TEST_LOOP_H_
#define LIB_ASYNC_TESTING_TEST_LOOP_H_

#include <lib/async-testing/test_loop_dispatcher.h>
#include <lib/async-testing/test_subloop.h>
#include <lib/async/dispatcher.h>
#include <lib/zx/time.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace async {

// A minimal message loop: something that owns a dispatcher. Thread-compatible.
class LoopInterface {
 public:
  virtual ~LoopInterface() = default;

  // The loop's dispatcher, valid as long as the loop.
  virtual async_dispatcher_t* dispatcher() = 0;
};

// Keeps a subloop registered with a TestLoop; destroying the token unregisters and finalizes
// the subloop. Thread-compatible.
class SubloopToken {
 public:
  virtual ~SubloopToken() = default;
};

// A message loop for tests, on a fake clock that moves only when the test runs the loop.
//
// A TestLoop runs one or more loops ("subloops"): its own default loop, the loops made by
// StartNewLoop() (each standing for another component's loop, with its own dispatcher), and
// any subloop registered with RegisterLoop(). All share the fake clock, which starts at 0.
//
// Running (RunUntil(), RunFor(), RunUntilIdle()) proceeds in steps. Each step first checks that
// some subloop has work due at the current time; if none has, the clock jumps to the earliest
// time at which one will (so a handler sees Now() equal to its task's deadline), or, if that is
// past the run's deadline, to the run's deadline, and the run ends. Then the step picks one
// subloop pseudo-randomly and lets it run at most one handler; the pick is made even if that
// subloop has nothing to do. The picks come from a xorshift32 generator seeded at construction,
// so a seed fixes the interleaving of handlers across subloops, and a failing interleaving can
// be replayed: the constructor prints the seed as `TEST_LOOP_RANDOM_SEED="<seed>"` on stdout,
// and setting that environment variable makes the next TestLoop() use it.
//
// While a subloop's dispatcher runs a handler, it is the thread's default dispatcher
// (async_get_default_dispatcher()); otherwise the default loop's dispatcher is, from
// construction until destruction, which sets it to null.
//
// Dispatch-thread only: a TestLoop, its subloops and all their dispatchers are used from the
// thread that created the TestLoop. Not copyable or movable.
class TestLoop {
 public:
  // Creates a test loop seeded from the environment variable TEST_LOOP_RANDOM_SEED (a decimal
  // number greater than 0 that fits in 32 bits; anything else aborts the process) or, if it is
  // not set, with a random seed. Makes the default loop's dispatcher the thread's default
  // dispatcher and prints the seed.
  TestLoop();

  // Creates a test loop seeded with `state`, or, if `state` is 0, as TestLoop() does.
  explicit TestLoop(uint32_t state);

  // Sets the thread's default dispatcher to null, then destroys the default loop and any
  // registered subloop left, in registration order; their pending handlers are called with
  // ZX_ERR_CANCELED. Every LoopInterface and SubloopToken must be destroyed before.
  ~TestLoop();

  TestLoop(const TestLoop&) = delete;
  TestLoop& operator=(const TestLoop&) = delete;
  TestLoop(TestLoop&&) = delete;
  TestLoop& operator=(TestLoop&&) = delete;

  // The default loop's dispatcher.
  async_dispatcher_t* dispatcher();

  // Starts another loop with its own dispatcher on this loop's clock, as if another component
  // had started its own message loop. The returned object owns it: destroying the object
  // removes the loop and cancels its pending handlers (ZX_ERR_CANCELED). The object must not
  // outlive the TestLoop, and must not be destroyed by a handler running on its own loop.
  // Linux: Fuchsia's 2018 version returned `fbl::unique_ptr`.
  std::unique_ptr<LoopInterface> StartNewLoop();

  // Registers `loop`, which the test loop then owns, as another subloop: its advance_time_to
  // operation is called with Now() at once, and it takes part in every step from now on.
  // Destroying the returned token unregisters the subloop and finalizes it. The token must not
  // outlive the TestLoop.
  std::unique_ptr<SubloopToken> RegisterLoop(async_test_subloop_t* loop);

  // Returns the fake clock's current time.
  zx::time Now() const;

  // Ends the current run after the handler that is running, or, if the loop is not running,
  // makes the next run return at once without running anything or moving the clock. Every run
  // clears the request when it returns. Ignored by the nested runs of
  // BlockCurrentSubLoopAndRunOthersUntil(), which ends its blocking first.
  void Quit();

  // Only from a handler that this loop is running: blocks the handler's subloop and runs the
  // other subloops, as the current run would (moving the clock no further than the run's
  // deadline), until `condition()` returns true. `condition` is any callable returning bool,
  // such as a `fit::function<bool()>`; it is checked first and then after each handler.
  // Returns true once `condition()` holds; false if it does not and the other subloops can make
  // no more progress before the run's deadline.
  template <typename Condition>
  bool BlockCurrentSubLoopAndRunOthersUntil(Condition condition) {
    return BlockAndRunOthers(
        [](void* context) { return static_cast<bool>((*static_cast<Condition*>(context))()); },
        &condition);
  }

  // Moves the clock forward by one nanosecond, firing the timers that this makes expire, but
  // runs nothing.
  void AdvanceTimeByEpsilon();

  // Runs every handler that becomes due up to `deadline`, moving the clock forward as it goes,
  // and leaves the clock at `deadline` (or where it is, if that is later). Ends early on Quit().
  // Must not be called from a handler (runs do not nest; aborts the process).
  // Returns true if any handler ran.
  bool RunUntil(zx::time deadline);

  // RunUntil(Now() + duration).
  bool RunFor(zx::duration duration);

  // Calls RunFor(increment) until a call runs nothing.
  void RunRepeatedlyFor(zx::duration increment);

  // RunUntil(Now()): runs everything that is due, including what handlers make due, without
  // moving the clock.
  bool RunUntilIdle();

  // The seed of the pseudo-random choice of subloops.
  uint32_t initial_state() { return initial_state_; }

 private:
  struct Subloop;
  class LoopInterfaceImpl;
  class SubloopTokenImpl;

  std::unique_ptr<SubloopToken> AddSubloop(async_test_subloop_t* loop);
  void RemoveSubloop(async_test_subloop_t* loop);
  bool BlockAndRunOthers(bool (*condition)(void*), void* context);
  bool IsBlocked(const Subloop* subloop) const;
  bool HasPendingWork();
  zx::time GetNextTaskDueTime();
  void AdvanceTimeTo(zx::time time);
  Subloop* PickSubloop();
  bool Dispatch(Subloop* subloop);
  bool RunSteps();

  // The fake clock.
  zx::time current_time_;

  // The subloops in registration order; the default loop is the first.
  std::vector<std::unique_ptr<Subloop>> subloops_;

  // The default loop and its dispatcher.
  std::unique_ptr<LoopInterface> default_loop_;
  async_dispatcher_t* default_dispatcher_ = nullptr;

  // The subloop whose handler is running, or null between steps.
  Subloop* current_subloop_ = nullptr;

  // The subloops blocked in BlockCurrentSubLoopAndRunOthersUntil(), innermost last.
  std::vector<Subloop*> blocked_subloops_;

  // The seed, and the xorshift32 state that the picks advance.
  uint32_t initial_state_;
  uint32_t state_;

  // The deadline of the current run (or nested run).
  zx::time run_deadline_;
  bool has_quit_ = false;
  bool is_running_ = false;
};

}  // namespace async

#endif  // LIB_ASYNC_TESTING_TEST_LOOP_H_
