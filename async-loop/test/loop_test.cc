// The loop's life cycle: creation with each config, the default dispatcher, the run calls and
// their status codes, quit and reset_quit, and the prologue/epilogue hooks.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/default.h>
#include <lib/async-loop/loop.h>
#include <lib/async/default.h>
#include <lib/async/time.h>
#include <lib/zx/time.h>

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::HookLog;
using async_loop_test::MakeEvent;
using async_loop_test::QuitLoop;
using async_loop_test::TestReceiver;
using async_loop_test::TestTask;
using async_loop_test::TestWait;

struct NamedConfig {
  const char* name;
  const async_loop_config_t* config;
  bool attaches;  // makes the loop the creating thread's default dispatcher
};

// Every configuration the headers declare.
std::vector<NamedConfig> AllConfigs() {
  return {
      {"kAsyncLoopConfigAttachToThread", &kAsyncLoopConfigAttachToThread, true},
      {"kAsyncLoopConfigMakeDefault", &kAsyncLoopConfigMakeDefault, true},
      {"kAsyncLoopConfigAttachToCurrentThread", &kAsyncLoopConfigAttachToCurrentThread, true},
      {"kAsyncLoopConfigNoAttachToThread", &kAsyncLoopConfigNoAttachToThread, false},
      {"kAsyncLoopConfigNoAttachToCurrentThread", &kAsyncLoopConfigNoAttachToCurrentThread, false},
      {"kAsyncLoopConfigNeverAttachToThread", &kAsyncLoopConfigNeverAttachToThread, false},
  };
}

TEST(LoopTest, ConfigConstantsHaveTheirDocumentedValues) {
  for (const NamedConfig& named : AllConfigs()) {
    SCOPED_TRACE(named.name);
    EXPECT_EQ(named.config->make_default_for_current_thread, named.attaches);
    EXPECT_EQ(named.config->prologue, nullptr);
    EXPECT_EQ(named.config->epilogue, nullptr);
    EXPECT_EQ(named.config->data, nullptr);
  }
}

TEST(LoopTest, CreateAndDestroyWorkWithEveryConfig) {
  for (const NamedConfig& named : AllConfigs()) {
    SCOPED_TRACE(named.name);
    async_loop_t* loop = nullptr;
    ASSERT_EQ(async_loop_create(named.config, &loop), ZX_OK);
    ASSERT_NE(loop, nullptr);
    EXPECT_EQ(async_loop_get_state(loop), ASYNC_LOOP_RUNNABLE);
    EXPECT_EQ(async_get_default_dispatcher(),
              named.attaches ? async_loop_get_dispatcher(loop) : nullptr);
    async_loop_destroy(loop);
    EXPECT_EQ(async_get_default_dispatcher(), nullptr);
  }
}

TEST(LoopTest, AttachedLoopIsTheDefaultDispatcherUntilShutdown) {
  async::Loop loop(&kAsyncLoopConfigAttachToThread);
  EXPECT_EQ(async_get_default_dispatcher(), loop.dispatcher());

  loop.Shutdown();
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

TEST(LoopTest, ZeroedConfigWithMakeDefaultSetAttaches) {
  async_loop_config_t config{};
  config.make_default_for_current_thread = true;
  {
    async::Loop loop(&config);
    EXPECT_EQ(async_get_default_dispatcher(), loop.dispatcher());
  }
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

TEST(LoopTest, DestroyWithoutShutdownDetachesAnAttachedLoop) {
  async_loop_t* loop = nullptr;
  ASSERT_EQ(async_loop_create(&kAsyncLoopConfigAttachToThread, &loop), ZX_OK);
  ASSERT_EQ(async_get_default_dispatcher(), async_loop_get_dispatcher(loop));

  async_loop_destroy(loop);
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

TEST(LoopTest, UnattachedLoopLeavesTheDefaultDispatcherAlone) {
  async::Loop attached(&kAsyncLoopConfigAttachToThread);
  {
    async::Loop unattached(&kAsyncLoopConfigNoAttachToThread);
    EXPECT_EQ(async_get_default_dispatcher(), attached.dispatcher());
    unattached.Shutdown();
    EXPECT_EQ(async_get_default_dispatcher(), attached.dispatcher());
  }
  EXPECT_EQ(async_get_default_dispatcher(), attached.dispatcher());
}

TEST(LoopTest, ConfigIsCopiedAtCreation) {
  HookLog log;
  TestTask task;
  async_loop_config_t config{};
  async::Loop loop(&config);

  // Hooks added to the caller's struct after creation must not reach the loop.
  config = log.Config();
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_TRUE(log.entries().empty());
}

TEST(LoopTest, DispatcherAndLoopPointersRoundTrip) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  async_dispatcher_t* dispatcher = async_loop_get_dispatcher(loop.loop());

  EXPECT_EQ(loop.dispatcher(), dispatcher);
  EXPECT_EQ(async_loop_from_dispatcher(dispatcher), loop.loop());
  // The dispatcher is the loop's first member: both pointers name the same address.
  EXPECT_EQ(static_cast<void*>(dispatcher), static_cast<void*>(loop.loop()));
}

TEST(LoopTest, NowReadsTheMonotonicClock) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  zx_time_t before = zx_clock_get_monotonic();
  zx_time_t now = async_now(loop.dispatcher());
  zx_time_t after = zx_clock_get_monotonic();

  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

TEST(LoopTest, RunUntilIdleWithNothingToDoReturnsOk) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_RUNNABLE);
}

