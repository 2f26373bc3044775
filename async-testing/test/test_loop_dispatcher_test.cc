// async::TestLoopDispatcher driven by hand: its timer protocol, the order in which it runs and
// cancels handlers, receivers, and the subloop made by NewTestLoopDispatcher().
#include <lib/async-testing/test_loop_dispatcher.h>
#include <lib/async/default.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "async-testing/src/fake_clock.h"

namespace {

// A fake clock that also records what the dispatcher asks of it.
class RecordingClock final : public async::TimeKeeper {
 public:
  zx::time Now() const override { return clock_.Now(); }
  void RegisterTimer(zx::time deadline, async::TimerDispatcher* dispatcher) override {
    registered.push_back(deadline.get());
    clock_.RegisterTimer(deadline, dispatcher);
  }
  void CancelTimers(async::TimerDispatcher* dispatcher) override {
    ++cancel_calls;
    clock_.CancelTimers(dispatcher);
  }
  void AdvanceTo(zx::time time) { clock_.AdvanceTo(time); }

  std::vector<zx_time_t> registered;
  int cancel_calls = 0;

 private:
  async::internal::FakeClock clock_;
};

// Tasks and waits that append their name and status to a shared log.
struct Log {
  std::vector<std::string> entries;
};

struct NamedTask {
  NamedTask(Log* log, std::string name, zx_time_t deadline) : log(log), name(std::move(name)) {
    task.handler = [](async_dispatcher_t*, async_task_t* record, zx_status_t status) {
      auto* self = reinterpret_cast<NamedTask*>(record);
      self->log->entries.push_back(self->name + (status == ZX_OK ? "" : ":canceled"));
    };
    task.deadline = deadline;
  }
  async_task_t task = {};  // first, so the handler can find the NamedTask
  Log* log;
  std::string name;
};

struct NamedWait {
  NamedWait(Log* log, std::string name, zx_handle_t object, zx_signals_t trigger)
      : log(log), name(std::move(name)) {
    wait.handler = [](async_dispatcher_t*, async_wait_t* record, zx_status_t status,
                      const zx_packet_signal_t* signal) {
      auto* self = reinterpret_cast<NamedWait*>(record);
      self->log->entries.push_back(self->name + (status == ZX_OK ? "" : ":canceled"));
      if (signal != nullptr) {
        self->observed = signal->observed;
      }
    };
    wait.object = object;
    wait.trigger = trigger;
  }
  async_wait_t wait = {};
  Log* log;
  std::string name;
  zx_signals_t observed = 0;
};

class TestLoopDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.AdvanceTo(zx::time(0));
    ASSERT_EQ(zx::event::create(0, &event_), ZX_OK);
  }

  size_t RunAll(async::TestLoopDispatcher* dispatcher) {
    size_t count = 0;
    while (dispatcher->DispatchNextDueMessage()) {
      ++count;
    }
    return count;
  }

  RecordingClock clock_;
  zx::event event_;
  Log log_;
};

TEST_F(TestLoopDispatcherTest, RegistersATimerForEachNewEarliestTask) {
  NamedTask late(&log_, "late", 50);
  NamedTask later(&log_, "later", 60);
  NamedTask early(&log_, "early", 20);
  async::TestLoopDispatcher dispatcher(&clock_);
  ASSERT_EQ(async_post_task(&dispatcher, &late.task), ZX_OK);
  ASSERT_EQ(async_post_task(&dispatcher, &later.task), ZX_OK);
  ASSERT_EQ(async_post_task(&dispatcher, &early.task), ZX_OK);
  EXPECT_EQ(clock_.registered, (std::vector<zx_time_t>{50, 20}));
  EXPECT_EQ(dispatcher.GetNextTaskDueTime(), zx::time(20));
  EXPECT_FALSE(dispatcher.HasPendingWork());

  clock_.AdvanceTo(zx::time(20));
  EXPECT_TRUE(dispatcher.HasPendingWork());
  EXPECT_TRUE(dispatcher.DispatchNextDueMessage());
  EXPECT_FALSE(dispatcher.DispatchNextDueMessage());
  // The end of the batch asks for the next deadline.
  EXPECT_EQ(clock_.registered.back(), 50);
  EXPECT_EQ(log_.entries, (std::vector<std::string>{"early"}));
}

