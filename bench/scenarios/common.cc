#include "bench/scenarios/common.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <utility>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

namespace bench {
namespace {

Sizes g_sizes;

// Fixed seeds: every system gets the same deadline sets, run after run.
constexpr uint64_t kRandomSeed = 0x5e3b'0001;
constexpr uint64_t kChurnSeed = 0x5e3c'0001;
constexpr uint64_t kCancelSeed = 0x5e3c'0002;

// Takes "--name=value" flags of ours out of argv, leaving Google Benchmark's.
void ParseSizes(int* argc, char** argv) {
  const std::pair<const char*, int64_t*> flags[] = {{"--ops=", &g_sizes.ops},
                                                    {"--timers=", &g_sizes.timers},
                                                    {"--round_trips=", &g_sizes.round_trips},
                                                    {"--calls=", &g_sizes.calls}};
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    bool ours = false;
    for (const auto& [prefix, value] : flags) {
      const size_t length = strlen(prefix);
      if (strncmp(argv[i], prefix, length) == 0) {
        *value = strtoll(argv[i] + length, nullptr, 10);
        ours = true;
      }
    }
    if (!ours) {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
}

}  // namespace

const Sizes& sizes() { return g_sizes; }

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int CpuOfSideA() { return 0; }

int CpuOfSideB(Placement placement) {
  if (placement == Placement::kSameCpu || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
    return 0;
  }
  return 1;
}

ScopedPin::ScopedPin(int cpu) {
  pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_);
  PinThisThread(cpu);
}

ScopedPin::~ScopedPin() { pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_); }

void PinThisThread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void ReportPeakRss(benchmark::State& state) {
  // VmHWM, the peak resident set of this process's memory, rather than getrusage()'s
  // ru_maxrss: Linux carries ru_maxrss across execve(), so it would report the launching
  // driver's size whenever that is larger.
  FILE* status = fopen("/proc/self/status", "r");
  if (status == nullptr) {
    return;
  }
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof(line), status) != nullptr) {
    if (sscanf(line, "VmHWM: %ld kB", &kib) == 1) {
      break;
    }
  }
  fclose(status);
  if (kib >= 0) {
    state.counters["peak_rss_mb"] = static_cast<double>(kib) / 1024.0;
  }
}

void ReportPerOp(benchmark::State& state, int64_t elapsed_ns, int64_t ops, uint64_t allocs) {
  state.counters["ns_per_op"] = static_cast<double>(elapsed_ns) / static_cast<double>(ops);
  state.counters["allocs_per_op"] = static_cast<double>(allocs) / static_cast<double>(ops);
  ReportPeakRss(state);
}

void Check(benchmark::State& state, bool ok, const char* what) {
  if (!ok) {
    state.SkipWithError(what);
  }
}

std::vector<int64_t> TimeoutsUs(TimerPattern pattern, int64_t count) {
  std::vector<int64_t> timeouts(static_cast<size_t>(count));
  std::mt19937_64 random(pattern == TimerPattern::kChurn ? kChurnSeed : kRandomSeed);
  for (int64_t i = 0; i < count; ++i) {
    int64_t& timeout = timeouts[static_cast<size_t>(i)];
    switch (pattern) {
      case TimerPattern::kIncreasing:
        timeout = (i / 1000 + 1) * 1000;
        break;
      case TimerPattern::kRandom:
        timeout = static_cast<int64_t>(random() % 1'000'000);
        break;
      case TimerPattern::kChurn:
        timeout = 1'000'000 + static_cast<int64_t>(random() % 9'000'001);
        break;
    }
  }
  return timeouts;
}

int64_t MaxOf(const std::vector<int64_t>& values) {
  return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

std::vector<int64_t> ChurnCancelOrder(int64_t count) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    order[static_cast<size_t>(i)] = i;
  }
  // Fisher-Yates with our own modulo, so that the order does not depend on the library's
  // distribution classes.
  std::mt19937_64 random(kCancelSeed);
  for (size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[random() % i]);
  }
  order.resize(static_cast<size_t>(count * 9 / 10));
  return order;
}

void ReportTimerRun(benchmark::State& state, const TimerRun& run, int64_t timers,
                    int64_t max_timeout_us) {
  const double n = static_cast<double>(timers);
  state.counters["arm_ns"] = static_cast<double>(run.arm_end_ns - run.arm_start_ns) / n;
  state.counters["fire_late_ms"] =
      static_cast<double>(run.last_fire_ns - run.arm_start_ns - max_timeout_us * 1000) / 1e6;
  state.counters["late_by_ms"] =
      static_cast<double>(run.last_fire_ns - run.latest_deadline_ns) / 1e6;
  state.counters["allocs_per_op"] = static_cast<double>(run.arm_allocs) / n;
  ReportPeakRss(state);
}

void ReportChurnRun(benchmark::State& state, const ChurnRun& run, int64_t timers, int64_t cancels) {
  const double n = static_cast<double>(timers);
  state.counters["arm_cancel_ns"] = static_cast<double>(run.cancel_end_ns - run.arm_start_ns) / n;
  state.counters["arm_ns"] = static_cast<double>(run.arm_end_ns - run.arm_start_ns) / n;
  state.counters["cancel_ns"] =
      static_cast<double>(run.cancel_end_ns - run.arm_end_ns) / static_cast<double>(cancels);
  state.counters["allocs_per_op"] = static_cast<double>(run.allocs) / n;
  ReportPeakRss(state);
}

void RunPingPong(benchmark::State& state, Placement placement, int64_t round_trips,
                 const std::function<void()>& serve, const std::function<void()>& initiate,
                 const std::function<void()>& stop_b) {
  std::atomic<bool> serving{false};
  std::thread side_b([&] {
    PinThisThread(CpuOfSideB(placement));
    serving.store(true, std::memory_order_release);  // pairs with the acquire load below
    serve();
  });
  while (!serving.load(std::memory_order_acquire)) {
    std::this_thread::yield();
  }
  // Let B fall asleep in its wait, as a server between requests would be.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  int64_t elapsed_ns = 0;
  uint64_t allocs = 0;
  std::thread side_a([&] {
    PinThisThread(CpuOfSideA());
    AllocWindow window;
    const int64_t start = NowNs();
    initiate();
    elapsed_ns = NowNs() - start;
    allocs = window.Count();
  });
  side_a.join();
  stop_b();
  side_b.join();
  ReportPerOp(state, elapsed_ns, round_trips, allocs);
}

void Register(const std::string& name, const std::string& label,
              std::function<void(benchmark::State&)> body) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [label, body = std::move(body)](benchmark::State& state) {
                                 state.SetLabel(label);
                                 for (auto _ : state) {
                                   body(state);
                                 }
                               })
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace bench

int main(int argc, char** argv) {
  bench::ParseSizes(&argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