TEST(LoopTest, RunWithNothingToDoTimesOutAtItsDeadline) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(loop.Run(zx::time(0)), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(loop.Run(zx::deadline_after(zx::msec(1))), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(loop.Run(zx::deadline_after(zx::msec(1)), true), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(async_loop_run(loop.loop(), 0, false), ZX_ERR_TIMED_OUT);
}

TEST(LoopTest, RunOnceReturnsOkAfterOneUnitOfWork) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.Run(zx::time::infinite(), true), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_RUNNABLE);
}

TEST(LoopTest, RunOnceHandlesOneWaitPerCall) {
  zx::event event = MakeEvent();
  TestWait first(event.get(), ZX_USER_SIGNAL_0);
  TestWait second(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(first.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(async_loop_run(loop.loop(), ZX_TIME_INFINITE, true), ZX_OK);
  EXPECT_EQ(first.run_count + second.run_count, 1);
  EXPECT_EQ(async_loop_run(loop.loop(), ZX_TIME_INFINITE, true), ZX_OK);
  EXPECT_EQ(first.run_count, 1);
  EXPECT_EQ(second.run_count, 1);
}

TEST(LoopTest, RunOnceRunsEveryTaskOfTheDueBatch) {
  std::vector<int> order;
  TestTask first(2, [&](async_dispatcher_t*, zx_status_t) { order.push_back(1); });
  TestTask second(1, [&](async_dispatcher_t*, zx_status_t) { order.push_back(2); });
  TestTask third(3, [&](async_dispatcher_t*, zx_status_t) { order.push_back(3); });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(first.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(second.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(third.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.Run(zx::time::infinite(), true), ZX_OK);
  EXPECT_EQ(order, (std::vector<int>{2, 1, 3}));
}

TEST(LoopTest, RunReturnsCanceledWhenAHandlerQuits) {
  TestTask quitter(0, [](async_dispatcher_t* dispatcher, zx_status_t) { QuitLoop(dispatcher); });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(quitter.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(quitter.run_count, 1);
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_QUIT);
  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
}

TEST(LoopTest, QuitMakesEveryRunReturnCanceledAtOnce) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  loop.Quit();
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_QUIT);
  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(loop.Run(zx::time::infinite(), true), ZX_ERR_CANCELED);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_ERR_CANCELED);
  EXPECT_EQ(task.run_count, 0);
  loop.Quit();  // quitting again changes nothing
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_QUIT);
}

TEST(LoopTest, ResetQuitMakesTheLoopRunnableAgain) {
  TestTask task;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(loop.ResetQuit(), ZX_OK);  // already runnable
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  loop.Quit();

  EXPECT_EQ(loop.ResetQuit(), ZX_OK);
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_RUNNABLE);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
}

TEST(LoopTest, ResetQuitFromAHandlerReturnsBadState) {
  zx_status_t reset_status = ZX_ERR_INTERNAL;
  TestTask task(0, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    QuitLoop(dispatcher);
    reset_status = async_loop_reset_quit(async_loop_from_dispatcher(dispatcher));
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_ERR_CANCELED);
  EXPECT_EQ(reset_status, ZX_ERR_BAD_STATE);
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_QUIT);
  EXPECT_EQ(loop.ResetQuit(), ZX_OK);  // no thread runs the loop any more
}

