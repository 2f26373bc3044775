// A concurrency storm on async::Loop, with an account of every operation.
//
// Four client threads post and cancel tasks, begin, signal and cancel waits, queue packets and
// quit the loop, while three loop threads dispatch. The test's own thread conducts, in rounds of
// about a second, each on a new loop:
//   1. Storm: the clients run freely. Whenever the loop has made some progress (or a client quit
//      it), the conductor pauses it: quit, join the loop threads, reset-quit (legal now: no thread
//      runs the loop), run a few units on its own thread, reset again, restart the threads.
//   2. Closing: the clients stop queueing packets and quitting; the conductor stops the threads,
//      runs the loop itself until every queued packet has been delivered, and restarts them.
//   3. Shutdown: the clients stop starting work, and the conductor shuts the loop down while
//      they keep signalling and cancelling and the loop threads are busy.
// Then the clients stop and every operation is checked. (A variant lets the clients go on posting
// and beginning during the shutdown; it is disabled, see below.)
//
// Each post, begin and queue that returned ZX_OK is an operation with an id, and each id has
// atomic counters: "handler ran with ZX_OK", "handler ran with ZX_ERR_CANCELED", "cancel
// returned ZX_OK". A task or wait must end with exactly one of them at 1 (a loss if none, a
// duplicate if more); a packet must be delivered exactly once (shutdown drops packets by
// contract, so none are queued after the closing phase begins). Unexpected statuses, task
// handlers that overlap, ZX_ERR_CANCELED before shutdown and a loop that stops making progress
// count as violations. All three counts must be zero.
//
// PORTLOOP_STORM_SECONDS sets how long to storm (default 3; fractions allowed); scripts/soak runs
// it for an hour in the release build. The summary line gives operations per second.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>
#include <zircon/assert.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::kGenerousTimeout;
using Clock = std::chrono::steady_clock;

constexpr int kClientThreads = 4;
constexpr int kLoopThreads = 3;
constexpr int kTaskSlots = 48;               // per client
constexpr int kWaitSlots = 24;               // per client
constexpr int64_t kMaxPacketsInFlight = 64;  // per client: well under the port's 2048
// Ids per round, shared out between the clients. Once a client has used half of its share, the
// storm phase ends early, so the later phases have ids to go on with.
constexpr uint32_t kIdsPerRound = 1u << 21;
constexpr auto kRoundLength = std::chrono::milliseconds(1000);
// Handler calls between two pauses, and before the shutdown of a round.
constexpr int64_t kCallsPerPause = 500;
// Units the conductor runs on its own thread during a pause.
constexpr int kConductorUnits = 64;

enum Phase : int { kStorm, kClosing, kShutdown, kStop, kPhaseCount };
enum class Kind : uint8_t { kNone, kTask, kWait, kPacket };

// The counters of one operation. Handlers and cancellers increment them (acq_rel, pairing with
// the owner's acquire loads in Finished(), after which the owner reuses the operation's struct).
struct Record {
  std::atomic<uint32_t> ran_ok{0};
  std::atomic<uint32_t> ran_canceled{0};
  std::atomic<uint32_t> cancel_ok{0};
  Kind kind = Kind::kNone;  // written by the owner after ZX_OK; read after every thread is joined

  uint32_t Outcomes() const {
    return ran_ok.load(std::memory_order_acquire) + ran_canceled.load(std::memory_order_acquire) +
           cancel_ok.load(std::memory_order_acquire);
  }
};

// Handler calls, so that the conductor can wait for the loop to make progress without sleeping.
// Thread-safe.
class Progress {
 public:
  void Count() {
    // relaxed: only a progress measure; the condition variable orders what the waiter reads.
    if ((calls_.fetch_add(1, std::memory_order_relaxed) + 1) % 64 == 0) {
      Poke();
    }
  }
  void Poke() {
    std::lock_guard<std::mutex> lock(mutex_);
    condition_.notify_all();
  }
  int64_t calls() const { return calls_.load(std::memory_order_relaxed); }

