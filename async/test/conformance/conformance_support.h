// Helpers of the dispatcher contract suite (dispatcher_conformance.h): a thread-safe log of
// handler calls, C operations that record into it, TaskGate, and the suite's test fixture, which
// owns the dispatcher fixture and everything its handlers touch.
#ifndef ASYNC_TEST_CONFORMANCE_CONFORMANCE_SUPPORT_H_
#define ASYNC_TEST_CONFORMANCE_CONFORMANCE_SUPPORT_H_

#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>
#include <lib/zx/time.h>
#include <zircon/types.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace dispatcher_conformance {

// Bound for waits that must end. It only turns a hang into a failure; nothing measures time.
inline constexpr std::chrono::seconds kGenerousTimeout{30};

// The signal every test waits for.
inline constexpr zx_signals_t kTrigger = ZX_USER_SIGNAL_0;

// One handler call.
struct Call {
  int id;
  zx_status_t status;
  bool has_payload;  // a wait's signal or a receiver's data was non-null; always false for tasks

  bool operator==(const Call& other) const = default;
};

inline void PrintTo(const Call& call, std::ostream* out) {
  *out << "{id " << call.id << ", status " << call.status
       << (call.has_payload ? ", payload}" : ", no payload}");
}

// The calls of the handlers of one test, in the order they were made. Thread-safe.
class CallLog {
 public:
  void Add(int id, zx_status_t status, bool has_payload = false) {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.push_back(Call{id, status, has_payload});
  }

  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

  std::vector<int> ids() const {
    std::vector<int> ids;
    for (const Call& call : calls()) {
      ids.push_back(call.id);
    }
    return ids;
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_.size();
  }

