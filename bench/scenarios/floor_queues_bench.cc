// The floor of S1-S4: the plainest data structures that do the same work, with no loop around
// them. Their nodes are allocated before the clock starts, like the peers' handles.
//   S1/S2 fifo:        an intrusive singly linked FIFO of {fn, next} nodes, drained by a loop;
//   S1/S2 fifo_mutex:  the same with a std::mutex taken around every push and every pop;
//   S3 binary_heap:    std::priority_queue of {deadline, node}, waiting with clock_nanosleep()
//                      until the earliest deadline (churn: cancel sets a flag, paid at pop);
//   S3 indexed_heap:   a binary min-heap with a back index in each node, for O(log n) cancel;
//   S4 mutex_condvar:  a mutex-protected FIFO and a condition variable;
//   S4 mpsc_eventfd:   a lock-free multi-producer queue (an intrusive stack that the consumer
//                      takes whole and reverses), whose consumer sleeps in read(eventfd); a
//                      producer writes the eventfd only if it claims the consumer's "asleep"
//                      flag.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "bench/scenarios/common.h"

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

struct Fifo;

// A callback node: a function pointer and the link.
struct Node {
  void (*fn)(Node* node, Fifo* fifo);
  Node* next;
  Counter* counter;
};

struct Fifo {
  Node* head = nullptr;
  Node* tail = nullptr;

  void Push(Node* node) {
    node->next = nullptr;
    if (tail == nullptr) {
      head = node;
    } else {
      tail->next = node;
    }
    tail = node;
  }
  Node* Pop() {
    Node* node = head;
    if (node != nullptr) {
      head = node->next;
      if (head == nullptr) {
        tail = nullptr;
      }
    }
    return node;
  }
};

// The same FIFO with every push and pop under a mutex.
struct LockedFifo {
  std::mutex mutex;
  Fifo fifo;
  void Push(Node* node) {
    std::lock_guard<std::mutex> lock(mutex);
    fifo.Push(node);
  }
  Node* Pop() {
    std::lock_guard<std::mutex> lock(mutex);
    return fifo.Pop();
  }
};

void CountNode(Node* node, Fifo*) { node->counter->CountOne(); }

template <typename Queue>
void S1Fifo(benchmark::State& state) {
  const int64_t n = sizes().ops;
  Counter counter{.total = n};
  std::vector<Node> nodes(static_cast<size_t>(n), Node{CountNode, nullptr, &counter});
  Queue queue;
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (Node& node : nodes) {
    queue.Push(&node);
  }
  while (Node* node = queue.Pop()) {
    node->fn(node, nullptr);
  }
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

template <typename Queue>
void S2Fifo(benchmark::State& state) {
  const int64_t n = sizes().ops;
  Counter counter{.total = n};
  Queue queue;
  // The callback posts itself again until the count is reached.
  struct ChainNode : Node {
    Queue* queue;
  };
  ChainNode node{{[](Node* self, Fifo*) {
                    if (!self->counter->CountOne()) {
                      static_cast<ChainNode*>(self)->queue->Push(self);
                    }
                  },
                  nullptr, &counter},
                 &queue};
  AllocWindow allocs;
  const int64_t start = NowNs();
  queue.Push(&node);
  while (Node* next = queue.Pop()) {
    next->fn(next, nullptr);
  }
  ReportPerOp(state, NowNs() - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

// ---- S3 ----

struct TimerNode {
  int64_t deadline;
  size_t index;  // the indexed heap's back index
  bool canceled;
  Counter* counter;
};

// std::priority_queue of {deadline, node}, earliest first.
class BinaryHeap {
 public:
  void Push(TimerNode* node) { heap_.push(Entry{node->deadline, node}); }
  void Cancel(TimerNode* node) { node->canceled = true; }
  bool Empty() const { return heap_.empty(); }
  int64_t EarliestDeadline() const { return heap_.top().deadline; }
  TimerNode* Pop() {
    TimerNode* node = heap_.top().node;
    heap_.pop();
    return node;
  }

 private:
  struct Entry {
    int64_t deadline;
    TimerNode* node;
    bool operator>(const Entry& other) const { return deadline > other.deadline; }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
};

// A binary min-heap of {deadline, node} with each node's index kept in the node.
class IndexedHeap {
 public:
  void Push(TimerNode* node) {
    heap_.push_back(Entry{node->deadline, node});
    SiftUp(heap_.size() - 1);
  }
  void Cancel(TimerNode* node) { RemoveAt(node->index); }
  bool Empty() const { return heap_.empty(); }
  int64_t EarliestDeadline() const { return heap_.front().deadline; }
  TimerNode* Pop() {
    TimerNode* node = heap_.front().node;
    RemoveAt(0);
    return node;
  }

 private:
  struct Entry {
    int64_t deadline;
    TimerNode* node;
  };
  void Set(size_t i, const Entry& entry) {
    heap_[i] = entry;
    entry.node->index = i;
  }
  void SiftUp(size_t i) {
    const Entry entry = heap_[i];
    while (i > 0 && entry.deadline < heap_[(i - 1) / 2].deadline) {
      Set(i, heap_[(i - 1) / 2]);
      i = (i - 1) / 2;
    }
    Set(i, entry);
  }
  void SiftDown(size_t i) {
    const Entry entry = heap_[i];
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= heap_.size()) {
        break;
      }
      if (child + 1 < heap_.size() && heap_[child + 1].deadline < heap_[child].deadline) {
        ++child;
      }
      if (entry.deadline <= heap_[child].deadline) {
        break;
      }
      Set(i, heap_[child]);
      i = child;
    }
    Set(i, entry);
  }
  void RemoveAt(size_t i) {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (i < heap_.size()) {
      Set(i, last);
      if (i > 0 && last.deadline < heap_[(i - 1) / 2].deadline) {
        SiftUp(i);
      } else {
        SiftDown(i);
      }
    }
  }
  std::vector<Entry> heap_;
};

// Runs every due timer, sleeping until the earliest deadline in between.
template <typename Heap>
void Dispatch(Heap& heap) {
  while (!heap.Empty()) {
    const int64_t now = NowNs();
    if (heap.EarliestDeadline() > now) {
      const int64_t deadline = heap.EarliestDeadline();
      const timespec until{deadline / 1'000'000'000, deadline % 1'000'000'000};
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr);
      continue;
    }
    while (!heap.Empty() && heap.EarliestDeadline() <= now) {
      TimerNode* node = heap.Pop();
      if (!node->canceled) {
        node->counter->CountOne();
      }
    }
  }
}

template <typename Heap>
void S3Timers(benchmark::State& state, TimerPattern pattern) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(pattern, n);
  Counter counter{.total = n};
  std::vector<TimerNode> nodes(static_cast<size_t>(n), TimerNode{0, 0, false, &counter});
  Heap heap;
  TimerRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const int64_t now = run.arm_start_ns;
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].deadline = now + timeouts[i] * 1000;
    heap.Push(&nodes[i]);
  }
  run.arm_end_ns = NowNs();
  run.arm_allocs = allocs.Count();
  Dispatch(heap);
  run.last_fire_ns = counter.last_ns;
  run.latest_deadline_ns = now + MaxOf(timeouts) * 1000;
  ReportTimerRun(state, run, n, MaxOf(timeouts));
  Check(state, counter.ran == n, "not every timer fired");
}