  // Waits until `done()` holds, re-checking it whenever handlers progress or Poke() is called.
  // Returns false on timeout.
  template <typename Predicate>
  bool WaitUntil(Predicate done) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto deadline = Clock::now() + kGenerousTimeout;
    while (!done()) {
      if (condition_.wait_until(lock, std::min(deadline, Clock::now() + kPollInterval)) ==
              std::cv_status::timeout &&
          Clock::now() >= deadline) {
        return done();
      }
    }
    return true;
  }

 private:
  // Count() pokes only every 64th call; the waiter also looks again this often.
  static constexpr auto kPollInterval = std::chrono::milliseconds(1);

  std::atomic<int64_t> calls_{0};
  std::mutex mutex_;
  std::condition_variable condition_;
};

// What one round shares between its threads.
struct Round {
  explicit Round(bool posts_race)
      : records(new Record[kIdsPerRound]), posts_race_shutdown(posts_race) {}

  Phase phase() const { return static_cast<Phase>(phase_.load(std::memory_order_acquire)); }
  // release: pairs with phase()'s acquire in the clients and handlers.
  void set_phase(Phase phase) { phase_.store(phase, std::memory_order_release); }
  void Violation() { violations.fetch_add(1, std::memory_order_relaxed); }

  std::unique_ptr<Record[]> records;
  // Whether clients go on posting and beginning while the loop shuts down.
  const bool posts_race_shutdown;
  std::atomic<int> phase_{kStorm};
  std::atomic<int64_t> violations{0};
  std::atomic<bool> ids_low{false};  // relaxed: only ends the storm phase early
  std::atomic<int> task_handlers_running{0};
  // Clients that have seen each phase (and so finished every step begun in an earlier one).
  std::atomic<int> acknowledged[kPhaseCount] = {};
  Progress progress;
};

// Counts a handler call with `status` for operation `id`.
void RecordCall(Round* round, uint32_t id, zx_status_t status) {
  Record& record = round->records[id];
  if (status == ZX_OK) {
    record.ran_ok.fetch_add(1, std::memory_order_acq_rel);
  } else if (status == ZX_ERR_CANCELED && round->phase() >= kShutdown) {
    record.ran_canceled.fetch_add(1, std::memory_order_acq_rel);
  } else {
    round->Violation();  // an unknown status, or ZX_ERR_CANCELED before shutdown
    record.ran_canceled.fetch_add(1, std::memory_order_acq_rel);
  }
  round->progress.Count();
}

struct TaskOp : async_task_t {
  TaskOp() : async_task_t{} { handler = &TaskOp::Handle; }
  Round* round = nullptr;
  uint32_t id = 0;  // the current operation; written by the owner while the task is not pending

  static void Handle(async_dispatcher_t*, async_task_t* task, zx_status_t status) {
    auto* op = static_cast<TaskOp*>(task);
    Round* round = op->round;
    const uint32_t id = op->id;  // once the call is recorded, the owner may reuse `op`
    // acq_rel: task handlers must never overlap; each sees the previous one's exit.
    if (round->task_handlers_running.fetch_add(1, std::memory_order_acq_rel) != 0) {
      round->Violation();
    }
    round->task_handlers_running.fetch_sub(1, std::memory_order_acq_rel);
    RecordCall(round, id, status);
  }
};

struct WaitOp : async_wait_t {
  WaitOp() : async_wait_t{} {
    handler = &WaitOp::Handle;
    zx_status_t status = zx::event::create(0, &event);
    ZX_ASSERT_MSG(status == ZX_OK, "zx_event_create: %d", status);
    object = event.get();
    trigger = ZX_USER_SIGNAL_0;
  }
  Round* round = nullptr;
  uint32_t id = 0;
  zx::event event;  // signalled and cleared by the owner only

  static void Handle(async_dispatcher_t*, async_wait_t* wait, zx_status_t status,
                     const zx_packet_signal_t* signal) {
    auto* op = static_cast<WaitOp*>(wait);
    Round* round = op->round;
    const uint32_t id = op->id;
    if ((status == ZX_OK) != (signal != nullptr)) {
      round->Violation();
    }
    RecordCall(round, id, status);
  }
};

