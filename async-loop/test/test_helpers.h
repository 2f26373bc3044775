// Helpers shared by the loop's tests: recording tasks, waits and receivers built on the C structs
// (the C++ wrappers come later), plus small tools for multi-threaded tests.
//
// Lifetime rule the tests follow: operations (and whatever their callbacks capture) are declared
// before the loop, so that the loop is destroyed first and its shutdown never calls a handler of
// an object that is already gone, even when an ASSERT ends a test early.
#ifndef ASYNC_LOOP_TEST_TEST_HELPERS_H_
#define ASYNC_LOOP_TEST_TEST_HELPERS_H_

#include <lib/async-loop/loop.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace async_loop_test {

// Bound for waits that must end. It only turns a hang into a failure; nothing measures time.
inline constexpr std::chrono::seconds kGenerousTimeout{30};

// A deadline at least an hour away: a task posted for it never comes due during a test.
inline zx_time_t FarFuture(zx_duration_t extra = 0) {
  return zx_deadline_after(ZX_HOUR(1)) + extra;
}

// Quits the loop that owns `dispatcher` (which must be a loop's).
inline void QuitLoop(async_dispatcher_t* dispatcher) {
  async_loop_quit(async_loop_from_dispatcher(dispatcher));
}

inline zx::event MakeEvent() {
  zx::event event;
  EXPECT_EQ(zx::event::create(0u, &event), ZX_OK);
  return event;
}

inline zx_packet_user_t Payload(uint64_t a, uint64_t b = 0u, uint64_t c = 0u, uint64_t d = 0u) {
  zx_packet_user_t data = {};
  data.u64[0] = a;
  data.u64[1] = b;
  data.u64[2] = c;
  data.u64[3] = d;
  return data;
}

inline bool SamePayload(const zx_packet_user_t& a, const zx_packet_user_t& b) {
  return std::equal(std::begin(a.u64), std::end(a.u64), std::begin(b.u64));
}

// An `async_task_t` that counts its calls, remembers the last one, then runs `callback`.
//
// Thread-compatible: the loop never runs one task's handler on two threads at once, and tests
// read the fields only after the loop's threads were joined.
class TestTask : public async_task_t {
 public:
  using Callback = std::function<void(async_dispatcher_t* dispatcher, zx_status_t status)>;

  explicit TestTask(zx_time_t task_deadline = 0, Callback task_callback = {})
      : async_task_t{}, callback(std::move(task_callback)) {
    handler = &TestTask::Handle;
    deadline = task_deadline;
  }
  TestTask(const TestTask&) = delete;
  TestTask& operator=(const TestTask&) = delete;

  zx_status_t Post(async_dispatcher_t* dispatcher) { return async_post_task(dispatcher, this); }
  zx_status_t Cancel(async_dispatcher_t* dispatcher) { return async_cancel_task(dispatcher, this); }

  int run_count = 0;
  zx_status_t last_status = ZX_ERR_INTERNAL;
  async_dispatcher_t* last_dispatcher = nullptr;
  Callback callback;

 private:
  static void Handle(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
    auto* self = static_cast<TestTask*>(task);
    self->run_count++;
    self->last_status = status;
    self->last_dispatcher = dispatcher;
    if (self->callback) {
      self->callback(dispatcher, status);
    }
  }
};

// An `async_wait_t` that counts its calls, keeps a copy of the last signal packet, then runs
// `callback`. Thread-compatible, like TestTask: one wait is delivered once per Begin().
class TestWait : public async_wait_t {
 public:
  using Callback = std::function<void(async_dispatcher_t* dispatcher, zx_status_t status,
                                      const zx_packet_signal_t* signal)>;

  TestWait(zx_handle_t wait_object, zx_signals_t wait_trigger, Callback wait_callback = {})
      : async_wait_t{}, callback(std::move(wait_callback)) {
    handler = &TestWait::Handle;
    object = wait_object;
    trigger = wait_trigger;
  }
  TestWait(const TestWait&) = delete;
  TestWait& operator=(const TestWait&) = delete;

  zx_status_t Begin(async_dispatcher_t* dispatcher) { return async_begin_wait(dispatcher, this); }
  zx_status_t Cancel(async_dispatcher_t* dispatcher) { return async_cancel_wait(dispatcher, this); }

  int run_count = 0;
  zx_status_t last_status = ZX_ERR_INTERNAL;
  bool last_signal_was_null = false;
  zx_packet_signal_t last_signal = {};
  Callback callback;

 private:
  static void Handle(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                     const zx_packet_signal_t* signal) {
    auto* self = static_cast<TestWait*>(wait);
    self->run_count++;
    self->last_status = status;
    self->last_signal_was_null = signal == nullptr;
    self->last_signal = signal == nullptr ? zx_packet_signal_t{} : *signal;
    if (self->callback) {
      self->callback(dispatcher, status, signal);
    }
  }
};

// An `async_receiver_t` that records every delivery, then runs `callback`.
//
// Thread-safe: packets for one receiver may be handled on several threads at once.
class TestReceiver : public async_receiver_t {
 public:
  using Callback = std::function<void(async_dispatcher_t* dispatcher, zx_status_t status,
                                      const zx_packet_user_t* data)>;

