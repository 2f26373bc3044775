// Races: posting, cancelling, signalling, queueing, quitting and restarting while four loop
// threads dispatch, then shutdown; and large task queues. Every successful post or begin must
// end exactly once: ran, cancelled by its owner, or cancelled by shutdown.
//
// Meant for the tsan preset. PORTLOOP_STRESS_SCALE multiplies the iteration counts.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::ConcurrencyProbe;
using async_loop_test::FarFuture;
using async_loop_test::kGenerousTimeout;
using async_loop_test::MakeEvent;
using async_loop_test::Payload;
using async_loop_test::StressScale;

constexpr int kLoopThreads = 4;
constexpr int kTaskWorkers = 2;
// Operations per worker thread at scale 1: about a second under TSan on two cores.
constexpr int kTaskOpsPerWorker = 20000;
constexpr int kWaitOps = 15000;
constexpr int kPackets = 20000;
// Handler calls between two quit / join / reset_quit / restart cycles.
constexpr int64_t kTicksPerQuitCycle = 1000;
constexpr size_t kOpsPerPool = 32;
constexpr size_t kReceivers = 8;
// Receiver packets allowed in flight: well under the port's 2048, so waits always fit.
constexpr int64_t kMaxPacketsInFlight = 256;

// The life of one post or begin. Only the owner moves an operation out of kIdle or a final
// state; only the loop's handler or the owner's successful cancel moves it out of kPending.
enum OpState : int { kIdle, kPending, kRan, kCancelled, kCancelledByShutdown };

// Totals over all operations. Thread-safe; the counters are relaxed because they are read only
// after every thread that writes them was joined.
struct Ledger {
  std::atomic<int64_t> started{0};
  std::atomic<int64_t> ran{0};
  std::atomic<int64_t> cancelled{0};
  std::atomic<int64_t> cancelled_by_shutdown{0};
  std::atomic<int64_t> violations{0};

  static void Count(std::atomic<int64_t>& counter) {
    counter.fetch_add(1, std::memory_order_relaxed);
  }
  static int64_t Get(const std::atomic<int64_t>& counter) {
    return counter.load(std::memory_order_relaxed);
  }
};

// Counts handler calls, so that threads can wait for the loop to make progress without
// sleeping. Thread-safe.
class Progress {
 public:
  void Tick() {
    std::lock_guard<std::mutex> lock(mutex_);
    ticks_++;
    condition_.notify_all();
  }
  void Stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    condition_.notify_all();
  }
  // Waits for `count` more ticks. Returns false once Stop() was called, or on timeout.
  bool WaitForMore(int64_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    const int64_t target = ticks_ + count;
    return WaitLocked(lock, [&] { return ticks_ >= target; });
  }
  // Waits until `done()` holds, checking it again after every tick: handlers change what it
  // reads before they tick. Returns false once Stop() was called, or on timeout.
  template <typename Predicate>
  bool WaitUntil(Predicate done) {
    std::unique_lock<std::mutex> lock(mutex_);
    return WaitLocked(lock, done);
  }

 private:
  std::mutex mutex_;
  std::condition_variable condition_;
  template <typename Predicate>
  bool WaitLocked(std::unique_lock<std::mutex>& lock, Predicate done) {
    condition_.wait_for(lock, kGenerousTimeout, [&] { return stopped_ || done(); });
    return !stopped_ && done();
  }

  int64_t ticks_ = 0;
  bool stopped_ = false;
};

// Moves `state` from kPending to the outcome of a handler call with `status`, or counts a
// violation: a second delivery, a delivery after a successful cancel, or an unexpected status.
void Settle(std::atomic<int>& state, zx_status_t status, Ledger* ledger) {
  const int outcome = status == ZX_OK             ? kRan
                      : status == ZX_ERR_CANCELED ? kCancelledByShutdown
                                                  : -1;
  int expected = kPending;
  // acq_rel: pairs with the owner's acquire load, after which it may re-arm the operation.
  if (outcome < 0 || !state.compare_exchange_strong(expected, outcome, std::memory_order_acq_rel)) {
    Ledger::Count(ledger->violations);
    return;
  }
  Ledger::Count(outcome == kRan ? ledger->ran : ledger->cancelled_by_shutdown);
}