struct ReceiverOp : async_receiver_t {
  ReceiverOp() : async_receiver_t{} { handler = &ReceiverOp::Handle; }
  Round* round = nullptr;
  std::atomic<int64_t>* delivered = nullptr;  // the owning client's count

  static void Handle(async_dispatcher_t*, async_receiver_t* receiver, zx_status_t status,
                     const zx_packet_user_t* data) {
    auto* op = static_cast<ReceiverOp*>(receiver);
    if (data == nullptr || data->u64[0] >= kIdsPerRound || status != ZX_OK) {
      op->round->Violation();
      return;
    }
    RecordCall(op->round, static_cast<uint32_t>(data->u64[0]), status);
    op->delivered->fetch_add(1, std::memory_order_relaxed);  // an in-flight bound only
  }
};

// Totals over all rounds.
struct Totals {
  int64_t rounds = 0;
  int64_t operations = 0;  // ids: posts, begins and queues that returned ZX_OK
  int64_t calls = 0;       // every client call into the loop's API and signal
  int64_t pauses = 0;
  int64_t losses = 0;
  int64_t duplicates = 0;
  int64_t violations = 0;
};

// One client thread: its operations' structs and its random choices. Thread-compatible: used by
// its own thread, then read by the conductor once that thread is joined.
class Client {
 public:
  Client(int index, Round* round, uint64_t seed) : index_(index), round_(round), random_(seed) {
    next_id_ = static_cast<uint32_t>(index);
    for (TaskOp& op : tasks_) {
      op.round = round;
    }
    for (WaitOp& op : waits_) {
      op.round = round;
    }
    for (ReceiverOp& op : receivers_) {
      op.round = round;
      op.delivered = &delivered_;
    }
  }

  void Start(async::Loop* loop) {
    loop_ = loop;
    thread_ = std::thread([this] { Run(); });
  }
  void Join() { thread_.join(); }

  // Packets queued and delivered so far. Final once the client has seen the closing phase.
  int64_t queued() const { return queued_.load(std::memory_order_relaxed); }
  int64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }

  // After Join(): adds this client's operations, calls, losses and duplicates to `totals`.
  void Audit(Totals* totals) const;

 private:
  void Run();
  void Step(Phase phase);
  // Cancels the operation in `slot` or starts a new one there (if `may_start`).
  void StepTask(int slot, bool may_start);
  void StepWait(int slot, bool may_start);
  void QueuePacket();
  bool NewId(uint32_t* id);
  bool Finished(uint32_t id) const { return round_->records[id].Outcomes() != 0; }
  void Expect(bool holds) {
    if (!holds) {
      round_->Violation();
    }
  }
  // Cancels an operation its owner has not seen finish; returns the status.
  template <typename CancelFn>
  void CancelUnfinished(uint32_t id, CancelFn cancel);
  zx_time_t DrawDeadline();

  const int index_;
  Round* const round_;
  std::mt19937_64 random_;
  async::Loop* loop_ = nullptr;
  std::thread thread_;
  uint32_t next_id_;
  int64_t operations_ = 0;
  int64_t calls_ = 0;
  Phase seen_ = kStorm;
  TaskOp tasks_[kTaskSlots];
  bool task_started_[kTaskSlots] = {};  // whether tasks_[i].id names an operation
  WaitOp waits_[kWaitSlots];
  bool wait_started_[kWaitSlots] = {};
  ReceiverOp receivers_[2];
  std::atomic<int64_t> queued_{0};     // written by this client only
  std::atomic<int64_t> delivered_{0};  // written by the receivers' handlers
};

void Client::Run() {
  for (;;) {
    const Phase phase = round_->phase();
    if (phase == kStop) {
      return;
    }
    if (phase != seen_) {
      seen_ = phase;
      // acq_rel: the conductor's acquire load then sees, e.g., the final `queued_`.
      round_->acknowledged[phase].fetch_add(1, std::memory_order_acq_rel);
      round_->progress.Poke();
    }
    Step(phase);
  }
}