TEST_F(TestLoopDispatcherTest, RunsOneHandlerPerCallAndNothingEarly) {
  NamedTask a(&log_, "a", 0);
  NamedTask b(&log_, "b", 0);
  NamedTask c(&log_, "c", 10);
  async::TestLoopDispatcher dispatcher(&clock_);
  async_post_task(&dispatcher, &a.task);
  async_post_task(&dispatcher, &b.task);
  async_post_task(&dispatcher, &c.task);
  EXPECT_TRUE(dispatcher.DispatchNextDueMessage());
  EXPECT_EQ(log_.entries, (std::vector<std::string>{"a"}));
  EXPECT_EQ(RunAll(&dispatcher), 1u);
  EXPECT_EQ(log_.entries, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(dispatcher.Now(), zx::time(0));
}

TEST_F(TestLoopDispatcherTest, CancelledTaskDoesNotRunAndItsTimerIsIgnored) {
  NamedTask a(&log_, "a", 5);
  async::TestLoopDispatcher dispatcher(&clock_);
  async_post_task(&dispatcher, &a.task);
  EXPECT_EQ(async_cancel_task(&dispatcher, &a.task), ZX_OK);
  EXPECT_EQ(async_cancel_task(&dispatcher, &a.task), ZX_ERR_NOT_FOUND);
  clock_.AdvanceTo(zx::time(5));
  EXPECT_FALSE(dispatcher.HasPendingWork());
  EXPECT_FALSE(dispatcher.DispatchNextDueMessage());
  EXPECT_TRUE(log_.entries.empty());
}

TEST_F(TestLoopDispatcherTest, TaskCanBeCancelledFromTheDueBatch) {
  NamedTask a(&log_, "a", 0);
  NamedTask b(&log_, "b", 0);
  async::TestLoopDispatcher dispatcher(&clock_);
  async_post_task(&dispatcher, &a.task);
  async_post_task(&dispatcher, &b.task);
  ASSERT_TRUE(dispatcher.DispatchNextDueMessage());  // a runs; b waits in the batch
  EXPECT_EQ(async_cancel_task(&dispatcher, &b.task), ZX_OK);
  EXPECT_FALSE(dispatcher.DispatchNextDueMessage());
  EXPECT_EQ(log_.entries, (std::vector<std::string>{"a"}));
}

TEST_F(TestLoopDispatcherTest, TasksAndWaitsRunInTheOrderTheyBecameReady) {
  NamedWait first_wait(&log_, "wait1", event_.get(), ZX_USER_SIGNAL_0);
  NamedTask task(&log_, "task", 0);
  NamedWait second_wait(&log_, "wait2", event_.get(), ZX_USER_SIGNAL_1);
  async::TestLoopDispatcher dispatcher(&clock_);
  ASSERT_EQ(async_begin_wait(&dispatcher, &first_wait.wait), ZX_OK);
  ASSERT_EQ(async_begin_wait(&dispatcher, &second_wait.wait), ZX_OK);
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(async_post_task(&dispatcher, &task.task), ZX_OK);
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_EQ(RunAll(&dispatcher), 3u);
  EXPECT_EQ(log_.entries, (std::vector<std::string>{"wait1", "task", "wait2"}));
  // `observed` is the whole signal state when the packet was queued.
  EXPECT_EQ(first_wait.observed & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_0);
  EXPECT_EQ(second_wait.observed & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
}

TEST_F(TestLoopDispatcherTest, WaitCancelledAfterItsPacketWasPeekedDoesNotRun) {
  NamedWait wait(&log_, "wait", event_.get(), ZX_USER_SIGNAL_0);
  async::TestLoopDispatcher dispatcher(&clock_);
  ASSERT_EQ(async_begin_wait(&dispatcher, &wait.wait), ZX_OK);
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_TRUE(dispatcher.HasPendingWork());  // takes the packet out of the port
  EXPECT_EQ(async_cancel_wait(&dispatcher, &wait.wait), ZX_OK);
  EXPECT_EQ(async_cancel_wait(&dispatcher, &wait.wait), ZX_ERR_NOT_FOUND);
  EXPECT_FALSE(dispatcher.DispatchNextDueMessage());
  EXPECT_TRUE(log_.entries.empty());
}

TEST_F(TestLoopDispatcherTest, WaitCancelledWithItsPacketQueuedDoesNotRun) {
  NamedWait wait(&log_, "wait", event_.get(), ZX_USER_SIGNAL_0);
  async::TestLoopDispatcher dispatcher(&clock_);
  ASSERT_EQ(async_begin_wait(&dispatcher, &wait.wait), ZX_OK);
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(async_cancel_wait(&dispatcher, &wait.wait), ZX_OK);
  EXPECT_FALSE(dispatcher.HasPendingWork());
  EXPECT_TRUE(log_.entries.empty());
}

TEST_F(TestLoopDispatcherTest, FailedBeginWaitLeavesNothingPending) {
  NamedWait wait(&log_, "wait", static_cast<zx_handle_t>(12345), ZX_USER_SIGNAL_0);
  async::TestLoopDispatcher dispatcher(&clock_);
  EXPECT_EQ(async_begin_wait(&dispatcher, &wait.wait), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(async_cancel_wait(&dispatcher, &wait.wait), ZX_ERR_NOT_FOUND);
  EXPECT_FALSE(dispatcher.HasPendingWork());
}

TEST_F(TestLoopDispatcherTest, ReceiversGetTheirPackets) {
  struct Received {
    async_receiver_t receiver = {};
    std::vector<uint64_t> first_words;
  } received;
  async::TestLoopDispatcher dispatcher(&clock_);
  received.receiver.handler = [](async_dispatcher_t*, async_receiver_t* receiver,
                                 zx_status_t status, const zx_packet_user_t* data) {
    EXPECT_EQ(status, ZX_OK);
    ASSERT_NE(data, nullptr);
    reinterpret_cast<Received*>(receiver)->first_words.push_back(data->u64[0]);
  };
  zx_packet_user_t data = {};
  data.u64[0] = 77;
  ASSERT_EQ(async_queue_packet(&dispatcher, &received.receiver, &data), ZX_OK);
  ASSERT_EQ(async_queue_packet(&dispatcher, &received.receiver, nullptr), ZX_OK);
  EXPECT_EQ(RunAll(&dispatcher), 2u);
  EXPECT_EQ(received.first_words, (std::vector<uint64_t>{77, 0}));
}

TEST_F(TestLoopDispatcherTest, DestructionCancelsWaitsThenDueThenPendingTasks) {
  auto dispatcher = std::make_unique<async::TestLoopDispatcher>(&clock_);
  NamedWait wait_a(&log_, "waitA", event_.get(), ZX_USER_SIGNAL_0);
  NamedWait wait_b(&log_, "waitB", event_.get(), ZX_USER_SIGNAL_0);
  NamedTask due_1(&log_, "due1", 0);
  NamedTask due_2(&log_, "due2", 0);
  NamedTask pending(&log_, "pending", 100);
  async_begin_wait(dispatcher.get(), &wait_a.wait);
  async_begin_wait(dispatcher.get(), &wait_b.wait);
  async_post_task(dispatcher.get(), &pending.task);
  async_post_task(dispatcher.get(), &due_1.task);
  async_post_task(dispatcher.get(), &due_2.task);
  ASSERT_TRUE(dispatcher->DispatchNextDueMessage());  // due1 runs, due2 stays in the batch
  dispatcher.reset();
  EXPECT_EQ(log_.entries, (std::vector<std::string>{"due1", "waitB:canceled", "waitA:canceled",
                                                    "due2:canceled", "pending:canceled"}));
  EXPECT_EQ(clock_.cancel_calls, 1);
}

TEST_F(TestLoopDispatcherTest, WorkPostedWhileCancellingIsCancelledToo) {
  auto dispatcher = std::make_unique<async::TestLoopDispatcher>(&clock_);
  struct Reposter {
    async_task_t task = {};
    async_task_t follow_up = {};
    int cancelled = 0;
  } reposter;
  reposter.task.handler = [](async_dispatcher_t* d, async_task_t* task, zx_status_t status) {
    auto* self = reinterpret_cast<Reposter*>(task);
    EXPECT_EQ(status, ZX_ERR_CANCELED);
    ++self->cancelled;
    EXPECT_EQ(async_post_task(d, &self->follow_up), ZX_OK);  // no shutdown state
  };
  reposter.follow_up.handler = [](async_dispatcher_t*, async_task_t* task, zx_status_t status) {
    auto* self =
        reinterpret_cast<Reposter*>(reinterpret_cast<char*>(task) - offsetof(Reposter, follow_up));
    EXPECT_EQ(status, ZX_ERR_CANCELED);
    ++self->cancelled;
  };
  reposter.task.deadline = 10;
  async_post_task(dispatcher.get(), &reposter.task);
  dispatcher.reset();
  EXPECT_EQ(reposter.cancelled, 2);
}

TEST_F(TestLoopDispatcherTest, NewTestLoopDispatcherMakesASubloop) {
  async_dispatcher_t* dispatcher = nullptr;
  async_test_subloop_t* subloop = nullptr;
  async::NewTestLoopDispatcher(&dispatcher, &subloop);
  ASSERT_NE(dispatcher, nullptr);
  ASSERT_NE(subloop, nullptr);
  subloop->ops->advance_time_to(subloop, 0);

  struct Probe {
    async_task_t task = {};
    async_dispatcher_t* default_seen = nullptr;
    zx_status_t status = ZX_ERR_INTERNAL;
  } probe;
  probe.task.handler = [](async_dispatcher_t*, async_task_t* task, zx_status_t status) {
    reinterpret_cast<Probe*>(task)->default_seen = async_get_default_dispatcher();
    reinterpret_cast<Probe*>(task)->status = status;
  };
  probe.task.deadline = 30;
  ASSERT_EQ(async_post_task(dispatcher, &probe.task), ZX_OK);
  EXPECT_EQ(subloop->ops->get_next_task_due_time(subloop), 30);
  EXPECT_EQ(subloop->ops->has_pending_work(subloop), 0);
  subloop->ops->advance_time_to(subloop, 30);
  EXPECT_EQ(async_now(dispatcher), 30);
  EXPECT_NE(subloop->ops->has_pending_work(subloop), 0);
  EXPECT_NE(subloop->ops->dispatch_next_due_message(subloop), 0);
  EXPECT_EQ(probe.status, ZX_OK);
  EXPECT_EQ(probe.default_seen, dispatcher);
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);  // restored

  ASSERT_EQ(async_post_task(dispatcher, &probe.task), ZX_OK);
  subloop->ops->finalize(subloop);
  EXPECT_EQ(probe.status, ZX_ERR_CANCELED);
}

}  // namespace
