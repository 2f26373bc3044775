// The loop's task queue at scale, beside a plain binary heap doing the same work in the same run:
//   - post + dispatch: 1,000,000 tasks at random deadlines (all already due), posted, then run;
//   - post + cancel: 1,000,000 tasks at random future deadlines, posted, then all cancelled in
//     random order.
// The baseline is a binary min-heap of {deadline, sequence, node} entries with a back index in
// each node, which cancellation needs. Each benchmark reports `ns_per_task`.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/task.h>
#include <zircon/syscalls.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

constexpr size_t kTasks = 1'000'000;

std::vector<zx_time_t> RandomDeadlines(zx_time_t base, uint64_t span) {
  std::mt19937_64 random(7);
  std::vector<zx_time_t> deadlines(kTasks);
  for (zx_time_t& deadline : deadlines) {
    deadline = base + static_cast<zx_time_t>(random() % span);
  }
  return deadlines;
}

std::vector<size_t> RandomOrder() {
  std::vector<size_t> order(kTasks);
  for (size_t i = 0; i < kTasks; ++i) {
    order[i] = i;
  }
  std::shuffle(order.begin(), order.end(), std::mt19937_64(11));
  return order;
}

// Times `body` once per benchmark iteration and reports the mean cost per task.
template <typename Body>
void RunPerTask(benchmark::State& state, Body body) {
  double total_ns = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    body();
    total_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["ns_per_task"] = total_ns / static_cast<double>(state.iterations() * kTasks);
}

struct CountingTask {
  async_task_t task;
  uint64_t* ran;
};

void CountRun(async_dispatcher_t*, async_task_t* task, zx_status_t) {
  ++*reinterpret_cast<CountingTask*>(task)->ran;
}

void BM_LoopPostDispatchRandom(benchmark::State& state) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  std::vector<CountingTask> tasks(kTasks);
  const auto deadlines = RandomDeadlines(0, static_cast<uint64_t>(zx_clock_get_monotonic()));
  uint64_t ran = 0;
  RunPerTask(state, [&] {
    for (size_t i = 0; i < kTasks; ++i) {
      tasks[i] = CountingTask{{{ASYNC_STATE_INIT}, CountRun, deadlines[i]}, &ran};
      async_post_task(loop.dispatcher(), &tasks[i].task);
    }
    loop.RunUntilIdle();
  });
  if (ran != state.iterations() * kTasks) {
    state.SkipWithError("not every task ran");
  }
}
BENCHMARK(BM_LoopPostDispatchRandom)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_LoopPostCancelRandom(benchmark::State& state) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  std::vector<CountingTask> tasks(kTasks);
  const auto deadlines = RandomDeadlines(zx_clock_get_monotonic() + ZX_SEC(3600), ZX_SEC(10));
  const auto order = RandomOrder();
  uint64_t ran = 0;
  RunPerTask(state, [&] {
    for (size_t i = 0; i < kTasks; ++i) {
      tasks[i] = CountingTask{{{ASYNC_STATE_INIT}, CountRun, deadlines[i]}, &ran};
      async_post_task(loop.dispatcher(), &tasks[i].task);
    }
    for (size_t i : order) {
      async_cancel_task(loop.dispatcher(), &tasks[i].task);
    }
  });
}
BENCHMARK(BM_LoopPostCancelRandom)->Unit(benchmark::kMillisecond)->Iterations(3);

// The baseline: a binary min-heap with a back index in each node.
struct HeapNode {
  zx_time_t deadline;
  size_t index;
  uint64_t* ran;
};

class IndexedHeap {
 public:
  void Push(HeapNode* node) {
    heap_.push_back(Entry{node->deadline, sequence_++, node});
    SiftUp(heap_.size() - 1);
  }
  HeapNode* Pop() {
    if (heap_.empty()) {
      return nullptr;
    }
    HeapNode* node = heap_.front().node;
    RemoveAt(0);
    return node;
  }
  void Remove(HeapNode* node) { RemoveAt(node->index); }

 private:
  struct Entry {
    zx_time_t deadline;
    uint64_t sequence;
    HeapNode* node;
  };
  static bool Before(const Entry& a, const Entry& b) {
    return a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence;
  }
  void Set(size_t i, const Entry& e) {
    heap_[i] = e;
    e.node->index = i;
  }
  void SiftUp(size_t i) {
    const Entry e = heap_[i];
    while (i > 0 && Before(e, heap_[(i - 1) / 2])) {
      Set(i, heap_[(i - 1) / 2]);
      i = (i - 1) / 2;
    }
    Set(i, e);
  }
  void SiftDown(size_t i) {
    const Entry e = heap_[i];
    for (;;) {
      size_t c = 2 * i + 1;
      if (c >= heap_.size()) {
        break;
      }
      if (c + 1 < heap_.size() && Before(heap_[c + 1], heap_[c])) {
        ++c;
      }
      if (!Before(heap_[c], e)) {
        break;
      }
      Set(i, heap_[c]);
      i = c;
    }
    Set(i, e);
  }
  void RemoveAt(size_t i) {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (i < heap_.size()) {
      Set(i, last);
      if (i > 0 && Before(last, heap_[(i - 1) / 2])) {
        SiftUp(i);
      } else {
        SiftDown(i);
      }
    }
  }
  std::vector<Entry> heap_;
  uint64_t sequence_ = 0;
};

void BM_HeapPostDispatchRandom(benchmark::State& state) {
  std::vector<HeapNode> nodes(kTasks);
  const auto deadlines = RandomDeadlines(0, static_cast<uint64_t>(zx_clock_get_monotonic()));
  uint64_t ran = 0;
  RunPerTask(state, [&] {
    IndexedHeap heap;
    for (size_t i = 0; i < kTasks; ++i) {
      nodes[i] = HeapNode{deadlines[i], 0, &ran};
      heap.Push(&nodes[i]);
    }
    while (HeapNode* node = heap.Pop()) {
      ++*node->ran;
    }
  });
  benchmark::DoNotOptimize(ran);
}
BENCHMARK(BM_HeapPostDispatchRandom)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_HeapPostCancelRandom(benchmark::State& state) {
  std::vector<HeapNode> nodes(kTasks);
  const auto deadlines = RandomDeadlines(zx_clock_get_monotonic() + ZX_SEC(3600), ZX_SEC(10));
  const auto order = RandomOrder();
  uint64_t ran = 0;
  RunPerTask(state, [&] {
    IndexedHeap heap;
    for (size_t i = 0; i < kTasks; ++i) {
      nodes[i] = HeapNode{deadlines[i], 0, &ran};
      heap.Push(&nodes[i]);
    }
    for (size_t i : order) {
      heap.Remove(&nodes[i]);
    }
  });
  benchmark::DoNotOptimize(ran);
}
BENCHMARK(BM_HeapPostCancelRandom)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