TEST(LoopTest, WorkAddedWhileQuitRunsAfterResetQuit) {
  zx::event event = MakeEvent();
  TestTask task;
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  TestReceiver receiver;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Quit();

  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(receiver.Queue(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_ERR_CANCELED);
  EXPECT_EQ(task.run_count + wait.run_count, 0);

  ASSERT_EQ(loop.ResetQuit(), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(receiver.delivery_count(), 1u);
}

TEST(LoopTest, WakeUpLeftByAQuitFromAHandlerIsHarmless) {
  TestTask quitter(0, [](async_dispatcher_t* dispatcher, zx_status_t) { QuitLoop(dispatcher); });
  TestTask later;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(quitter.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(loop.Run(), ZX_ERR_CANCELED);
  ASSERT_EQ(loop.ResetQuit(), ZX_OK);

  EXPECT_EQ(loop.Run(zx::deadline_after(zx::msec(1))), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_RUNNABLE);
  ASSERT_EQ(later.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(later.run_count, 1);
  EXPECT_EQ(quitter.run_count, 1);
}

TEST(LoopTest, ShutdownMakesRunAndResetQuitReturnBadState) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Quit();
  loop.Shutdown();
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_SHUTDOWN);

  EXPECT_EQ(loop.Run(), ZX_ERR_BAD_STATE);
  EXPECT_EQ(loop.Run(zx::time::infinite(), true), ZX_ERR_BAD_STATE);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_ERR_BAD_STATE);
  EXPECT_EQ(loop.ResetQuit(), ZX_ERR_BAD_STATE);
  loop.Quit();
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_SHUTDOWN);
}

TEST(LoopTest, PrologueAndEpilogueSurroundEveryHandler) {
  HookLog log;
  zx::event event = MakeEvent();
  TestTask task(0, [&](async_dispatcher_t*, zx_status_t) { log.Add("task"); });
  TestWait wait(
      event.get(), ZX_USER_SIGNAL_0,
      [&](async_dispatcher_t*, zx_status_t, const zx_packet_signal_t*) { log.Add("wait"); });
  TestReceiver receiver(
      [&](async_dispatcher_t*, zx_status_t, const zx_packet_user_t*) { log.Add("receiver"); });
  async_loop_config_t config = log.Config();
  async::Loop loop(&config);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(receiver.Queue(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(loop.RunUntilIdle(), ZX_OK);

  std::vector<std::string> entries = log.entries();
  ASSERT_EQ(entries.size(), 9u);
  std::vector<std::string> handlers;
  for (size_t i = 0; i < entries.size(); i += 3) {
    EXPECT_EQ(entries[i], "prologue");
    handlers.push_back(entries[i + 1]);
    EXPECT_EQ(entries[i + 2], "epilogue");
  }
  EXPECT_THAT(handlers, ::testing::UnorderedElementsAre("task", "wait", "receiver"));
  EXPECT_EQ(log.loops(), std::vector<async_loop_t*>(6, loop.loop()));
}

TEST(LoopTest, PrologueAndEpilogueSurroundShutdownCancellations) {
  HookLog log;
  zx::event event = MakeEvent();
  TestTask task(async_loop_test::FarFuture(),
                [&](async_dispatcher_t*, zx_status_t) { log.Add("task"); });
  TestWait wait(
      event.get(), ZX_USER_SIGNAL_0,
      [&](async_dispatcher_t*, zx_status_t, const zx_packet_signal_t*) { log.Add("wait"); });
  async_loop_config_t config = log.Config();
  async::Loop loop(&config);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(log.entries(), (std::vector<std::string>{"prologue", "wait", "epilogue", "prologue",
                                                     "task", "epilogue"}));
  EXPECT_EQ(log.loops(), std::vector<async_loop_t*>(4, loop.loop()));
}

TEST(LoopTest, HooksAreNotCalledWhenNoHandlerRuns) {
  HookLog log;
  TestTask cancelled;
  async_loop_config_t config = log.Config();
  async::Loop loop(&config);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(cancelled.Post(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(cancelled.Cancel(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(loop.Run(zx::deadline_after(zx::msec(1))), ZX_ERR_TIMED_OUT);

  loop.Shutdown();
  EXPECT_TRUE(log.entries().empty());
}

}  // namespace
