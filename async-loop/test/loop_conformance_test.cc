// The dispatcher contract suite (async/test/conformance) run on async::Loop, once with the test
// thread running the loop and once with three loop threads.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/receiver.h>
#include <lib/zx/time.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include <gtest/gtest.h>

#include "async/test/conformance/dispatcher_conformance.h"

// Outside an anonymous namespace so that CTest names read `<dispatcher_conformance::...Fixture>`.
namespace dispatcher_conformance {

// The test thread runs the loop: RunUntilIdle() is the loop's own.
class OneThreadLoopFixture {
 public:
  static constexpr bool kMultiThreaded = false;
  static constexpr bool kSupportsReceivers = true;

  async_dispatcher_t* dispatcher() { return loop_.dispatcher(); }
  zx::duration ShortDelay() const { return zx::msec(1); }

  void RunUntilIdle() { EXPECT_EQ(loop_.RunUntilIdle(), ZX_OK); }

  bool RunUntil(const std::function<bool()>& condition) {
    const auto give_up = std::chrono::steady_clock::now() + kGenerousTimeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > give_up) {
        return false;
      }
      // One unit of work, or none within the slice; either way look at `condition` again.
      zx_status_t status = loop_.Run(zx::deadline_after(zx::msec(10)), /*once=*/true);
      if (status != ZX_OK && status != ZX_ERR_TIMED_OUT) {
        ADD_FAILURE() << "the loop stopped running: status=" << status;
        return condition();
      }
    }
    return true;
  }

  void Shutdown() { loop_.Shutdown(); }

 private:
  async::Loop loop_{&kAsyncLoopConfigNoAttachToThread};
};

// Three loop threads run the loop; the test thread only posts and waits.
//
// The loop's prologue and epilogue hooks count the handlers that start and wake the test thread
// after each one, so RunUntil() re-checks its condition after every handler.
//
// RunUntilIdle() waits for quiescence with barriers. A barrier queues one marker packet per
// loop thread; each marker's handler blocks until all of them are running, which takes every
// thread. The port is first-in first-out and a thread finishes one unit of work before taking
// the next, so at that moment every packet queued before the markers has been handled to the
// end, and whatever those handlers posted, begun or signaled is queued. If between two barriers
// no handler other than the markers started, nothing was left to run: the loop is idle.
class ThreeThreadLoopFixture {
 public:
  static constexpr bool kMultiThreaded = true;
  static constexpr bool kSupportsReceivers = true;
  static constexpr int kThreads = 3;

  ThreeThreadLoopFixture() {
    for (int i = 0; i < kThreads; ++i) {
      EXPECT_EQ(loop_.StartThread("conformance-loop"), ZX_OK);
    }
  }

  async_dispatcher_t* dispatcher() { return loop_.dispatcher(); }
  zx::duration ShortDelay() const { return zx::msec(1); }

  void RunUntilIdle() {
    std::optional<uint64_t> previous = Barrier();
    // Bounded only so that handlers that keep re-posting forever fail instead of hanging.
    for (int round = 0; previous.has_value() && round < 10000; ++round) {
      std::optional<uint64_t> current = Barrier();
      if (current.has_value() && *current - *previous == kThreads) {
        return;  // only this barrier's markers ran in between
      }
      previous = current;
    }
    ADD_FAILURE() << "the loop did not become idle";
  }

  bool RunUntil(const std::function<bool()>& condition) {
    std::unique_lock<std::mutex> lock(mutex_);
    return condition_.wait_for(lock, kGenerousTimeout, condition);
  }

  void Shutdown() { loop_.Shutdown(); }

 private:
  // Blocks until every loop thread runs a marker handler; returns the number of handlers started
  // by then, or nullopt (after a failure) if the threads never all arrived.
  std::optional<uint64_t> Barrier() {
    for (int i = 0; i < kThreads; ++i) {
      EXPECT_EQ(async_queue_packet(dispatcher(), &marker_, nullptr), ZX_OK);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (!condition_.wait_for(lock, kGenerousTimeout,
                             [this] { return markers_arrived_ == kThreads; })) {
      ADD_FAILURE() << "the loop threads never all reached the barrier";
      return std::nullopt;
    }
    uint64_t started = handlers_started_;
    markers_arrived_ = 0;
    barrier_generation_++;  // releases the markers
    condition_.notify_all();
    return started;
  }

  static ThreeThreadLoopFixture* From(void* data) {
    return static_cast<ThreeThreadLoopFixture*>(data);
  }

  static void OnMarker(async_dispatcher_t*, async_receiver_t* receiver, zx_status_t,
                       const zx_packet_user_t*) {
    ThreeThreadLoopFixture* self = static_cast<Marker*>(receiver)->fixture;
    std::unique_lock<std::mutex> lock(self->mutex_);
    const uint64_t generation = self->barrier_generation_;
    self->markers_arrived_++;
    self->condition_.notify_all();
    EXPECT_TRUE(self->condition_.wait_for(lock, kGenerousTimeout,
                                          [&] { return self->barrier_generation_ != generation; }));
  }

  static async_loop_config_t MakeConfig(ThreeThreadLoopFixture* self) {
    async_loop_config_t config{};
    config.prologue = [](async_loop_t*, void* data) {
      std::lock_guard<std::mutex> lock(From(data)->mutex_);
      From(data)->handlers_started_++;
    };
    config.epilogue = [](async_loop_t*, void* data) {
      // Under the lock, so a RunUntil() between checking and waiting cannot miss the wake-up.
      std::lock_guard<std::mutex> lock(From(data)->mutex_);
      From(data)->condition_.notify_all();
    };
    config.data = self;
    return config;
  }

  struct Marker : async_receiver_t {
    ThreeThreadLoopFixture* fixture;
  };

  // Everything the hooks and markers touch is declared before the loop, so it outlives the
  // loop's threads.
  std::mutex mutex_;
  std::condition_variable condition_;
  uint64_t handlers_started_ = 0;    // guarded by mutex_
  int markers_arrived_ = 0;          // guarded by mutex_
  uint64_t barrier_generation_ = 0;  // guarded by mutex_
  Marker marker_{{ASYNC_STATE_INIT, &OnMarker}, this};
  const async_loop_config_t config_ = MakeConfig(this);
  async::Loop loop_{&config_};
};

INSTANTIATE_TYPED_TEST_SUITE_P(LoopOnOneThread, DispatcherConformanceTest, OneThreadLoopFixture);
INSTANTIATE_TYPED_TEST_SUITE_P(LoopOnThreeThreads, DispatcherConformanceTest,
                               ThreeThreadLoopFixture);

}  // namespace dispatcher_conformance
