// async::TestLoop: steps through its subloops on a fake clock.
//
// A run is a sequence of steps (RunSteps). A step first makes sure that some subloop has work:
// if none has, the clock jumps to the earliest time at which one will, unless that is past the
// run's deadline, which ends the run with the clock at the deadline. Then the xorshift32
// generator picks a subloop, which runs at most one handler. Picking a subloop that has nothing
// to do still uses up the step and the generator's output, so the sequence of picks, and with
// it the interleaving of handlers across subloops, depends only on the seed and the work.
//
// BlockCurrentSubLoopAndRunOthersUntil() nests runs: it marks the subloop of the running
// handler as blocked, so that steps skip it (blocked subloops have no work as far as the clock is
// concerned), and runs nested runs whose deadline starts at the current time and then follows the
// next due time, never past the outer run's deadline. A nested run also ends when the generator
// picks the blocked subloop that started it, which is when the condition is checked again.
// Quit() does not end nested runs, so that a blocked handler can still finish; the outer run
// ends after it.
#include <lib/async-testing/test_loop.h>
#include <lib/async/default.h>
#include <zircon/assert.h>
#include <zircon/syscalls.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace async {
namespace {

// One step of the xorshift32 generator (Marsaglia, shifts 13, 17, 5), as Fuchsia's TestLoop
// uses it, so a seed picks the same subloops here as there.
uint32_t NextRandom(uint32_t n) {
  n ^= n << 13;
  n ^= n >> 17;
  n ^= n << 5;
  return n;
}

// The seed from TEST_LOOP_RANDOM_SEED, or a random one.
uint32_t SeedFromEnvironmentOrRandom() {
  const char* preset = std::getenv("TEST_LOOP_RANDOM_SEED");
  if (preset != nullptr) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(preset, &end, 10);
    ZX_ASSERT_MSG(errno == 0 && end != preset && *end == '\0' && value > 0 && value <= UINT32_MAX,
                  "TEST_LOOP_RANDOM_SEED=\"%s\" is not a seed: give a decimal number from 1 to %u",
                  preset, UINT32_MAX);
    return static_cast<uint32_t>(value);
  }
  // Zero is no seed: the generator would stay at zero, and the environment could not replay it.
  uint32_t seed = 0;
  while (seed == 0) {
    zx_cprng_draw(&seed, sizeof(seed));
  }
  return seed;
}

}  // namespace

// A registered subloop. Finalizes it when destroyed.
struct TestLoop::Subloop {
  explicit Subloop(async_test_subloop_t* subloop) : loop(subloop) {}
  ~Subloop() { loop->ops->finalize(loop); }
  Subloop(const Subloop&) = delete;
  Subloop& operator=(const Subloop&) = delete;

  bool HasPendingWork() { return loop->ops->has_pending_work(loop) != 0; }
  zx::time GetNextTaskDueTime() { return zx::time(loop->ops->get_next_task_due_time(loop)); }
  void AdvanceTimeTo(zx::time time) { loop->ops->advance_time_to(loop, time.get()); }
  bool DispatchNextDueMessage() { return loop->ops->dispatch_next_due_message(loop) != 0; }

  async_test_subloop_t* const loop;
};

class TestLoop::SubloopTokenImpl final : public SubloopToken {
 public:
  SubloopTokenImpl(TestLoop* test_loop, async_test_subloop_t* subloop)
      : test_loop_(test_loop), subloop_(subloop) {}
  ~SubloopTokenImpl() override { test_loop_->RemoveSubloop(subloop_); }

 private:
  TestLoop* const test_loop_;
  async_test_subloop_t* const subloop_;
};

class TestLoop::LoopInterfaceImpl final : public LoopInterface {
 public:
  LoopInterfaceImpl(std::unique_ptr<SubloopToken> token, async_dispatcher_t* dispatcher)
      : token_(std::move(token)), dispatcher_(dispatcher) {}

  async_dispatcher_t* dispatcher() override { return dispatcher_; }

 private:
  std::unique_ptr<SubloopToken> token_;
  async_dispatcher_t* const dispatcher_;
};

TestLoop::TestLoop() : TestLoop(0) {}

TestLoop::TestLoop(uint32_t state)
    : initial_state_(state != 0 ? state : SeedFromEnvironmentOrRandom()), state_(initial_state_) {
  default_loop_ = StartNewLoop();
  default_dispatcher_ = default_loop_->dispatcher();
  async_set_default_dispatcher(default_dispatcher_);
  // Flushed: the seed matters most when the test is about to crash.
  std::printf("\nTEST_LOOP_RANDOM_SEED=\"%u\"\n", initial_state_);
  std::fflush(stdout);
}

TestLoop::~TestLoop() {
  async_set_default_dispatcher(nullptr);
  default_loop_.reset();
  // Subloops whose tokens are still alive break the contract; finalize them all the same.
  while (!subloops_.empty()) {
    std::unique_ptr<Subloop> subloop = std::move(subloops_.front());
    subloops_.erase(subloops_.begin());
  }
}

async_dispatcher_t* TestLoop::dispatcher() { return default_dispatcher_; }

std::unique_ptr<LoopInterface> TestLoop::StartNewLoop() {
  async_dispatcher_t* dispatcher = nullptr;
  async_test_subloop_t* subloop = nullptr;
  NewTestLoopDispatcher(&dispatcher, &subloop);
  return std::make_unique<LoopInterfaceImpl>(AddSubloop(subloop), dispatcher);
}

std::unique_ptr<SubloopToken> TestLoop::RegisterLoop(async_test_subloop_t* loop) {
  return AddSubloop(loop);
}

