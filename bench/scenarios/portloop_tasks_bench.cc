// portloop's tasks in S1-S4, through its public API only, two ways where both apply:
//   portloop-c:   the C API, with caller-owned async_task_t (no allocation by the caller);
//   portloop-cpp: the C++ API, async::PostTask with a lambda (or async::TaskClosure where a timer
//                 must be cancellable).
// Zero-delay posts in the C API read async_now() once, at the start of the timed region, and use
// that deadline for every task (a deadline in the past means "as soon as possible");
// async::PostTask reads the clock itself on every post.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <zircon/syscalls.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "bench/scenarios/common.h"

namespace bench {
namespace {

// A caller-owned task that counts its runs; the last of `total` runs records the time and
// quits the loop.
struct CountingTask {
  async_task_t task;
  struct Counter* counter;
};

struct Counter {
  int64_t ran = 0;
  int64_t total = 0;
  int64_t last_ns = 0;
  async_loop_t* loop = nullptr;

  void CountOne() {
    if (++ran == total) {
      last_ns = NowNs();
      if (loop != nullptr) {
        async_loop_quit(loop);
      }
    }
  }
};

void CountingHandler(async_dispatcher_t*, async_task_t* task, zx_status_t status) {
  if (status == ZX_OK) {
    reinterpret_cast<CountingTask*>(task)->counter->CountOne();
  }
}

// A C loop that is destroyed with the benchmark.
struct CLoop {
  async_loop_t* loop = nullptr;
  CLoop() { async_loop_create(&kAsyncLoopConfigNoAttachToThread, &loop); }
  ~CLoop() { async_loop_destroy(loop); }
  async_dispatcher_t* dispatcher() const { return async_loop_get_dispatcher(loop); }
};

// ---- S1 post-burst ----

void S1C(benchmark::State& state) {
  const int64_t n = sizes().ops;
  CLoop loop;
  Counter counter{.total = n};
  std::vector<CountingTask> tasks(static_cast<size_t>(n));
  for (CountingTask& task : tasks) {
    task = CountingTask{{{ASYNC_STATE_INIT}, CountingHandler, 0}, &counter};
  }
  AllocWindow allocs;
  const int64_t start = NowNs();
  const zx_time_t now = async_now(loop.dispatcher());
  for (CountingTask& task : tasks) {
    task.task.deadline = now;
    async_post_task(loop.dispatcher(), &task.task);
  }
  async_loop_run_until_idle(loop.loop);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every task ran");
}

void S1Cpp(benchmark::State& state) {
  const int64_t n = sizes().ops;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  int64_t ran = 0;
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (int64_t i = 0; i < n; ++i) {
    async::PostTask(loop.dispatcher(), [&ran] { ++ran; });
  }
  loop.RunUntilIdle();
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, ran == n, "not every task ran");
}

// ---- S2 post-chain ----

struct ChainTask {
  async_task_t task;
  int64_t left;
};

void ChainHandler(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
  auto* chain = reinterpret_cast<ChainTask*>(task);
  if (status == ZX_OK && --chain->left > 0) {
    async_post_task(dispatcher, task);  // same (past) deadline: as soon as possible
  }
}

void S2C(benchmark::State& state) {
  const int64_t n = sizes().ops;
  CLoop loop;
  ChainTask chain{{{ASYNC_STATE_INIT}, ChainHandler, 0}, n};
  AllocWindow allocs;
  const int64_t start = NowNs();
  chain.task.deadline = async_now(loop.dispatcher());
  async_post_task(loop.dispatcher(), &chain.task);
  async_loop_run_until_idle(loop.loop);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, chain.left == 0, "the chain did not finish");
}

struct CppChain {
  async_dispatcher_t* dispatcher;
  int64_t left;
  void Next() {
    if (--left > 0) {
      async::PostTask(dispatcher, [this] { Next(); });
    }
  }
};

void S2Cpp(benchmark::State& state) {
  const int64_t n = sizes().ops;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  CppChain chain{loop.dispatcher(), n};
  AllocWindow allocs;
  const int64_t start = NowNs();
  async::PostTask(loop.dispatcher(), [&chain] { chain.Next(); });
  loop.RunUntilIdle();
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, chain.left == 0, "the chain did not finish");
}