void Client::Step(Phase phase) {
  const uint64_t choice = random_() % 100;
  const bool may_start = phase < kShutdown || round_->posts_race_shutdown;
  if (choice < 45) {
    StepTask(static_cast<int>(random_() % kTaskSlots), may_start);
  } else if (choice < 80) {
    StepWait(static_cast<int>(random_() % kWaitSlots), may_start);
  } else if (phase == kStorm && choice < 99) {
    QueuePacket();
  } else if (phase == kStorm && random_() % 40 == 0) {
    loop_->Quit();
    calls_++;
    round_->progress.Poke();  // the conductor restarts the loop
  }
}

bool Client::NewId(uint32_t* id) {
  if (next_id_ >= kIdsPerRound) {
    return false;
  }
  *id = next_id_;
  next_id_ += kClientThreads;
  if (next_id_ >= kIdsPerRound / 2) {
    round_->ids_low.store(true, std::memory_order_relaxed);
  }
  return true;
}

zx_time_t Client::DrawDeadline() {
  const uint64_t kind = random_() % 10;
  if (kind < 2) {
    return 1;  // long past: becomes the earliest task, which re-arms the timer
  }
  const zx_time_t now = async_now(loop_->dispatcher());
  if (kind < 6) {
    return now;
  }
  if (kind < 9) {
    return now + ZX_USEC(random_() % 200);
  }
  return now + ZX_HOUR(1);  // ends by cancel or shutdown
}

template <typename CancelFn>
void Client::CancelUnfinished(uint32_t id, CancelFn cancel) {
  const zx_status_t status = cancel();
  calls_++;
  if (status == ZX_OK) {
    round_->records[id].cancel_ok.fetch_add(1, std::memory_order_acq_rel);
  } else {
    Expect(status == ZX_ERR_NOT_FOUND);  // its handler runs or ran
  }
}

void Client::StepTask(int slot, bool may_start) {
  TaskOp& op = tasks_[slot];
  async_dispatcher_t* dispatcher = loop_->dispatcher();
  if (task_started_[slot] && !Finished(op.id)) {
    if (random_() % 3 == 0) {
      CancelUnfinished(op.id, [&] { return async_cancel_task(dispatcher, &op); });
    }
    return;
  }
  if (task_started_[slot] && random_() % 16 == 0) {
    Expect(async_cancel_task(dispatcher, &op) == ZX_ERR_NOT_FOUND);  // it is over
    calls_++;
  }
  uint32_t id;
  if (!may_start || !NewId(&id)) {
    return;
  }
  op.id = id;
  op.deadline = DrawDeadline();
  const zx_status_t status = async_post_task(dispatcher, &op);
  calls_++;
  task_started_[slot] = status == ZX_OK;
  if (status == ZX_OK) {
    round_->records[id].kind = Kind::kTask;
    operations_++;
  } else {
    Expect(status == ZX_ERR_BAD_STATE && round_->phase() >= kShutdown);
  }
}

void Client::StepWait(int slot, bool may_start) {
  WaitOp& op = waits_[slot];
  async_dispatcher_t* dispatcher = loop_->dispatcher();
  if (wait_started_[slot] && !Finished(op.id)) {
    if (random_() % 3 == 0) {
      CancelUnfinished(op.id, [&] { return async_cancel_wait(dispatcher, &op); });
    } else {
      Expect(op.event.signal(0, ZX_USER_SIGNAL_0) == ZX_OK);
      calls_++;
    }
    return;
  }
  if (wait_started_[slot] && random_() % 16 == 0) {
    Expect(async_cancel_wait(dispatcher, &op) == ZX_ERR_NOT_FOUND);
    calls_++;
  }
  uint32_t id;
  if (!may_start || !NewId(&id)) {
    return;
  }
  // Half the waits find their signal already asserted.
  Expect(op.event.signal(ZX_USER_SIGNAL_0, random_() % 2 == 0 ? ZX_USER_SIGNAL_0 : 0) == ZX_OK);
  op.id = id;
  const zx_status_t status = async_begin_wait(dispatcher, &op);
  calls_ += 2;
  wait_started_[slot] = status == ZX_OK;
  if (status == ZX_OK) {
    round_->records[id].kind = Kind::kWait;
    operations_++;
  } else {
    Expect(status == ZX_ERR_BAD_STATE && round_->phase() >= kShutdown);
  }
}

