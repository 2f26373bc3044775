// libuv in S1-S6, with its idiomatic handles, all initialised before the clock starts:
//   S1/S2 idle:   uv_idle_t (libuv has no post; an idle handle is its FIFO of callbacks);
//   S1/S2 timer0: uv_timer_t with a 0 ms timeout;
//   S3:           uv_timer_t, timeouts in whole milliseconds, relative to the loop time
//                 (uv_update_time() just before arming);
//   S4:           a mutex-protected intrusive queue plus uv_async_send();
//   S5:           two loops with one uv_async_t each;
//   S6:           uv_poll_t with UV_READABLE on each end of the socketpair.
// Handles are not closed after a run: the process exits right after.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "bench/scenarios/common.h"

namespace bench {
namespace {

struct Counter {
  int64_t ran = 0;
  int64_t total = 0;
  int64_t last_ns = 0;

  // True when the last callback ran.
  bool CountOne() {
    if (++ran == total) {
      last_ns = NowNs();
      return true;
    }
    return false;
  }
};

uv_loop_t* NewLoop() {
  auto* loop = new uv_loop_t;
  uv_loop_init(loop);
  return loop;
}

// ---- S1, S2 ----

void S1Idle(benchmark::State& state) {
  const int64_t n = sizes().ops;
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  std::vector<uv_idle_t> idles(static_cast<size_t>(n));
  for (uv_idle_t& idle : idles) {
    uv_idle_init(loop, &idle);
    idle.data = &counter;
  }
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (uv_idle_t& idle : idles) {
    uv_idle_start(&idle, [](uv_idle_t* handle) {
      uv_idle_stop(handle);
      static_cast<Counter*>(handle->data)->CountOne();
    });
  }
  uv_run(loop, UV_RUN_DEFAULT);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

void S1Timer0(benchmark::State& state) {
  const int64_t n = sizes().ops;
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  std::vector<uv_timer_t> timers(static_cast<size_t>(n));
  for (uv_timer_t& timer : timers) {
    uv_timer_init(loop, &timer);
    timer.data = &counter;
  }
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (uv_timer_t& timer : timers) {
    uv_timer_start(
        &timer, [](uv_timer_t* handle) { static_cast<Counter*>(handle->data)->CountOne(); }, 0, 0);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

// An idle handle kept active: one callback per loop iteration.
void S2Idle(benchmark::State& state) {
  const int64_t n = sizes().ops;
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  uv_idle_t idle;
  uv_idle_init(loop, &idle);
  idle.data = &counter;
  AllocWindow allocs;
  const int64_t start = NowNs();
  uv_idle_start(&idle, [](uv_idle_t* handle) {
    if (static_cast<Counter*>(handle->data)->CountOne()) {
      uv_idle_stop(handle);
    }
  });
  uv_run(loop, UV_RUN_DEFAULT);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

void Timer0Chain(uv_timer_t* handle) {
  if (!static_cast<Counter*>(handle->data)->CountOne()) {
    uv_timer_start(handle, Timer0Chain, 0, 0);
  }
}

void S2Timer0(benchmark::State& state) {
  const int64_t n = sizes().ops;
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  uv_timer_t timer;
  uv_timer_init(loop, &timer);
  timer.data = &counter;
  AllocWindow allocs;
  const int64_t start = NowNs();
  uv_timer_start(&timer, Timer0Chain, 0, 0);
  uv_run(loop, UV_RUN_DEFAULT);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

// ---- S3 ----

std::vector<uv_timer_t> MakeTimers(uv_loop_t* loop, int64_t n, Counter* counter) {
  std::vector<uv_timer_t> timers(static_cast<size_t>(n));
  for (uv_timer_t& timer : timers) {
    uv_timer_init(loop, &timer);
    timer.data = counter;
  }
  return timers;
}

void S3Timers(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  std::vector<uv_timer_t> timers = MakeTimers(loop, n, &counter);
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  uv_update_time(loop);
  for (size_t i = 0; i < timers.size(); ++i) {
    uv_timer_start(
        &timers[i], [](uv_timer_t* handle) { static_cast<Counter*>(handle->data)->CountOne(); },
        static_cast<uint64_t>(timeouts[i] / 1000), 0);
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  // The absolute due time libuv computed, in loop milliseconds (CLOCK_MONOTONIC based here: its
  // coarse clock is used only when that has 1 ms resolution).
  uint64_t latest_due_ms = 0;
  for (const uv_timer_t& timer : timers) {
    latest_due_ms = std::max(latest_due_ms, timer.timeout);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = static_cast<int64_t>(latest_due_ms) * 1'000'000;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

void S3Churn(benchmark::State& state) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(TimerPattern::kChurn, n);
  const std::vector<int64_t> cancels = ChurnCancelOrder(n);
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  std::vector<uv_timer_t> timers = MakeTimers(loop, n, &counter);
  ChurnRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  uv_update_time(loop);
  for (size_t i = 0; i < timers.size(); ++i) {
    uv_timer_start(
        &timers[i], [](uv_timer_t* handle) { static_cast<Counter*>(handle->data)->CountOne(); },
        static_cast<uint64_t>(timeouts[i] / 1000), 0);
  }
  run.arm_end_ns = NowNs();
  for (int64_t i : cancels) {
    uv_timer_stop(&timers[static_cast<size_t>(i)]);
  }
  run.cancel_end_ns = NowNs();
  run.allocs = allocs.Count();
  ReportChurnRun(state, run, n, static_cast<int64_t>(cancels.size()));
}

// ---- S4 ----

// A caller-owned callback node of the mutex-protected queue.
struct Node {
  Node* next;
  Counter* counter;
};

// The loop side of S4: an intrusive FIFO guarded by a mutex, drained whole by the async
// callback, which coalesces wake-ups (uv_async_send() writes its eventfd only once until the
// callback runs).
struct AsyncQueue {
  std::mutex mutex;
  Node* head = nullptr;
  Node* tail = nullptr;
  uv_async_t async;

  void Push(Node* node) {
    node->next = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (tail == nullptr) {
        head = node;
      } else {
        tail->next = node;
      }
      tail = node;
    }
    uv_async_send(&async);
  }
  Node* TakeAll() {
    std::lock_guard<std::mutex> lock(mutex);
    Node* all = head;
    head = tail = nullptr;
    return all;
  }
};

void S4AsyncSend(benchmark::State& state) {
  const int64_t n = sizes().ops;
  uv_loop_t* loop = NewLoop();
  Counter counter{.total = n};
  std::vector<Node> nodes(static_cast<size_t>(n), Node{nullptr, &counter});
  AsyncQueue queue;
  uv_async_init(loop, &queue.async, [](uv_async_t* handle) {
    auto* q = static_cast<AsyncQueue*>(handle->data);
    for (Node* node = q->TakeAll(); node != nullptr;) {
      Node* next = node->next;
      if (node->counter->CountOne()) {
        uv_close(reinterpret_cast<uv_handle_t*>(handle), nullptr);
      }
      node = next;
    }
  });
  queue.async.data = &queue;
  ScopedPin pin(CpuOfSideA());
  std::atomic<bool> running{false};
  std::thread thread([&] {
    PinThisThread(CpuOfSideB(Placement::kTwoCpus));
    running.store(true, std::memory_order_release);  // pairs with the acquire load below
    uv_run(loop, UV_RUN_DEFAULT);
  });
  while (!running.load(std::memory_order_acquire)) {
    std::this_thread::yield();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (Node& node : nodes) {
    queue.Push(&node);
  }
  thread.join();
  ReportPerOp(state, counter.last_ns - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

// ---- S5, S6 ----

// One side of a ping-pong: a loop, its handle, and a flag that makes the echo side close up.
struct Side {
  uv_loop_t* loop = NewLoop();
  Side* peer = nullptr;
  int64_t remaining = -1;  // the initiator counts down; the echo side stays at -1
  std::atomic<bool> stop{false};
  uv_async_t async;
  uv_poll_t poll;
  int fd = -1;

  // Counts one answer on the initiator; true once the last one arrived.
  bool Done() { return remaining >= 0 && --remaining == 0; }
  bool Stopping() const { return stop.load(std::memory_order_acquire); }  // pairs with Stop()
};

void S5AsyncSend(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  Side a;
  Side b;
  a.peer = &b;
  b.peer = &a;
  a.remaining = n;
  for (Side* side : {&a, &b}) {
    uv_async_init(side->loop, &side->async, [](uv_async_t* handle) {
      auto* self = static_cast<Side*>(handle->data);
      if (self->Done() || self->Stopping()) {
        uv_close(reinterpret_cast<uv_handle_t*>(handle), nullptr);
        return;
      }
      uv_async_send(&self->peer->async);
    });
    side->async.data = side;
  }
  RunPingPong(
      state, placement, n, [&] { uv_run(b.loop, UV_RUN_DEFAULT); },
      [&] {
        uv_async_send(&b.async);
        uv_run(a.loop, UV_RUN_DEFAULT);
      },
      [&] {
        b.stop.store(true, std::memory_order_release);
        uv_async_send(&b.async);
      });
  Check(state, a.remaining == 0, "the ping-pong did not finish");
}

void S6Poll(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  int fds[2];
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds);
  Side a;
  Side b;
  a.fd = fds[0];
  b.fd = fds[1];
  a.remaining = n;
  for (Side* side : {&a, &b}) {
    uv_poll_init(side->loop, &side->poll, side->fd);
    side->poll.data = side;
    uv_poll_start(&side->poll, UV_READABLE, [](uv_poll_t* handle, int status, int) {
      auto* self = static_cast<Side*>(handle->data);
      char byte;
      if (status < 0 || read(self->fd, &byte, 1) != 1) {
        return;
      }
      if (self->Done() || self->Stopping()) {
        uv_poll_stop(handle);
        return;
      }
      benchmark::DoNotOptimize(write(self->fd, &byte, 1));
    });
  }
  RunPingPong(
      state, placement, n, [&] { uv_run(b.loop, UV_RUN_DEFAULT); },
      [&] {
        char byte = 'x';
        benchmark::DoNotOptimize(write(a.fd, &byte, 1));
        uv_run(a.loop, UV_RUN_DEFAULT);
      },
      [&] {
        b.stop.store(true, std::memory_order_release);
        char byte = 'x';
        benchmark::DoNotOptimize(write(a.fd, &byte, 1));
      });
  Check(state, a.remaining == 0, "the ping-pong did not finish");
  close(fds[0]);
  close(fds[1]);
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("S1/libuv/idle", "uv_idle start/stop", S1Idle);
  Register("S1/libuv/timer0", "uv_timer, timeout 0", S1Timer0);
  Register("S2/libuv/idle", "uv_idle kept active, 1 loop iteration per callback", S2Idle);
  Register("S2/libuv/timer0", "uv_timer, timeout 0, re-armed in its callback", S2Timer0);
  Register("S3a/libuv/timer", "uv_timer",
           [](benchmark::State& state) { S3Timers(state, TimerPattern::kIncreasing); });
  Register("S3b/libuv/timer", "uv_timer",
           [](benchmark::State& state) { S3Timers(state, TimerPattern::kRandom); });
  Register("S3c/libuv/timer", "uv_timer_start + uv_timer_stop", S3Churn);
  Register("S4/libuv/async_send", "uv_async_send + mutex queue", S4AsyncSend);
  Register("S5/libuv/async_send", "2 loops, uv_async_send",
           [](benchmark::State& state) { S5AsyncSend(state, Placement::kTwoCpus); });
  Register("S5same/libuv/async_send", "2 loops, uv_async_send",
           [](benchmark::State& state) { S5AsyncSend(state, Placement::kSameCpu); });
  Register("S6/libuv/poll", "uv_poll",
           [](benchmark::State& state) { S6Poll(state, Placement::kTwoCpus); });
  Register("S6same/libuv/poll", "uv_poll",
           [](benchmark::State& state) { S6Poll(state, Placement::kSameCpu); });
  return true;
}();

}  // namespace
}  // namespace bench