template <typename Heap>
void S3Churn(benchmark::State& state) {
  const int64_t n = sizes().timers;
  const std::vector<int64_t> timeouts = TimeoutsUs(TimerPattern::kChurn, n);
  const std::vector<int64_t> cancels = ChurnCancelOrder(n);
  Counter counter{.total = n};
  std::vector<TimerNode> nodes(static_cast<size_t>(n), TimerNode{0, 0, false, &counter});
  Heap heap;
  ChurnRun run;
  AllocWindow allocs;
  run.arm_start_ns = NowNs();
  const int64_t now = run.arm_start_ns;
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].deadline = now + timeouts[i] * 1000;
    heap.Push(&nodes[i]);
  }
  run.arm_end_ns = NowNs();
  for (int64_t i : cancels) {
    heap.Cancel(&nodes[static_cast<size_t>(i)]);
  }
  run.cancel_end_ns = NowNs();
  run.allocs = allocs.Count();
  ReportChurnRun(state, run, n, static_cast<int64_t>(cancels.size()));
}

// ---- S4 ----

struct CrossNode {
  std::atomic<CrossNode*> next{nullptr};
  Counter* counter = nullptr;
};

// A mutex-protected FIFO whose consumer waits on a condition variable.
class CondvarQueue {
 public:
  void Push(CrossNode* node) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      fifo_.push_back(node);
    }
    ready_.notify_one();
  }
  // Blocks until the queue is not empty, then takes all of it.
  void TakeAll(std::vector<CrossNode*>* out) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return !fifo_.empty(); });
    out->swap(fifo_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<CrossNode*> fifo_;
};

// The lock-free queue with wake-on-sleep: producers push on an intrusive stack with a CAS; the
// consumer takes the whole stack with an exchange and reverses it into posting order.
class MpscEventfdQueue {
 public:
  MpscEventfdQueue() : eventfd_(eventfd(0, 0)) {}
  ~MpscEventfdQueue() { close(eventfd_); }

  void Push(CrossNode* node) {
    CrossNode* head = head_.load(std::memory_order_relaxed);
    do {
      node->next.store(head, std::memory_order_relaxed);
      // seq_cst: this push and the load of `asleep_` below must not be reordered, against the
      // consumer's store of `asleep_` and its load of `head_` (the two halves of the handshake).
    } while (!head_.compare_exchange_weak(head, node, std::memory_order_seq_cst));
    if (asleep_.load(std::memory_order_seq_cst) && asleep_.exchange(false)) {
      const uint64_t one = 1;
      benchmark::DoNotOptimize(write(eventfd_, &one, sizeof(one)));
      ++wakes_;
    }
  }

