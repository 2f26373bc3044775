// libevent in S1-S6, with its idiomatic calls; events are created before the clock starts:
//   S1/S2 active: event_active() on pre-created events that are never added;
//   S1/S2 once:   event_base_once(EV_TIMEOUT, no timeout), which allocates per call;
//   S3:           evtimer_add() with a relative timeval (the base's default clock, which is
//                 CLOCK_MONOTONIC_COARSE), evtimer_del() for churn;
//   S4:           evthread_use_pthreads(), a mutex-protected queue and event_active() on one event;
//   S5:           two bases, each with an EV_READ|EV_PERSIST event on its own eventfd;
//   S6:           an EV_READ|EV_PERSIST event on each end of the socketpair.
// Events are not freed after a run: the process exits right after.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/thread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench/scenarios/common.h"

namespace bench {
namespace {

struct Counter {
  int64_t ran = 0;
  int64_t total = 0;
  int64_t last_ns = 0;
  event_base* base = nullptr;

  // True when the last callback ran; the base's loop is then broken.
  bool CountOne() {
    if (++ran == total) {
      last_ns = NowNs();
      if (base != nullptr) {
        event_base_loopbreak(base);
      }
      return true;
    }
    return false;
  }
};

void CountCallback(evutil_socket_t, short, void* arg) { static_cast<Counter*>(arg)->CountOne(); }

// ---- S1, S2 ----

void S1Active(benchmark::State& state) {
  const int64_t n = sizes().ops;
  event_base* base = event_base_new();
  Counter counter{.total = n};
  std::vector<event*> events(static_cast<size_t>(n));
  for (event*& ev : events) {
    ev = event_new(base, -1, 0, CountCallback, &counter);
  }
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (event* ev : events) {
    event_active(ev, EV_TIMEOUT, 0);
  }
  event_base_loop(base, 0);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

void S1Once(benchmark::State& state) {
  const int64_t n = sizes().ops;
  event_base* base = event_base_new();
  Counter counter{.total = n};
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (int64_t i = 0; i < n; ++i) {
    event_base_once(base, -1, EV_TIMEOUT, CountCallback, &counter, nullptr);
  }
  event_base_loop(base, 0);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

struct Chain {
  Counter counter;
  event_base* base = nullptr;
  event* ev = nullptr;
};

void S2Active(benchmark::State& state) {
  const int64_t n = sizes().ops;
  Chain chain{.counter = {.total = n}, .base = event_base_new()};
  chain.ev = event_new(
      chain.base, -1, 0,
      [](evutil_socket_t, short, void* arg) {
        auto* c = static_cast<Chain*>(arg);
        if (!c->counter.CountOne()) {
          event_active(c->ev, EV_TIMEOUT, 0);
        }
      },
      &chain);
  AllocWindow allocs;
  const int64_t start = NowNs();
  event_active(chain.ev, EV_TIMEOUT, 0);
  event_base_loop(chain.base, 0);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, chain.counter.ran == n, "not every callback ran");
}

void OnceChain(evutil_socket_t, short, void* arg) {
  auto* c = static_cast<Chain*>(arg);
  if (!c->counter.CountOne()) {
    event_base_once(c->base, -1, EV_TIMEOUT, OnceChain, c, nullptr);
  }
}

void S2Once(benchmark::State& state) {
  const int64_t n = sizes().ops;
  Chain chain{.counter = {.total = n}, .base = event_base_new()};
  AllocWindow allocs;
  const int64_t start = NowNs();
  event_base_once(chain.base, -1, EV_TIMEOUT, OnceChain, &chain, nullptr);
  event_base_loop(chain.base, 0);
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, chain.counter.ran == n, "not every callback ran");
}

// ---- S3 ----

timeval ToTimeval(int64_t us) { return timeval{us / 1'000'000, us % 1'000'000}; }

std::vector<event*> MakeTimers(event_base* base, int64_t n, Counter* counter) {
  std::vector<event*> timers(static_cast<size_t>(n));
  for (event*& ev : timers) {
    ev = evtimer_new(base, CountCallback, counter);
  }
  return timers;
}

void S3Timers(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  event_base* base = event_base_new();
  Counter counter{.total = n};
  std::vector<event*> timers = MakeTimers(base, n, &counter);
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  for (size_t i = 0; i < timers.size(); ++i) {
    const timeval tv = ToTimeval(timeouts[i]);
    evtimer_add(timers[i], &tv);
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  // The absolute deadlines libevent computed, on its (coarse monotonic) clock.
  int64_t latest_ns = 0;
  for (const event* ev : timers) {
    latest_ns = std::max(latest_ns, static_cast<int64_t>(ev->ev_timeout.tv_sec) * 1'000'000'000 +
                                        static_cast<int64_t>(ev->ev_timeout.tv_usec) * 1000);
  }
  event_base_loop(base, 0);
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = latest_ns;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

void S3Churn(benchmark::State& state) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(TimerPattern::kChurn, n);
  const std::vector<int64_t> cancels = ChurnCancelOrder(n);
  event_base* base = event_base_new();
  Counter counter{.total = n};
  std::vector<event*> timers = MakeTimers(base, n, &counter);
  ChurnRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  for (size_t i = 0; i < timers.size(); ++i) {
    const timeval tv = ToTimeval(timeouts[i]);
    evtimer_add(timers[i], &tv);
  }
  run.arm_end_ns = NowNs();
  for (int64_t i : cancels) {
    evtimer_del(timers[static_cast<size_t>(i)]);
  }
  run.cancel_end_ns = NowNs();
  run.allocs = allocs.Count();
  ReportChurnRun(state, run, n, static_cast<int64_t>(cancels.size()));
}

// ---- S4 ----

struct Node {
  Node* next;
  Counter* counter;
};

// An intrusive FIFO guarded by a mutex; the event's callback drains it whole.
struct ActiveQueue {
  std::mutex mutex;
  Node* head = nullptr;
  Node* tail = nullptr;
  event* ev = nullptr;

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
    event_active(ev, EV_READ, 0);
  }
  Node* TakeAll() {
    std::lock_guard<std::mutex> lock(mutex);
    Node* all = head;
    head = tail = nullptr;
    return all;
  }
};

void S4Active(benchmark::State& state) {
  const int64_t n = sizes().ops;
  evthread_use_pthreads();
  event_base* base = event_base_new();
  Counter counter{.total = n, .base = base};
  std::vector<Node> nodes(static_cast<size_t>(n), Node{nullptr, &counter});
  ActiveQueue queue;
  queue.ev = event_new(
      base, -1, 0,
      [](evutil_socket_t, short, void* arg) {
        for (Node* node = static_cast<ActiveQueue*>(arg)->TakeAll(); node != nullptr;) {
          Node* next = node->next;
          node->counter->CountOne();
          node = next;
        }
      },
      &queue);
  ScopedPin pin(CpuOfSideA());
  std::atomic<bool> running{false};
  std::thread thread([&] {
    PinThisThread(CpuOfSideB(Placement::kTwoCpus));
    running.store(true, std::memory_order_release);  // pairs with the acquire load below
    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
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

// One side of a ping-pong: a base with one persistent read event on `fd` (S5: its own eventfd;
// S6: its end of the socketpair), answering on `peer_fd` (S5: the peer's eventfd; S6: `fd`).
struct Side {
  event_base* base = event_base_new();
  event* ev = nullptr;
  int fd = -1;
  int peer_fd = -1;
  size_t message_size = 1;
  int64_t remaining = -1;  // the initiator counts down; the echo side stays at -1
  std::atomic<bool> stop{false};

  void Watch() {
    ev = event_new(
        base, fd, EV_READ | EV_PERSIST,
        [](evutil_socket_t, short, void* arg) { static_cast<Side*>(arg)->OnReadable(); }, this);
    event_add(ev, nullptr);
  }
  void OnReadable() {
    uint64_t message = 1;
    if (read(fd, &message, message_size) != static_cast<ssize_t>(message_size)) {
      return;
    }
    // Acquire pairs with the release store of the stop callback.
    if ((remaining >= 0 && --remaining == 0) || stop.load(std::memory_order_acquire)) {
      event_base_loopbreak(base);
      return;
    }
    benchmark::DoNotOptimize(write(peer_fd, &message, message_size));
  }
};

void PingPong(benchmark::State& state, Placement placement, Side& a, Side& b, int kick_fd) {
  const int64_t n = sizes().round_trips;
  a.remaining = n;
  a.Watch();
  b.Watch();
  const uint64_t message = 1;
  RunPingPong(
      state, placement, n, [&] { event_base_loop(b.base, 0); },
      [&] {
        benchmark::DoNotOptimize(write(kick_fd, &message, a.message_size));
        event_base_loop(a.base, 0);
      },
      [&] {
        b.stop.store(true, std::memory_order_release);
        benchmark::DoNotOptimize(write(kick_fd, &message, a.message_size));
      });
  Check(state, a.remaining == 0, "the ping-pong did not finish");
}

void S5Eventfd(benchmark::State& state, Placement placement) {
  Side a;
  Side b;
  a.fd = b.peer_fd = eventfd(0, EFD_NONBLOCK);
  b.fd = a.peer_fd = eventfd(0, EFD_NONBLOCK);
  a.message_size = b.message_size = sizeof(uint64_t);
  PingPong(state, placement, a, b, b.fd);
}

void S6Event(benchmark::State& state, Placement placement) {
  int fds[2];
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds);
  Side a;
  Side b;
  a.fd = a.peer_fd = fds[0];
  b.fd = b.peer_fd = fds[1];
  PingPong(state, placement, a, b, a.fd);
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("S1/libevent/active", "event_active, pre-created events", S1Active);
  Register("S1/libevent/once", "event_base_once, zero timeout", S1Once);
  Register("S2/libevent/active", "event_active, pre-created event", S2Active);
  Register("S2/libevent/once", "event_base_once, zero timeout", S2Once);
  Register("S3a/libevent/evtimer", "evtimer_add",
           [](benchmark::State& state) { S3Timers(state, TimerPattern::kIncreasing); });
  Register("S3b/libevent/evtimer", "evtimer_add",
           [](benchmark::State& state) { S3Timers(state, TimerPattern::kRandom); });
  Register("S3c/libevent/evtimer", "evtimer_add + evtimer_del", S3Churn);
  Register("S4/libevent/active", "event_active (evthread_use_pthreads) + mutex queue", S4Active);
  Register("S5/libevent/eventfd", "2 bases, eventfd + EV_PERSIST",
           [](benchmark::State& state) { S5Eventfd(state, Placement::kTwoCpus); });
  Register("S5same/libevent/eventfd", "2 bases, eventfd + EV_PERSIST",
           [](benchmark::State& state) { S5Eventfd(state, Placement::kSameCpu); });
  Register("S6/libevent/event", "event EV_READ|EV_PERSIST",
           [](benchmark::State& state) { S6Event(state, Placement::kTwoCpus); });
  Register("S6same/libevent/event", "event EV_READ|EV_PERSIST",
           [](benchmark::State& state) { S6Event(state, Placement::kSameCpu); });
  return true;
}();

}  // namespace
}  // namespace bench
