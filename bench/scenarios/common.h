// What every scenario benchmark shares: the sizes of a run, the clock, CPU pinning, allocation
// windows, the S3 deadline sets, and the counters each case reports.
//
// Each case is a Google Benchmark registered as "SCENARIO/SYSTEM/VARIANT" (for example
// "S1/libuv/idle"), with a label describing it, run for exactly one iteration: bench/driver.py
// runs every case in its own process, several times, and aggregates. A case times its own region
// with CLOCK_MONOTONIC and reports it through counters:
//   ns_per_op                     S1, S2, S4 (per callback), S5, S6 (per round trip), S7 (per call)
//   arm_ns, fire_late_ms, late_by_ms          S3a, S3b
//   arm_cancel_ns, arm_ns, cancel_ns          S3c
//   allocs_per_op                 heap allocations in the timed region (all threads) per operation
//   peak_rss_mb                   the process's peak resident set (VmHWM), setup included
#ifndef BENCH_SCENARIOS_COMMON_H_
#define BENCH_SCENARIOS_COMMON_H_

#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <sched.h>
#include <stdint.h>

#include "bench/scenarios/alloc_count.h"

namespace bench {

// The sizes of one run, set from the command line (--ops=, --timers=, --round_trips=, --calls=).
struct Sizes {
  int64_t ops = 1'000'000;       // S1, S2, S4: callbacks posted
  int64_t timers = 1'000'000;    // S3: timers armed
  int64_t round_trips = 10'000;  // S5, S6
  int64_t calls = 200'000;       // S7 (ten times as many clock reads)
};
const Sizes& sizes();

// CLOCK_MONOTONIC in nanoseconds: the clock of every timed region, and the time base of
// zx_clock_get_monotonic(), libuv's loop time and std::chrono::steady_clock.
int64_t NowNs();

// Where the two sides of a cross-thread scenario run: side A (producer or initiator) always on
// CPU 0, side B (the loop or the echo) on CPU 1, or on CPU 0 too.
enum class Placement { kTwoCpus, kSameCpu };
int CpuOfSideA();
int CpuOfSideB(Placement placement);

// Pins the calling thread to `cpu` while in scope, and restores its previous affinity after.
class ScopedPin {
 public:
  explicit ScopedPin(int cpu);
  ~ScopedPin();
  ScopedPin(const ScopedPin&) = delete;
  ScopedPin& operator=(const ScopedPin&) = delete;

 private:
  cpu_set_t saved_;
};

// Pins the calling thread to `cpu` for good (for threads made by the benchmark).
void PinThisThread(int cpu);

// Counts the allocations made (by any thread) since construction.
class AllocWindow {
 public:
  AllocWindow() : start_(bench_alloc_count()) {}
  uint64_t Count() const { return bench_alloc_count() - start_; }

 private:
  uint64_t start_;
};

// Reports ns_per_op, allocs_per_op and peak_rss_mb for `ops` operations that took `elapsed_ns`.
void ReportPerOp(benchmark::State& state, int64_t elapsed_ns, int64_t ops, uint64_t allocs);

// Reports peak_rss_mb only.
void ReportPeakRss(benchmark::State& state);

// Marks the run as failed unless `ok` (a wrong count means the timing is meaningless).
void Check(benchmark::State& state, bool ok, const char* what);

// ---- S3 timers ----

// The deadline sets of S3, identical for every system: relative timeouts in microseconds, made
// with fixed seeds. Increasing: 1 ms more every 1000 timers, from 1 ms. Random: uniform in
// [0, 1 s). Churn: uniform in [1 s, 10 s].
enum class TimerPattern { kIncreasing, kRandom, kChurn };
std::vector<int64_t> TimeoutsUs(TimerPattern pattern, int64_t count);
int64_t MaxOf(const std::vector<int64_t>& values);

// S3c: the indexes of the timers to cancel, 90 % of `count`, in the (random) order to cancel them.
std::vector<int64_t> ChurnCancelOrder(int64_t count);

// One run of S3a or S3b. Times are NowNs() values; `latest_deadline_ns` is the latest absolute
// deadline as the system itself computed it.
struct TimerRun {
  int64_t arm_start_ns = 0;
  int64_t arm_end_ns = 0;
  int64_t last_fire_ns = 0;
  int64_t latest_deadline_ns = 0;
  uint64_t arm_allocs = 0;
};
// Reports arm_ns (per timer), fire_late_ms ((last fire - arm start) - largest timeout),
// late_by_ms (last fire - latest deadline), allocs_per_op (per arm) and peak_rss_mb.
void ReportTimerRun(benchmark::State& state, const TimerRun& run, int64_t timers,
                    int64_t max_timeout_us);

// One run of S3c.
struct ChurnRun {
  int64_t arm_start_ns = 0;
  int64_t arm_end_ns = 0;
  int64_t cancel_end_ns = 0;
  uint64_t allocs = 0;
};
// Reports arm_cancel_ns (per armed timer), arm_ns (per timer), cancel_ns (per cancel),
// allocs_per_op (per armed timer) and peak_rss_mb.
void ReportChurnRun(benchmark::State& state, const ChurnRun& run, int64_t timers, int64_t cancels);

// ---- S5, S6 ping-pongs ----

// Runs one two-thread ping-pong and reports ns_per_op per round trip, allocs_per_op (all threads,
// per round trip) and peak_rss_mb. Side B's `serve` runs on a thread pinned to CpuOfSideB() and
// must keep answering until `stop_b` (called from the benchmark's thread after side A is done)
// makes it return. Once B runs, side A's `initiate` runs on a thread pinned to CpuOfSideA(): it
// sends the first message and returns when the last of `round_trips` answers arrived. Only
// `initiate` is timed.
void RunPingPong(benchmark::State& state, Placement placement, int64_t round_trips,
                 const std::function<void()>& serve, const std::function<void()>& initiate,
                 const std::function<void()>& stop_b);

// ---- Registration ----

// Registers case `name` ("S1/libuv/idle"), described by `label`, run for one iteration.
void Register(const std::string& name, const std::string& label,
              std::function<void(benchmark::State&)> body);

}  // namespace bench

#endif  // BENCH_SCENARIOS_COMMON_H_