void Client::QueuePacket() {
  const int64_t queued = queued_.load(std::memory_order_relaxed);
  if (queued - delivered_.load(std::memory_order_relaxed) >= kMaxPacketsInFlight) {
    return;
  }
  uint32_t id;
  if (!NewId(&id)) {
    return;
  }
  zx_packet_user_t data = {};
  data.u64[0] = id;
  ReceiverOp& receiver = receivers_[random_() % 2];
  const zx_status_t status = async_queue_packet(loop_->dispatcher(), &receiver, &data);
  calls_++;
  if (status == ZX_OK) {
    round_->records[id].kind = Kind::kPacket;
    queued_.store(queued + 1, std::memory_order_relaxed);
    operations_++;
  } else {
    round_->Violation();  // the port has room and the loop is not shut down
  }
}

void Client::Audit(Totals* totals) const {
  totals->operations += operations_;
  totals->calls += calls_;
  for (uint32_t id = static_cast<uint32_t>(index_); id < next_id_; id += kClientThreads) {
    const Record& record = round_->records[id];
    const uint32_t outcomes = record.Outcomes();
    if (record.kind == Kind::kNone) {
      totals->violations += outcomes != 0 ? 1 : 0;  // a handler after a refused registration
    } else if (record.kind == Kind::kPacket && record.ran_ok.load() == 0) {
      totals->losses++;
    } else if (outcomes == 0) {
      totals->losses++;
    } else if (outcomes > 1) {
      totals->duplicates++;
    }
  }
}

bool StartLoopThreads(async::Loop* loop) {
  bool started = true;
  for (int i = 0; i < kLoopThreads; i++) {
    started = loop->StartThread("storm-loop") == ZX_OK && started;
  }
  return started;
}

// Stops the loop's threads, runs a few units on this thread, and starts them again. Clients may
// quit the loop meanwhile, so their quits are reset too.
void Pause(async::Loop* loop, Round* round) {
  loop->Quit();
  loop->JoinThreads();
  if (loop->ResetQuit() != ZX_OK) {
    round->Violation();  // no thread runs the loop, so reset-quit must succeed
  }
  for (int i = 0; i < kConductorUnits; i++) {
    const zx_status_t status = loop->Run(zx::deadline_after(zx::usec(50)), /*once=*/true);
    if (status != ZX_OK) {
      if (status != ZX_ERR_TIMED_OUT && status != ZX_ERR_CANCELED) {
        round->Violation();
      }
      break;
    }
  }
  if (loop->ResetQuit() != ZX_OK || !StartLoopThreads(loop)) {
    round->Violation();
  }
}

// Waits for `count` more handler calls, or for a client to quit the loop. Returns false if the
// loop stopped making progress.
bool AwaitProgress(async::Loop* loop, Round* round, int64_t count) {
  const int64_t target = round->progress.calls() + count;
  return round->progress.WaitUntil(
      [&] { return round->progress.calls() >= target || loop->GetState() == ASYNC_LOOP_QUIT; });
}

// Moves the round to `phase` and waits until every client has seen it.
void EnterPhase(Round* round, Phase phase) {
  round->set_phase(phase);
  if (!round->progress.WaitUntil([&] {
        return round->acknowledged[phase].load(std::memory_order_acquire) == kClientThreads;
      })) {
    round->Violation();
  }
}

// Phase 2: no more packets; the conductor delivers every queued packet itself.
void Close(async::Loop* loop, Round* round, const std::vector<std::unique_ptr<Client>>& clients) {
  EnterPhase(round, kClosing);
  loop->Quit();
  loop->JoinThreads();
  if (loop->ResetQuit() != ZX_OK) {
    round->Violation();
  }
  auto undelivered = [&] {
    int64_t count = 0;
    for (const auto& client : clients) {
      count += client->queued() - client->delivered();
    }
    return count;
  };
  const auto give_up = Clock::now() + kGenerousTimeout;
  while (undelivered() > 0 && Clock::now() < give_up) {
    const zx_status_t status = loop->Run(zx::deadline_after(zx::msec(1)), /*once=*/true);
    if (status != ZX_OK && status != ZX_ERR_TIMED_OUT) {
      round->Violation();
      break;
    }
  }
  if (!StartLoopThreads(loop)) {
    round->Violation();
  }
}