  int CountOf(int id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(std::count_if(calls_.begin(), calls_.end(),
                                          [id](const Call& call) { return call.id == id; }));
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

// An `async_task_t` that logs each call under `id`, then runs `then`, which may post, cancel or
// delete the task. Checks that the task never runs before its deadline. Thread-compatible.
struct LoggedTask : async_task_t {
  using Then =
      std::function<void(async_dispatcher_t* dispatcher, LoggedTask* task, zx_status_t status)>;

  LoggedTask(CallLog* task_log, int task_id, zx::time task_deadline, Then task_then = nullptr)
      : async_task_t{ASYNC_STATE_INIT, &LoggedTask::Handle, task_deadline.get()},
        log(task_log),
        id(task_id),
        then(std::move(task_then)) {}

  CallLog* const log;
  const int id;
  Then then;

 private:
  static void Handle(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
    auto* self = static_cast<LoggedTask*>(task);
    if (status == ZX_OK) {
      EXPECT_GE(async_now(dispatcher), self->deadline) << "task " << self->id << " ran early";
    }
    self->log->Add(self->id, status);
    if (self->then) {
      Then then = self->then;  // a copy: `then` may delete the task
      then(dispatcher, self, status);
    }
  }
};

// An `async_wait_t` for kTrigger on an object that logs each call under `id`, then runs `then`,
// which may begin, cancel or delete the wait. Checks the signal packet. Thread-compatible.
struct LoggedWait : async_wait_t {
  using Then =
      std::function<void(async_dispatcher_t* dispatcher, LoggedWait* wait, zx_status_t status)>;

  LoggedWait(CallLog* wait_log, int wait_id, zx_handle_t wait_object, Then wait_then = nullptr)
      : async_wait_t{ASYNC_STATE_INIT, &LoggedWait::Handle, wait_object, kTrigger},
        log(wait_log),
        id(wait_id),
        then(std::move(wait_then)) {}

  CallLog* const log;
  const int id;
  Then then;

 private:
  static void Handle(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                     const zx_packet_signal_t* signal) {
    auto* self = static_cast<LoggedWait*>(wait);
    if (signal != nullptr) {
      EXPECT_EQ(signal->trigger, self->trigger);
      EXPECT_NE(signal->observed & self->trigger, 0u) << "wait " << self->id;
    }
    self->log->Add(self->id, status, signal != nullptr);
    if (self->then) {
      Then then = self->then;  // a copy: `then` may delete the wait
      then(dispatcher, self, status);
    }
  }
};

// An `async_receiver_t` that logs each packet under the packet's first word (-1 without data).
// Thread-safe.
struct LoggedReceiver : async_receiver_t {
  explicit LoggedReceiver(CallLog* receiver_log)
      : async_receiver_t{ASYNC_STATE_INIT, &LoggedReceiver::Handle}, log(receiver_log) {}

  CallLog* const log;

 private:
  static void Handle(async_dispatcher_t*, async_receiver_t* receiver, zx_status_t status,
                     const zx_packet_user_t* data) {
    auto* self = static_cast<LoggedReceiver*>(receiver);
    self->log->Add(data == nullptr ? -1 : static_cast<int>(data->u64[0]), status, data != nullptr);
  }
};

// Keeps a multi-threaded dispatcher from running any task handler while it is alive, so that
// tasks posted meanwhile run afterwards in the dispatcher's order, however the threads are
// scheduled: the constructor posts a task whose handler blocks its thread until the gate is
// destroyed, and returns once that handler runs (by then its batch of due tasks was taken).
// Single-threaded fixtures run nothing until the test runs them, so there the gate does nothing.
// Destroy the gate before running or shutting down the dispatcher. Thread-compatible.
template <typename Fixture>
class TaskGate {
 public:
  explicit TaskGate(Fixture& fixture) {
    if constexpr (Fixture::kMultiThreaded) {
      EXPECT_EQ(async::PostTask(fixture.dispatcher(), [state = state_] { state->Hold(); }), ZX_OK);
      EXPECT_TRUE(state_->WaitUntilHeld()) << "the gate task never ran";
    }
  }
  ~TaskGate() { state_->Open(); }

  TaskGate(const TaskGate&) = delete;
  TaskGate& operator=(const TaskGate&) = delete;

 private:
  // Shared with the gate task, which may still be leaving Hold() when the gate is gone.
  struct State {
    void Hold() {
      std::unique_lock<std::mutex> lock(mutex);
      held = true;
      condition.notify_all();
      EXPECT_TRUE(condition.wait_for(lock, kGenerousTimeout, [this] { return open; }));
    }
    bool WaitUntilHeld() {
      std::unique_lock<std::mutex> lock(mutex);
      return condition.wait_for(lock, kGenerousTimeout, [this] { return held; });
    }
    void Open() {
      std::lock_guard<std::mutex> lock(mutex);
      open = true;
      condition.notify_all();
    }

    std::mutex mutex;
    std::condition_variable condition;
    bool held = false;
    bool open = false;
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// The suite's fixture: owns the dispatcher fixture and everything its handlers touch.
template <typename Fixture>
class DispatcherConformanceTest : public ::testing::Test {
 protected:
  Fixture& fixture() { return fixture_; }
  async_dispatcher_t* dispatcher() { return fixture_.dispatcher(); }
  CallLog& log() { return log_; }
  void RunUntilIdle() { fixture_.RunUntilIdle(); }
  void Shutdown() { fixture_.Shutdown(); }

  // A time no task deadline in a test reaches: tasks due then stay pending.
  zx::time FarFuture() { return async::Now(dispatcher()) + zx::hour(1); }

  // Runs the dispatcher until the log holds at least `count` calls.
  bool RunUntilCalls(size_t count) {
    return fixture_.RunUntil([this, count] { return log_.size() >= count; });
  }

  // A new event with no signal asserted, alive until the dispatcher is gone.
  zx::event& NewEvent() {
    events_.emplace_back();
    EXPECT_EQ(zx::event::create(0u, &events_.back()), ZX_OK);
    return events_.back();
  }

  // New operations logging to log(), alive until the dispatcher is gone.
  LoggedTask* NewTask(int id, zx::time deadline, LoggedTask::Then then = nullptr) {
    return Keep(std::make_unique<LoggedTask>(&log_, id, deadline, std::move(then)));
  }
  LoggedWait* NewWait(int id, const zx::event& event, LoggedWait::Then then = nullptr) {
    return Keep(std::make_unique<LoggedWait>(&log_, id, event.get(), std::move(then)));
  }
  LoggedReceiver* NewReceiver() { return Keep(std::make_unique<LoggedReceiver>(&log_)); }

 private:
  template <typename T>
  T* Keep(std::unique_ptr<T> object) {
    T* raw = object.get();
    kept_.push_back(std::shared_ptr<T>(std::move(object)));
    return raw;
  }

  // Declared before the dispatcher fixture, so destroyed after it: the dispatcher's shutdown
  // still calls the handlers of whatever a failed test left pending.
  CallLog log_;
  std::deque<zx::event> events_;
  std::vector<std::shared_ptr<void>> kept_;
  Fixture fixture_;
};

}  // namespace dispatcher_conformance

#endif  // ASYNC_TEST_CONFORMANCE_CONFORMANCE_SUPPORT_H_