// ---- S3 timers ----
// Deadlines are absolute: async_now() read once when arming starts, plus the timeout.

void S3C(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  CLoop loop;
  Counter counter{.total = n, .loop = loop.loop};
  std::vector<CountingTask> tasks(static_cast<size_t>(n));
  for (CountingTask& task : tasks) {
    task = CountingTask{{{ASYNC_STATE_INIT}, CountingHandler, 0}, &counter};
  }
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const zx_time_t now = async_now(loop.dispatcher());
  for (size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].task.deadline = now + timeouts[i] * 1000;
    async_post_task(loop.dispatcher(), &tasks[i].task);
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  async_loop_run(loop.loop, ZX_TIME_INFINITE, false);
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = now + MaxOf(timeouts) * 1000;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

// async::PostTaskForTime with a lambda: one allocation per timer, not cancellable.
void S3CppLambda(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  Counter counter{.total = n, .loop = loop.loop()};
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const zx::time now = async::Now(loop.dispatcher());
  for (int64_t timeout : timeouts) {
    async::PostTaskForTime(
        loop.dispatcher(), [&counter] { counter.CountOne(); }, now + zx::usec(timeout));
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  loop.Run();
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = now.get() + MaxOf(timeouts) * 1000;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

// Pre-made async::TaskClosure objects (constructed before the clock starts, like the peers'
// handles), posted with PostForTime.
std::unique_ptr<async::TaskClosure[]> MakeTaskClosures(int64_t n, Counter* counter) {
  auto tasks = std::make_unique<async::TaskClosure[]>(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    tasks[static_cast<size_t>(i)].set_handler([counter] { counter->CountOne(); });
  }
  return tasks;
}

void S3CppTaskClosure(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  Counter counter{.total = n, .loop = loop.loop()};
  auto tasks = MakeTaskClosures(n, &counter);
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const zx::time now = async::Now(loop.dispatcher());
  for (size_t i = 0; i < timeouts.size(); ++i) {
    tasks[i].PostForTime(loop.dispatcher(), now + zx::usec(timeouts[i]));
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  loop.Run();
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = now.get() + MaxOf(timeouts) * 1000;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

void S3cC(benchmark::State& state) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(TimerPattern::kChurn, n);
  const std::vector<int64_t> cancels = ChurnCancelOrder(n);
  CLoop loop;
  Counter counter{.total = n};
  std::vector<CountingTask> tasks(static_cast<size_t>(n));
  for (CountingTask& task : tasks) {
    task = CountingTask{{{ASYNC_STATE_INIT}, CountingHandler, 0}, &counter};
  }
  ChurnRun run;
  bool all_canceled = true;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const zx_time_t now = async_now(loop.dispatcher());
  for (size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].task.deadline = now + timeouts[i] * 1000;
    async_post_task(loop.dispatcher(), &tasks[i].task);
  }
  run.arm_end_ns = NowNs();
  for (int64_t i : cancels) {
    all_canceled &=
        async_cancel_task(loop.dispatcher(), &tasks[static_cast<size_t>(i)].task) == ZX_OK;
  }
  run.cancel_end_ns = NowNs();
  run.allocs = allocs.Count();
  ReportChurnRun(state, run, n, static_cast<int64_t>(cancels.size()));
  Check(state, all_canceled, "a cancel failed");
  async_loop_shutdown(loop.loop);  // cancels the rest while `tasks` still exists
}

void S3cCpp(benchmark::State& state) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(TimerPattern::kChurn, n);
  const std::vector<int64_t> cancels = ChurnCancelOrder(n);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  Counter counter{.total = n};
  auto tasks = MakeTaskClosures(n, &counter);
  ChurnRun run;
  bool all_canceled = true;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const zx::time now = async::Now(loop.dispatcher());
  for (size_t i = 0; i < timeouts.size(); ++i) {
    tasks[i].PostForTime(loop.dispatcher(), now + zx::usec(timeouts[i]));
  }
  run.arm_end_ns = NowNs();
  for (int64_t i : cancels) {
    all_canceled &= tasks[static_cast<size_t>(i)].Cancel() == ZX_OK;
  }
  run.cancel_end_ns = NowNs();
  run.allocs = allocs.Count();
  ReportChurnRun(state, run, n, static_cast<int64_t>(cancels.size()));
  Check(state, all_canceled, "a cancel failed");
  loop.Shutdown();  // before the tasks go, so that their destructors find nothing pending
}

// ---- S4 cross-thread post ----

// Runs `loop` on a thread pinned to side B's CPU until it is quit, and tells when it runs.
class LoopThread {
 public:
  explicit LoopThread(async_loop_t* loop)
      : thread_([this, loop] {
          PinThisThread(CpuOfSideB(Placement::kTwoCpus));
          running_.store(true, std::memory_order_release);  // pairs with WaitUntilRunning()
          async_loop_run(loop, ZX_TIME_INFINITE, false);
        }) {}
  ~LoopThread() { Join(); }
  void Join() {
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  // Returns once the thread is about to run the loop, and gives it time to fall asleep in it.
  void WaitUntilRunning() {
    while (!running_.load(std::memory_order_acquire)) {
      std::this_thread::yield();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

 private:
  std::atomic<bool> running_{false};
  std::thread thread_;
};

void S4C(benchmark::State& state) {
  const int64_t n = sizes().ops;
  CLoop loop;
  Counter counter{.total = n, .loop = loop.loop};
  std::vector<CountingTask> tasks(static_cast<size_t>(n));
  for (CountingTask& task : tasks) {
    task = CountingTask{{{ASYNC_STATE_INIT}, CountingHandler, 0}, &counter};
  }
  ScopedPin pin(CpuOfSideA());
  LoopThread thread(loop.loop);
  thread.WaitUntilRunning();
  AllocWindow allocs;
  const int64_t start = NowNs();
  const zx_time_t now = async_now(loop.dispatcher());
  for (CountingTask& task : tasks) {
    task.task.deadline = now;
    async_post_task(loop.dispatcher(), &task.task);
  }
  thread.Join();
  ReportPerOp(state, counter.last_ns - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every task ran");
}

void S4Cpp(benchmark::State& state) {
  const int64_t n = sizes().ops;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  Counter counter{.total = n, .loop = loop.loop()};
  ScopedPin pin(CpuOfSideA());
  LoopThread thread(loop.loop());
  thread.WaitUntilRunning();
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (int64_t i = 0; i < n; ++i) {
    async::PostTask(loop.dispatcher(), [&counter] { counter.CountOne(); });
  }
  thread.Join();
  ReportPerOp(state, counter.last_ns - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every task ran");
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("S1/portloop-c/task", "async_post_task, caller-owned async_task_t", S1C);
  Register("S1/portloop-cpp/post_task", "async::PostTask(lambda)", S1Cpp);
  Register("S2/portloop-c/task", "async_post_task, caller-owned async_task_t", S2C);
  Register("S2/portloop-cpp/post_task", "async::PostTask(lambda)", S2Cpp);
  const std::pair<const char*, TimerPattern> patterns[] = {{"S3a", TimerPattern::kIncreasing},
                                                           {"S3b", TimerPattern::kRandom}};
  for (const auto& entry : patterns) {
    const std::string prefix = entry.first;
    const TimerPattern pattern = entry.second;
    Register(prefix + "/portloop-c/task", "async_post_task, caller-owned async_task_t",
             [pattern](benchmark::State& state) { S3C(state, pattern); });
    Register(prefix + "/portloop-cpp/post_task_for_time", "async::PostTaskForTime(lambda)",
             [pattern](benchmark::State& state) { S3CppLambda(state, pattern); });
    Register(prefix + "/portloop-cpp/task_closure", "async::TaskClosure::PostForTime",
             [pattern](benchmark::State& state) { S3CppTaskClosure(state, pattern); });
  }
  Register("S3c/portloop-c/task", "async_post_task + async_cancel_task", S3cC);
  Register("S3c/portloop-cpp/task_closure", "async::TaskClosure PostForTime + Cancel", S3cCpp);
  Register("S4/portloop-c/task", "async_post_task from another thread, caller-owned tasks", S4C);
  Register("S4/portloop-cpp/post_task", "async::PostTask(lambda) from another thread", S4Cpp);
  return true;
}();

}  // namespace
}  // namespace bench