// After a cancel returned ZX_OK the handler must not have run and must never run.
void SettleCancelled(std::atomic<int>& state, Ledger* ledger) {
  int expected = kPending;
  if (!state.compare_exchange_strong(expected, kCancelled, std::memory_order_acq_rel)) {
    Ledger::Count(ledger->violations);
    return;
  }
  Ledger::Count(ledger->cancelled);
}

struct TaskOp : async_task_t {
  TaskOp(Ledger* op_ledger, Progress* op_progress, ConcurrencyProbe* op_probe)
      : async_task_t{}, ledger(op_ledger), progress(op_progress), probe(op_probe) {
    handler = &TaskOp::Handle;
  }
  Ledger* const ledger;
  Progress* const progress;
  ConcurrencyProbe* const probe;  // task handlers must never overlap
  std::atomic<int> state{kIdle};

  static void Handle(async_dispatcher_t*, async_task_t* task, zx_status_t status) {
    auto* op = static_cast<TaskOp*>(task);
    Progress* progress = op->progress;  // once settled, the owner may re-post `op`
    ConcurrencyProbe* probe = op->probe;
    probe->Enter();
    Settle(op->state, status, op->ledger);
    probe->Leave();
    progress->Tick();
  }
};

struct WaitOp : async_wait_t {
  WaitOp(Ledger* op_ledger, Progress* op_progress)
      : async_wait_t{}, ledger(op_ledger), progress(op_progress), event(MakeEvent()) {
    handler = &WaitOp::Handle;
    object = event.get();
    trigger = ZX_USER_SIGNAL_0;
  }
  Ledger* const ledger;
  Progress* const progress;
  const zx::event event;  // only the owner signals it
  std::atomic<int> state{kIdle};

  static void Handle(async_dispatcher_t*, async_wait_t* wait, zx_status_t status,
                     const zx_packet_signal_t* signal) {
    auto* op = static_cast<WaitOp*>(wait);
    Progress* progress = op->progress;
    if ((status == ZX_OK) != (signal != nullptr)) {
      Ledger::Count(op->ledger->violations);
    }
    Settle(op->state, status, op->ledger);
    progress->Tick();
  }
};

struct ReceiverOp : async_receiver_t {
  ReceiverOp(uint64_t receiver_id, Ledger* op_ledger, Progress* op_progress)
      : async_receiver_t{}, id(receiver_id), ledger(op_ledger), progress(op_progress) {
    handler = &ReceiverOp::Handle;
  }
  const uint64_t id;
  Ledger* const ledger;
  Progress* const progress;
  std::atomic<int64_t> received{0};

  static void Handle(async_dispatcher_t*, async_receiver_t* receiver, zx_status_t status,
                     const zx_packet_user_t* data) {
    auto* op = static_cast<ReceiverOp*>(receiver);
    if (status != ZX_OK || data == nullptr || data->u64[0] != op->id) {
      Ledger::Count(op->ledger->violations);
    }
    op->received.fetch_add(1, std::memory_order_relaxed);  // summed by the sender as a bound only
    op->progress->Tick();
  }
};

// Everything the mixed stress test shares between its threads. Created before the loop, so it
// outlives the loop's shutdown.
struct Harness {
  explicit Harness(int harness_scale) : scale(harness_scale) {
    for (int pool = 0; pool < kTaskWorkers; pool++) {
      task_pools.emplace_back();
      for (size_t i = 0; i < kOpsPerPool; i++) {
        task_pools.back().push_back(std::make_unique<TaskOp>(&ledger, &progress, &task_probe));
      }
    }
    for (size_t i = 0; i < kOpsPerPool; i++) {
      waits.push_back(std::make_unique<WaitOp>(&ledger, &progress));
    }
    for (size_t i = 0; i < kReceivers; i++) {
      receivers.push_back(std::make_unique<ReceiverOp>(i + 1, &ledger, &progress));
    }
  }

  int64_t PacketsReceived() const {
    int64_t total = 0;
    for (const auto& receiver : receivers) {
      total += receiver->received.load(std::memory_order_relaxed);
    }
    return total;
  }