std::unique_ptr<SubloopToken> TestLoop::AddSubloop(async_test_subloop_t* loop) {
  auto subloop = std::make_unique<Subloop>(loop);
  subloop->AdvanceTimeTo(current_time_);
  subloops_.push_back(std::move(subloop));
  return std::make_unique<SubloopTokenImpl>(this, loop);
}

void TestLoop::RemoveSubloop(async_test_subloop_t* loop) {
  auto it = std::find_if(subloops_.begin(), subloops_.end(),
                         [loop](const std::unique_ptr<Subloop>& s) { return s->loop == loop; });
  ZX_ASSERT_MSG(it != subloops_.end(), "a subloop was removed twice");
  ZX_ASSERT_MSG(it->get() != current_subloop_ && !IsBlocked(it->get()),
                "a subloop was destroyed while one of its handlers was running");
  // Out of the list before it is finalized: its cancelled handlers may use the TestLoop.
  std::unique_ptr<Subloop> subloop = std::move(*it);
  subloops_.erase(it);
}

zx::time TestLoop::Now() const { return current_time_; }

void TestLoop::Quit() { has_quit_ = true; }

void TestLoop::AdvanceTimeByEpsilon() { AdvanceTimeTo(Now() + zx::nsec(1)); }

bool TestLoop::RunUntil(zx::time deadline) {
  ZX_ASSERT_MSG(!is_running_, "TestLoop runs do not nest: RunUntil() called from a handler");
  is_running_ = true;
  run_deadline_ = deadline;
  const bool did_work = RunSteps();
  has_quit_ = false;
  is_running_ = false;
  return did_work;
}

bool TestLoop::RunFor(zx::duration duration) { return RunUntil(Now() + duration); }

void TestLoop::RunRepeatedlyFor(zx::duration increment) {
  while (RunFor(increment)) {
  }
}

bool TestLoop::RunUntilIdle() { return RunUntil(Now()); }

bool TestLoop::BlockAndRunOthers(bool (*condition)(void*), void* context) {
  ZX_ASSERT_MSG(is_running_ && current_subloop_ != nullptr,
                "BlockCurrentSubLoopAndRunOthersUntil() called outside a handler of this loop");
  ZX_ASSERT(!IsBlocked(current_subloop_));
  Subloop* const blocked = current_subloop_;
  blocked_subloops_.push_back(blocked);
  const zx::time outer_deadline = run_deadline_;
  run_deadline_ = std::min(Now(), outer_deadline);

  bool satisfied = condition(context);
  while (!satisfied) {
    const bool progressed = RunSteps();
    satisfied = condition(context);
    if (!progressed && !satisfied) {
      if (Now() >= outer_deadline) {
        break;
      }
      // Nothing left at this time: let the next nested run reach the next due time.
      run_deadline_ = std::min(GetNextTaskDueTime(), outer_deadline);
    }
  }

  run_deadline_ = outer_deadline;
  ZX_ASSERT(!blocked_subloops_.empty() && blocked_subloops_.back() == blocked);
  blocked_subloops_.pop_back();
  return satisfied;
}

bool TestLoop::IsBlocked(const Subloop* subloop) const {
  if (blocked_subloops_.empty()) {
    return false;  // the common case, checked for every subloop at every step
  }
  return std::find(blocked_subloops_.begin(), blocked_subloops_.end(), subloop) !=
         blocked_subloops_.end();
}

bool TestLoop::HasPendingWork() {
  for (const auto& subloop : subloops_) {
    if (!IsBlocked(subloop.get()) && subloop->HasPendingWork()) {
      return true;
    }
  }
  return false;
}

zx::time TestLoop::GetNextTaskDueTime() {
  zx::time next = zx::time::infinite();
  for (const auto& subloop : subloops_) {
    if (!IsBlocked(subloop.get())) {
      next = std::min(next, subloop->GetNextTaskDueTime());
    }
  }
  return next;
}

void TestLoop::AdvanceTimeTo(zx::time time) {
  if (time <= current_time_) {
    return;
  }
  current_time_ = time;
  for (const auto& subloop : subloops_) {
    subloop->AdvanceTimeTo(time);
  }
}

TestLoop::Subloop* TestLoop::PickSubloop() {
  state_ = NextRandom(state_);
  return subloops_[state_ % subloops_.size()].get();
}

bool TestLoop::Dispatch(Subloop* subloop) {
  // Between steps the default dispatcher is the default loop's; inside a nested run, it is the
  // blocked handler's, which it must be again when that handler resumes.
  async_dispatcher_t* const restore =
      blocked_subloops_.empty() ? default_dispatcher_ : async_get_default_dispatcher();
  Subloop* const outer = current_subloop_;
  current_subloop_ = subloop;
  const bool dispatched = subloop->DispatchNextDueMessage();
  current_subloop_ = outer;
  async_set_default_dispatcher(restore);
  return dispatched;
}

bool TestLoop::RunSteps() {
  Subloop* const caller = current_subloop_;  // the blocked subloop of a nested run, else null
  bool did_work = false;
  while (!has_quit_ || !blocked_subloops_.empty()) {
    if (!HasPendingWork()) {
      const zx::time next = GetNextTaskDueTime();
      if (next > run_deadline_) {
        AdvanceTimeTo(run_deadline_);
        break;
      }
      AdvanceTimeTo(next);
    }
    Subloop* const subloop = PickSubloop();
    if (IsBlocked(subloop)) {
      if (subloop == caller) {
        // Back to the blocked handler, to check its condition.
        did_work = true;
        break;
      }
      continue;
    }
    did_work |= Dispatch(subloop);
  }
  return did_work;
}

}  // namespace async
