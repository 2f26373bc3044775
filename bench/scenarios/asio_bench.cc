// Boost.Asio in S1-S6, with its idiomatic calls:
//   S1/S2: asio::post of a lambda to io_context(1) (concurrency hint 1: posts from a handler go
//          to the thread-private queue) and to io_context() (default hint);
//   S3:    steady_timer (constructed before the clock starts), expires_after + async_wait,
//          cancel() for churn;
//   S4:    asio::post from another thread to an io_context(1) run by the loop thread;
//   S5:    two io_context(1), each run by its own thread, each handler posting to the other;
//   S6:    posix::stream_descriptor::async_read_some, re-armed in its handler, answered with
//          asio::write.
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "bench/scenarios/common.h"

namespace asio = boost::asio;

namespace bench {
namespace {

struct Counter {
  int64_t ran = 0;
  int64_t total = 0;
  int64_t last_ns = 0;

  bool CountOne() {
    if (++ran == total) {
      last_ns = NowNs();
      return true;
    }
    return false;
  }
};

// ---- S1, S2 ----

void S1Post(benchmark::State& state, std::optional<int> concurrency_hint) {
  const int64_t n = sizes().ops;
  auto io = concurrency_hint ? std::make_unique<asio::io_context>(*concurrency_hint)
                             : std::make_unique<asio::io_context>();
  Counter counter{.total = n};
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (int64_t i = 0; i < n; ++i) {
    asio::post(*io, [&counter] { counter.CountOne(); });
  }
  io->run();
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every handler ran");
}

struct Link {
  asio::io_context* io;
  Counter* counter;
  void operator()() const {
    if (!counter->CountOne()) {
      asio::post(*io, *this);
    }
  }
};

void S2Post(benchmark::State& state, std::optional<int> concurrency_hint) {
  const int64_t n = sizes().ops;
  auto io = concurrency_hint ? std::make_unique<asio::io_context>(*concurrency_hint)
                             : std::make_unique<asio::io_context>();
  Counter counter{.total = n};
  AllocWindow allocs;
  const int64_t start = NowNs();
  asio::post(*io, Link{io.get(), &counter});
  io->run();
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every handler ran");
}

// ---- S3 ----

// The timers refer to `io`, which must outlive them.
std::vector<asio::steady_timer> MakeTimers(asio::io_context& io, int64_t n) {
  std::vector<asio::steady_timer> timers;
  timers.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    timers.emplace_back(io);
  }
  return timers;
}

void S3Timers(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  asio::io_context io(1);
  Counter counter{.total = n};
  auto timers = MakeTimers(io, n);
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  for (size_t i = 0; i < timers.size(); ++i) {
    timers[i].expires_after(std::chrono::microseconds(timeouts[i]));
    timers[i].async_wait([&counter](const boost::system::error_code& error) {
      if (!error) {
        counter.CountOne();
      }
    });
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  // The absolute deadlines Asio computed (steady_clock is CLOCK_MONOTONIC in libstdc++).
  int64_t latest_ns = 0;
  for (const auto& timer : timers) {
    latest_ns = std::max<int64_t>(latest_ns, std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                 timer.expiry().time_since_epoch())
                                                 .count());
  }
  io.run();
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = latest_ns;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

void S3Churn(benchmark::State& state) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(TimerPattern::kChurn, n);
  const std::vector<int64_t> cancels = ChurnCancelOrder(n);
  asio::io_context io(1);
  Counter counter{.total = n};
  auto timers = MakeTimers(io, n);
  ChurnRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  for (size_t i = 0; i < timers.size(); ++i) {
    timers[i].expires_after(std::chrono::microseconds(timeouts[i]));
    timers[i].async_wait([&counter](const boost::system::error_code& error) {
      if (!error) {
        counter.CountOne();
      }
    });
  }
  run.arm_end_ns = NowNs();
  for (int64_t i : cancels) {
    timers[static_cast<size_t>(i)].cancel();
  }
  run.cancel_end_ns = NowNs();
  run.allocs = allocs.Count();
  ReportChurnRun(state, run, n, static_cast<int64_t>(cancels.size()));
}

// ---- S4 ----

void S4Post(benchmark::State& state) {
  const int64_t n = sizes().ops;
  asio::io_context io(1);
  auto guard = asio::make_work_guard(io);
  Counter counter{.total = n};
  ScopedPin pin(CpuOfSideA());
  std::atomic<bool> running{false};
  std::thread thread([&] {
    PinThisThread(CpuOfSideB(Placement::kTwoCpus));
    running.store(true, std::memory_order_release);  // pairs with the acquire load below
    io.run();
  });
  while (!running.load(std::memory_order_acquire)) {
    std::this_thread::yield();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (int64_t i = 0; i < n; ++i) {
    asio::post(io, [&counter, &io] {
      if (counter.CountOne()) {
        io.stop();
      }
    });
  }
  thread.join();
  ReportPerOp(state, counter.last_ns - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every handler ran");
}

// ---- S5, S6 ----

struct PostPingPong {
  asio::io_context io_a{1};
  asio::io_context io_b{1};
  int64_t remaining = 0;

  void PingA() {
    if (--remaining == 0) {
      io_a.stop();
      return;
    }
    asio::post(io_b, [this] { PingB(); });
  }
  void PingB() {
    asio::post(io_a, [this] { PingA(); });
  }
};

void S5Post(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  PostPingPong game;
  game.remaining = n;
  auto guard_a = asio::make_work_guard(game.io_a);
  auto guard_b = asio::make_work_guard(game.io_b);
  RunPingPong(
      state, placement, n, [&] { game.io_b.run(); },
      [&] {
        asio::post(game.io_b, [&game] { game.PingB(); });
        game.io_a.run();
      },
      [&] { game.io_b.stop(); });
  Check(state, game.remaining == 0, "the ping-pong did not finish");
}

// One end of S6: reads a byte, answers it, reads again; the initiator stops after `remaining`.
struct DescriptorSide {
  asio::io_context io{1};
  asio::posix::stream_descriptor descriptor{io};
  char byte = 0;
  int64_t remaining = -1;

  void Read() {
    descriptor.async_read_some(asio::buffer(&byte, 1),
                               [this](const boost::system::error_code& error, size_t) {
                                 if (error) {
                                   return;
                                 }
                                 if (remaining >= 0 && --remaining == 0) {
                                   return;  // no more work: io.run() returns
                                 }
                                 asio::write(descriptor, asio::buffer(&byte, 1));
                                 Read();
                               });
  }
};

void S6Descriptor(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  int fds[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
  DescriptorSide a;
  DescriptorSide b;
  a.descriptor.assign(fds[0]);
  b.descriptor.assign(fds[1]);
  a.remaining = n;
  a.Read();
  b.Read();
  RunPingPong(
      state, placement, n, [&] { b.io.run(); },
      [&] {
        char byte = 'x';
        asio::write(a.descriptor, asio::buffer(&byte, 1));
        a.io.run();
      },
      [&] { b.io.stop(); });
  Check(state, a.remaining == 0, "the ping-pong did not finish");
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("S1/asio/io_context_1", "io_context(1) post",
           [](benchmark::State& state) { S1Post(state, 1); });
  Register("S1/asio/io_context", "io_context() post",
           [](benchmark::State& state) { S1Post(state, std::nullopt); });
  Register("S2/asio/io_context_1", "io_context(1) post",
           [](benchmark::State& state) { S2Post(state, 1); });
  Register("S2/asio/io_context", "io_context() post",
           [](benchmark::State& state) { S2Post(state, std::nullopt); });
  Register("S3a/asio/steady_timer", "steady_timer",
           [](benchmark::State& state) { S3Timers(state, TimerPattern::kIncreasing); });
  Register("S3b/asio/steady_timer", "steady_timer",
           [](benchmark::State& state) { S3Timers(state, TimerPattern::kRandom); });
  Register("S3c/asio/steady_timer", "steady_timer async_wait + cancel", S3Churn);
  Register("S4/asio/post", "post from another thread (io_context(1))", S4Post);
  Register("S5/asio/post", "2 io_contexts, post",
           [](benchmark::State& state) { S5Post(state, Placement::kTwoCpus); });
  Register("S5same/asio/post", "2 io_contexts, post",
           [](benchmark::State& state) { S5Post(state, Placement::kSameCpu); });
  Register("S6/asio/stream_descriptor", "posix::stream_descriptor async_read_some",
           [](benchmark::State& state) { S6Descriptor(state, Placement::kTwoCpus); });
  Register("S6same/asio/stream_descriptor", "posix::stream_descriptor async_read_some",
           [](benchmark::State& state) { S6Descriptor(state, Placement::kSameCpu); });
  return true;
}();

}  // namespace
}  // namespace bench