  const int scale;
  Ledger ledger;
  Progress progress;
  ConcurrencyProbe task_probe;
  std::vector<std::vector<std::unique_ptr<TaskOp>>> task_pools;  // one per task worker
  std::vector<std::unique_ptr<WaitOp>> waits;
  std::vector<std::unique_ptr<ReceiverOp>> receivers;
  std::atomic<int64_t> packets_queued{0};  // written by the packet worker only
  std::atomic<int64_t> quit_cycles{0};     // written by the quitter only
};

// Cancels `op`, which its owner saw pending; its handler may be running or have run already.
template <typename Op, typename CancelFn>
void CancelPending(Op* op, Ledger* ledger, CancelFn cancel) {
  const zx_status_t status = cancel();
  if (status == ZX_OK) {
    SettleCancelled(op->state, ledger);
  } else if (status != ZX_ERR_NOT_FOUND) {  // NOT_FOUND: its handler runs or ran
    Ledger::Count(ledger->violations);
  }
}

bool IsPending(const std::atomic<int>& state) {
  // acquire: pairs with Settle's acq_rel, so a settled op can be re-armed by its owner.
  return state.load(std::memory_order_acquire) == kPending;
}

// Posts and cancels tasks: long due, due now, due soon, or far away (those end by cancel or
// shutdown).
void RunTaskWorker(async_dispatcher_t* dispatcher, Harness* harness, int pool, uint32_t seed) {
  std::mt19937 random(seed);
  auto& ops = harness->task_pools[pool];
  for (int i = 0; i < kTaskOpsPerWorker * harness->scale; i++) {
    TaskOp* op = ops[random() % ops.size()].get();
    if (IsPending(op->state)) {
      if (random() % 4 == 0) {
        CancelPending(op, &harness->ledger, [&] { return async_cancel_task(dispatcher, op); });
      } else {
        std::this_thread::yield();  // let the loop threads run it
      }
      continue;
    }
    const uint32_t kind = random() % 10;
    const zx_time_t now = async_now(dispatcher);
    // A long-past deadline makes the task the earliest, which re-arms the loop's timer.
    op->deadline = kind < 2   ? 1
                   : kind < 6 ? now
                   : kind < 9 ? now + ZX_USEC(random() % 500)
                              : FarFuture();
    op->state.store(kPending, std::memory_order_release);  // before its handler can run
    if (async_post_task(dispatcher, op) != ZX_OK) {
      Ledger::Count(harness->ledger.violations);
      op->state.store(kIdle, std::memory_order_relaxed);
      continue;
    }
    Ledger::Count(harness->ledger.started);
  }
}

// Begins waits, then either signals their events or cancels them.
void RunWaitWorker(async_dispatcher_t* dispatcher, Harness* harness, uint32_t seed) {
  std::mt19937 random(seed);
  for (int i = 0; i < kWaitOps * harness->scale; i++) {
    WaitOp* op = harness->waits[random() % harness->waits.size()].get();
    if (IsPending(op->state)) {
      const uint32_t action = random() % 4;
      if (action < 2) {
        if (op->event.signal(0u, ZX_USER_SIGNAL_0) != ZX_OK) {
          Ledger::Count(harness->ledger.violations);
        }
      } else if (action == 2) {
        CancelPending(op, &harness->ledger, [&] { return async_cancel_wait(dispatcher, op); });
      } else {
        std::this_thread::yield();
      }
      continue;
    }
    if (op->event.signal(ZX_USER_SIGNAL_0, 0u) != ZX_OK) {
      Ledger::Count(harness->ledger.violations);
    }
    op->state.store(kPending, std::memory_order_release);
    if (async_begin_wait(dispatcher, op) != ZX_OK) {
      Ledger::Count(harness->ledger.violations);
      op->state.store(kIdle, std::memory_order_relaxed);
      continue;
    }
    Ledger::Count(harness->ledger.started);
  }
}