  // Blocks until the queue is not empty, then takes all of it, oldest first.
  CrossNode* TakeAll() {
    for (;;) {
      CrossNode* stack = head_.exchange(nullptr, std::memory_order_acquire);
      if (stack != nullptr) {
        return Reverse(stack);
      }
      asleep_.store(true, std::memory_order_seq_cst);
      if (head_.load(std::memory_order_seq_cst) != nullptr) {
        if (asleep_.exchange(false)) {
          continue;  // nobody claimed the flag: no write is coming
        }
      }
      uint64_t count;
      benchmark::DoNotOptimize(read(eventfd_, &count, sizeof(count)));  // the claimer's write
    }
  }

  int64_t wakes() const { return wakes_; }

 private:
  static CrossNode* Reverse(CrossNode* stack) {
    CrossNode* reversed = nullptr;
    while (stack != nullptr) {
      CrossNode* next = stack->next.load(std::memory_order_relaxed);
      stack->next.store(reversed, std::memory_order_relaxed);
      reversed = stack;
      stack = next;
    }
    return reversed;
  }

  std::atomic<CrossNode*> head_{nullptr};
  std::atomic<bool> asleep_{false};
  int eventfd_;
  int64_t wakes_ = 0;  // producer side only
};

template <typename Consume>
void RunCrossThread(benchmark::State& state, std::vector<CrossNode>& nodes, Counter& counter,
                    Consume consume, const std::function<void(CrossNode*)>& push) {
  const int64_t n = static_cast<int64_t>(nodes.size());
  ScopedPin pin(CpuOfSideA());
  std::atomic<bool> running{false};
  std::thread thread([&] {
    PinThisThread(CpuOfSideB(Placement::kTwoCpus));
    running.store(true, std::memory_order_release);  // pairs with the acquire load below
    consume();
  });
  while (!running.load(std::memory_order_acquire)) {
    std::this_thread::yield();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (CrossNode& node : nodes) {
    push(&node);
  }
  thread.join();
  ReportPerOp(state, counter.last_ns - start, n, allocs.Count());
  Check(state, counter.ran == n, "not every callback ran");
}

void S4Condvar(benchmark::State& state) {
  const int64_t n = sizes().ops;
  Counter counter{.total = n};
  std::vector<CrossNode> nodes(static_cast<size_t>(n));
  for (CrossNode& node : nodes) {
    node.counter = &counter;
  }
  CondvarQueue queue;
  auto consume = [&] {
    std::vector<CrossNode*> batch;
    for (;;) {
      batch.clear();
      queue.TakeAll(&batch);
      for (CrossNode* node : batch) {
        if (node->counter->CountOne()) {
          return;
        }
      }
    }
  };
  RunCrossThread(state, nodes, counter, consume, [&](CrossNode* node) { queue.Push(node); });
}

void S4Mpsc(benchmark::State& state) {
  const int64_t n = sizes().ops;
  Counter counter{.total = n};
  std::vector<CrossNode> nodes(static_cast<size_t>(n));
  for (CrossNode& node : nodes) {
    node.counter = &counter;
  }
  MpscEventfdQueue queue;
  auto consume = [&] {
    for (;;) {
      for (CrossNode* node = queue.TakeAll(); node != nullptr;) {
        CrossNode* next = node->next.load(std::memory_order_relaxed);
        if (node->counter->CountOne()) {
          return;
        }
        node = next;
      }
    }
  };
  RunCrossThread(state, nodes, counter, consume, [&](CrossNode* node) { queue.Push(node); });
  state.counters["eventfd_writes"] = static_cast<double>(queue.wakes());
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("S1/floor/fifo", "raw FIFO (no lock)", S1Fifo<Fifo>);
  Register("S1/floor/fifo_mutex", "raw FIFO + std::mutex", S1Fifo<LockedFifo>);
  Register("S2/floor/fifo", "raw FIFO (no lock)", S2Fifo<Fifo>);
  Register("S2/floor/fifo_mutex", "raw FIFO + std::mutex", S2Fifo<LockedFifo>);
  for (const char* scenario : {"S3a", "S3b"}) {
    const TimerPattern pattern =
        std::string(scenario) == "S3a" ? TimerPattern::kIncreasing : TimerPattern::kRandom;
    Register(std::string(scenario) + "/floor/binary_heap", "std::priority_queue",
             [pattern](benchmark::State& state) { S3Timers<BinaryHeap>(state, pattern); });
    Register(std::string(scenario) + "/floor/indexed_heap", "indexed binary heap",
             [pattern](benchmark::State& state) { S3Timers<IndexedHeap>(state, pattern); });
  }
  Register("S3c/floor/binary_heap", "std::priority_queue (lazy cancel flag)", S3Churn<BinaryHeap>);
  Register("S3c/floor/indexed_heap", "indexed binary heap", S3Churn<IndexedHeap>);
  Register("S4/floor/mutex_condvar", "mutex+condvar queue", S4Condvar);
  Register("S4/floor/mpsc_eventfd", "lock-free MPSC + eventfd (wake only if asleep)", S4Mpsc);
  return true;
}();

}  // namespace
}  // namespace bench