// Runs one round of `length` with a new loop, and adds its figures to `totals`.
void RunRound(Clock::duration length, uint64_t seed, bool posts_race_shutdown, Totals* totals) {
  Round round(posts_race_shutdown);
  // Declared before the loop: its shutdown calls their handlers.
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClientThreads; i++) {
    clients.push_back(std::make_unique<Client>(i, &round, seed * kClientThreads + i));
  }
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  if (!StartLoopThreads(&loop)) {
    round.Violation();
  }
  for (auto& client : clients) {
    client->Start(&loop);
  }
  const auto end = Clock::now() + length;
  while (Clock::now() < end && !round.ids_low.load(std::memory_order_relaxed)) {
    if (!AwaitProgress(&loop, &round, kCallsPerPause)) {
      round.Violation();  // stalled
      break;
    }
    Pause(&loop, &round);
    totals->pauses++;
  }
  Close(&loop, &round, clients);
  // Phase 3: shut down while the loop threads and the clients are busy.
  if (!AwaitProgress(&loop, &round, kCallsPerPause)) {
    round.Violation();
  }
  EnterPhase(&round, kShutdown);
  loop.Shutdown();
  round.set_phase(kStop);
  for (auto& client : clients) {
    client->Join();
    client->Audit(totals);
  }
  totals->violations += round.violations.load(std::memory_order_relaxed);
  totals->rounds++;
}

double StormSeconds() {
  const char* text = std::getenv("PORTLOOP_STORM_SECONDS");
  const double seconds = text == nullptr ? 0.0 : std::atof(text);
  return seconds > 0.0 ? seconds : 3.0;
}

void PrintTotals(const char* what, const Totals& totals, double seconds) {
  std::printf("%s: %.1f s, %" PRId64 " rounds, %" PRId64 " pauses, %" PRId64
              " operations (%.0f/s), %" PRId64 " calls (%.0f/s), losses %" PRId64
              ", duplicates %" PRId64 ", violations %" PRId64 "\n",
              what, seconds, totals.rounds, totals.pauses, totals.operations,
              static_cast<double>(totals.operations) / seconds, totals.calls,
              static_cast<double>(totals.calls) / seconds, totals.losses, totals.duplicates,
              totals.violations);
  std::fflush(stdout);
}

// Storms for PORTLOOP_STORM_SECONDS and checks the totals.
void Storm(bool posts_race_shutdown) {
  const double seconds = StormSeconds();
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  auto next_report = start + std::chrono::minutes(1);
  Totals totals;
  for (uint64_t seed = 1; Clock::now() < end; seed++) {
    RunRound(std::min<Clock::duration>(kRoundLength, end - Clock::now()), seed, posts_race_shutdown,
             &totals);
    if (Clock::now() >= next_report) {
      PrintTotals("storm so far", totals,
                  std::chrono::duration<double>(Clock::now() - start).count());
      next_report += std::chrono::minutes(1);
    }
  }
  PrintTotals("storm", totals, std::chrono::duration<double>(Clock::now() - start).count());
  EXPECT_EQ(totals.losses, 0);
  EXPECT_EQ(totals.duplicates, 0);
  EXPECT_EQ(totals.violations, 0);
  EXPECT_GT(totals.operations, 0);
}

TEST(LoopStormTest, EveryOperationCompletesOrIsCancelledExactlyOnce) {
  Storm(/*posts_race_shutdown=*/false);
}

// Posts and begins race async_loop_shutdown: each either fails with ZX_ERR_BAD_STATE or is run or
// cancelled exactly once. (This test found the window where a post or begin that checked the
// state before shutdown began, and reached the loop after its last sweep, returned ZX_OK and was
// never called back; posts now go through an inbox that shutdown closes, and begins check the
// state under the loop's lock.)
TEST(LoopStormTest, PostsAndBeginsRacingShutdownCompleteOrAreCancelledExactlyOnce) {
  Storm(/*posts_race_shutdown=*/true);
}

}  // namespace