// Queues packets to the receivers, keeping at most kMaxPacketsInFlight undelivered.
void RunPacketWorker(async_dispatcher_t* dispatcher, Harness* harness, uint32_t seed) {
  std::mt19937 random(seed);
  for (int i = 0; i < kPackets * harness->scale; i++) {
    auto has_room = [harness] {
      return harness->packets_queued.load(std::memory_order_relaxed) - harness->PacketsReceived() <=
             kMaxPacketsInFlight;
    };
    if (!has_room() && !harness->progress.WaitUntil(has_room)) {
      Ledger::Count(harness->ledger.violations);  // the loop stopped delivering packets
      return;
    }
    ReceiverOp* receiver = harness->receivers[random() % harness->receivers.size()].get();
    const zx_packet_user_t data = Payload(receiver->id, static_cast<uint64_t>(i));
    const zx_status_t status = async_queue_packet(dispatcher, receiver, &data);
    if (status == ZX_OK) {
      harness->packets_queued.fetch_add(1, std::memory_order_relaxed);
    } else if (status != ZX_ERR_SHOULD_WAIT) {
      Ledger::Count(harness->ledger.violations);
    }
  }
}

void StartLoopThreads(async::Loop* loop, Ledger* ledger) {
  for (int i = 0; i < kLoopThreads; i++) {
    if (loop->StartThread("stress-loop") != ZX_OK) {
      Ledger::Count(ledger->violations);
    }
  }
}

// Quits the loop, joins its threads, resets and restarts them, whenever the loop has made some
// progress, until the workers are done.
void RunQuitter(async::Loop* loop, Harness* harness) {
  while (harness->progress.WaitForMore(kTicksPerQuitCycle)) {
    loop->Quit();
    loop->JoinThreads();
    if (loop->ResetQuit() != ZX_OK) {
      Ledger::Count(harness->ledger.violations);
    }
    StartLoopThreads(loop, &harness->ledger);
    harness->quit_cycles.fetch_add(1, std::memory_order_relaxed);
  }
}

// Every op that was pending when the test ended has been settled by shutdown.
int64_t CountStillPending(const Harness& harness) {
  int64_t pending = 0;
  for (const auto& pool : harness.task_pools) {
    for (const auto& op : pool) {
      pending += op->state.load(std::memory_order_acquire) == kPending ? 1 : 0;
    }
  }
  for (const auto& op : harness.waits) {
    pending += op->state.load(std::memory_order_acquire) == kPending ? 1 : 0;
  }
  return pending;
}

// Runs the workers and the quitter against `loop` until the workers are done.
void RunWorkers(async::Loop* loop, Harness* harness) {
  async_dispatcher_t* dispatcher = loop->dispatcher();
  std::vector<std::thread> workers;
  for (int pool = 0; pool < kTaskWorkers; pool++) {
    workers.emplace_back(RunTaskWorker, dispatcher, harness, pool, 1000u + pool);
  }
  workers.emplace_back(RunWaitWorker, dispatcher, harness, 2000u);
  workers.emplace_back(RunPacketWorker, dispatcher, harness, 3000u);
  std::thread quitter(RunQuitter, loop, harness);
  for (std::thread& worker : workers) {
    worker.join();
  }
  harness->progress.Stop();
  quitter.join();
}

void PrintSummary(const Harness& harness) {
  const Ledger& ledger = harness.ledger;
  std::printf(
      "started %lld: ran %lld, cancelled %lld, cancelled by shutdown %lld; packets %lld; "
      "quit cycles %lld\n",
      static_cast<long long>(Ledger::Get(ledger.started)),
      static_cast<long long>(Ledger::Get(ledger.ran)),
      static_cast<long long>(Ledger::Get(ledger.cancelled)),
      static_cast<long long>(Ledger::Get(ledger.cancelled_by_shutdown)),
      static_cast<long long>(harness.packets_queued.load(std::memory_order_relaxed)),
      static_cast<long long>(harness.quit_cycles.load(std::memory_order_relaxed)));
}