  struct Delivery {
    zx_status_t status;
    bool data_was_null;
    zx_packet_user_t data;
  };

  explicit TestReceiver(Callback receiver_callback = {})
      : async_receiver_t{}, callback(std::move(receiver_callback)) {
    handler = &TestReceiver::Handle;
  }
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  zx_status_t Queue(async_dispatcher_t* dispatcher, const zx_packet_user_t* data = nullptr) {
    return async_queue_packet(dispatcher, this, data);
  }

  std::vector<Delivery> deliveries() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return deliveries_;
  }
  size_t delivery_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return deliveries_.size();
  }

  // Set before the first packet is queued; not changed afterwards.
  Callback callback;

 private:
  static void Handle(async_dispatcher_t* dispatcher, async_receiver_t* receiver, zx_status_t status,
                     const zx_packet_user_t* data) {
    auto* self = static_cast<TestReceiver*>(receiver);
    {
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->deliveries_.push_back(
          Delivery{status, data == nullptr, data == nullptr ? zx_packet_user_t{} : *data});
    }
    if (self->callback) {
      self->callback(dispatcher, status, data);
    }
  }

  mutable std::mutex mutex_;
  std::vector<Delivery> deliveries_;
};

// Records the calls of a loop's prologue and epilogue hooks, for a config made by Config().
//
// Thread-safe.
class HookLog {
 public:
  // A config whose prologue and epilogue append "prologue" / "epilogue" to this log.
  async_loop_config_t Config(bool make_default = false) {
    async_loop_config_t config{};
    config.make_default_for_current_thread = make_default;
    config.prologue = [](async_loop_t* loop, void* data) {
      static_cast<HookLog*>(data)->Add("prologue", loop);
    };
    config.epilogue = [](async_loop_t* loop, void* data) {
      static_cast<HookLog*>(data)->Add("epilogue", loop);
    };
    config.data = this;
    return config;
  }

  // Appends `entry`; handlers call it to interleave their own entries with the hooks'.
  void Add(const std::string& entry, async_loop_t* loop = nullptr) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.push_back(entry);
    if (loop != nullptr) {
      loops_.push_back(loop);
    }
  }

  std::vector<std::string> entries() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_;
  }

  // The loops the hooks were called with, one per hook call.
  std::vector<async_loop_t*> loops() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return loops_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> entries_;
  std::vector<async_loop_t*> loops_;
};

// Lets handlers running on different threads meet. Arrive() blocks until `expected` calls to it
// have been made in total (later calls return at once), so a handler that arrives first stays
// inside its handler until another handler is running too: proof that they overlap, without
// sleeping. Thread-safe.
class Rendezvous {
 public:
  explicit Rendezvous(int expected) : expected_(expected) {}

  // Returns false if the others did not arrive within kGenerousTimeout.
  bool Arrive() {
    std::unique_lock<std::mutex> lock(mutex_);
    arrived_++;
    condition_.notify_all();
    return condition_.wait_for(lock, kGenerousTimeout, [this] { return arrived_ >= expected_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable condition_;
  const int expected_;
  int arrived_ = 0;
};

// Measures how many threads are inside a section at once. Thread-safe.
class ConcurrencyProbe {
 public:
  void Enter() {
    // acq_rel: orders this section's entry after the previous holder's Leave().
    int active = active_.fetch_add(1, std::memory_order_acq_rel) + 1;
    int seen = max_.load(std::memory_order_relaxed);  // only a hint; the CAS below decides
    while (active > seen && !max_.compare_exchange_weak(seen, active, std::memory_order_acq_rel,
                                                        std::memory_order_relaxed)) {
    }
  }
  // release: pairs with the acq_rel fetch_add of the next Enter().
  void Leave() { active_.fetch_sub(1, std::memory_order_release); }

  // acquire: pairs with the CAS in Enter().
  int max() const { return max_.load(std::memory_order_acquire); }

 private:
  std::atomic<int> active_{0};
  std::atomic<int> max_{0};
};

// A count that threads can wait on, to learn that handlers on other threads have run without
// sleeping. Thread-safe.
class Counter {
 public:
  void Increment() {
    std::lock_guard<std::mutex> lock(mutex_);
    value_++;
    condition_.notify_all();
  }

  // Blocks until the count reaches `target`. Returns false if it did not within kGenerousTimeout.
  bool WaitFor(int target) {
    std::unique_lock<std::mutex> lock(mutex_);
    return condition_.wait_for(lock, kGenerousTimeout, [&] { return value_ >= target; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable condition_;
  int value_ = 0;
};

// Multiplier for the stress tests' iteration counts, from PORTLOOP_STRESS_SCALE (default 1).
inline int StressScale() {
  const char* text = std::getenv("PORTLOOP_STRESS_SCALE");
  int scale = text == nullptr ? 1 : std::atoi(text);
  return scale > 0 ? scale : 1;
}

}  // namespace async_loop_test

#endif  // ASYNC_LOOP_TEST_TEST_HELPERS_H_