TEST(LoopStressTest, EveryPostAndBeginEndsExactlyOnce) {
  Harness harness(StressScale());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  StartLoopThreads(&loop, &harness.ledger);
  RunWorkers(&loop, &harness);

  // Drain on this thread what is already queued: every queued packet must arrive.
  loop.Quit();
  loop.JoinThreads();
  ASSERT_EQ(loop.ResetQuit(), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(harness.PacketsReceived(), harness.packets_queued.load(std::memory_order_relaxed));

  loop.Shutdown();
  PrintSummary(harness);
  const Ledger& ledger = harness.ledger;
  EXPECT_EQ(Ledger::Get(ledger.violations), 0);
  EXPECT_EQ(CountStillPending(harness), 0);
  EXPECT_EQ(Ledger::Get(ledger.started), Ledger::Get(ledger.ran) + Ledger::Get(ledger.cancelled) +
                                             Ledger::Get(ledger.cancelled_by_shutdown));
  EXPECT_GT(Ledger::Get(ledger.ran), 0);
  EXPECT_EQ(harness.task_probe.max(), 1);
  // Shutdown never notifies receivers.
  EXPECT_EQ(harness.PacketsReceived(), harness.packets_queued.load(std::memory_order_relaxed));
}

// A task that appends its index to a shared list (single-threaded tests only).
struct IndexedTask : async_task_t {
  IndexedTask() : async_task_t{} { handler = &IndexedTask::Handle; }
  int index = 0;
  zx_status_t expected_status = ZX_OK;
  std::vector<int>* order = nullptr;

  static void Handle(async_dispatcher_t*, async_task_t* task, zx_status_t status) {
    auto* self = static_cast<IndexedTask*>(task);
    EXPECT_EQ(status, self->expected_status);
    self->order->push_back(self->index);
  }
};

// True if `order` lists tasks by deadline, and tasks with equal deadlines by index (posting
// order), with no index twice.
bool InDeadlineThenPostingOrder(const std::vector<int>& order, const IndexedTask* tasks) {
  for (size_t i = 1; i < order.size(); i++) {
    const IndexedTask& a = tasks[order[i - 1]];
    const IndexedTask& b = tasks[order[i]];
    if (a.deadline > b.deadline || (a.deadline == b.deadline && a.index >= b.index)) {
      return false;
    }
  }
  return true;
}

TEST(LoopStressTest, ManyPendingTasksCancelledInRandomOrderNeverRun) {
  const int count = 100000 * StressScale();
  std::mt19937 random(4000u);
  std::vector<int> order;
  std::unique_ptr<IndexedTask[]> tasks(new IndexedTask[count]);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  const zx_time_t base = FarFuture();
  for (int i = 0; i < count; i++) {
    tasks[i].index = i;
    tasks[i].expected_status = ZX_ERR_CANCELED;
    tasks[i].order = &order;
    tasks[i].deadline = base + ZX_MSEC(random() % 10000);  // many equal deadlines
    ASSERT_EQ(async_post_task(loop.dispatcher(), &tasks[i]), ZX_OK);
  }

  std::vector<int> shuffled(count);
  std::iota(shuffled.begin(), shuffled.end(), 0);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  const int cancelled = count - count / 10;  // a random tenth stays for shutdown
  int failures = 0;
  for (int k = 0; k < cancelled; k++) {
    failures += async_cancel_task(loop.dispatcher(), &tasks[shuffled[k]]) == ZX_OK ? 0 : 1;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(async_cancel_task(loop.dispatcher(), &tasks[shuffled[0]]), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_TRUE(order.empty());

  loop.Shutdown();
  ASSERT_EQ(order.size(), static_cast<size_t>(count - cancelled));
  EXPECT_TRUE(InDeadlineThenPostingOrder(order, tasks.get()));
  std::vector<int> survivors(shuffled.begin() + cancelled, shuffled.end());
  std::sort(survivors.begin(), survivors.end());
  std::sort(order.begin(), order.end());
  EXPECT_EQ(order, survivors);
}

TEST(LoopStressTest, ManyDueTasksRunInDeadlineThenPostingOrder) {
  const int count = 20000 * StressScale();
  std::mt19937 random(5000u);
  std::vector<int> order;
  std::unique_ptr<IndexedTask[]> tasks(new IndexedTask[count]);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < count; i++) {
    tasks[i].index = i;
    tasks[i].order = &order;
    tasks[i].deadline = 1 + random() % 1000;  // long past, so all due; many equal
    ASSERT_EQ(async_post_task(loop.dispatcher(), &tasks[i]), ZX_OK);
  }

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(order.size(), static_cast<size_t>(count));
  EXPECT_TRUE(InDeadlineThenPostingOrder(order, tasks.get()));
}

}  // namespace
