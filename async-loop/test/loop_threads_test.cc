// Loops run by several threads: started threads, their names and default dispatcher, quitting
// and joining them, and which handlers may run concurrently.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/default.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pthread.h>
#include <threads.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::ConcurrencyProbe;
using async_loop_test::Counter;
using async_loop_test::MakeEvent;
using async_loop_test::QuitLoop;
using async_loop_test::Rendezvous;
using async_loop_test::TestReceiver;
using async_loop_test::TestTask;
using async_loop_test::TestWait;

constexpr int kThreads = 4;

std::string CurrentThreadName() {
  char name[64] = {};
  EXPECT_EQ(pthread_getname_np(pthread_self(), name, sizeof(name)), 0);
  return name;
}

TEST(LoopThreadsTest, StartedThreadsHaveTheLoopAsDefaultDispatcher) {
  for (const async_loop_config_t* config :
       {&kAsyncLoopConfigNoAttachToThread, &kAsyncLoopConfigNeverAttachToThread}) {
    async_dispatcher_t* seen = nullptr;
    TestTask task(0, [&](async_dispatcher_t* dispatcher, zx_status_t) {
      seen = async_get_default_dispatcher();
      QuitLoop(dispatcher);
    });
    async::Loop loop(config);
    ASSERT_EQ(loop.StartThread(), ZX_OK);
    ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
    loop.JoinThreads();

    EXPECT_EQ(task.run_count, 1);
    EXPECT_EQ(seen, loop.dispatcher());
    EXPECT_EQ(async_get_default_dispatcher(), nullptr);  // the creating thread is not attached
  }
}

TEST(LoopThreadsTest, StartedThreadHasItsNameAndIsTheThreadReported) {
  std::string name;
  thrd_t handler_thread{};
  TestTask task(0, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    name = CurrentThreadName();
    handler_thread = thrd_current();
    QuitLoop(dispatcher);
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  thrd_t thread{};
  ASSERT_EQ(loop.StartThread("loop-worker", &thread), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  loop.JoinThreads();

  EXPECT_EQ(name, "loop-worker");
  EXPECT_TRUE(thrd_equal(handler_thread, thread));
}

TEST(LoopThreadsTest, ThreadsCanBeStartedWithoutANameThroughTheCApi) {
  TestTask task(0, [](async_dispatcher_t* dispatcher, zx_status_t) { QuitLoop(dispatcher); });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(async_loop_start_thread(loop.loop(), nullptr, nullptr), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  async_loop_join_threads(loop.loop());
  EXPECT_EQ(task.run_count, 1);
}

TEST(LoopThreadsTest, QuitStopsEveryThreadAndJoinReturns) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < kThreads; i++) {
    ASSERT_EQ(loop.StartThread(), ZX_OK);
  }

  loop.Quit();
  loop.JoinThreads();
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_QUIT);
  loop.JoinThreads();  // nothing left to join
}

TEST(LoopThreadsTest, ThreadStartedAfterQuitExitsAtOnce) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Quit();

  thrd_t thread{};
  EXPECT_EQ(loop.StartThread("late", &thread), ZX_OK);
  loop.JoinThreads();
  EXPECT_EQ(loop.GetState(), ASYNC_LOOP_QUIT);
}

TEST(LoopThreadsTest, LoopRunsAgainOnNewThreadsAfterResetQuit) {
  TestTask task(0, [](async_dispatcher_t* dispatcher, zx_status_t) { QuitLoop(dispatcher); });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(loop.StartThread(), ZX_OK);
  loop.Quit();
  loop.JoinThreads();

  ASSERT_EQ(loop.ResetQuit(), ZX_OK);
  ASSERT_EQ(loop.StartThread(), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  loop.JoinThreads();
  EXPECT_EQ(task.run_count, 1);
}

TEST(LoopThreadsTest, WorkPostedFromAnotherThreadRuns) {
  zx::event event = MakeEvent();
  Counter done;
  TestTask task(0, [&](async_dispatcher_t*, zx_status_t) { done.Increment(); });
  TestWait wait(
      event.get(), ZX_USER_SIGNAL_0,
      [&](async_dispatcher_t*, zx_status_t, const zx_packet_signal_t*) { done.Increment(); });
  TestReceiver receiver(
      [&](async_dispatcher_t*, zx_status_t, const zx_packet_user_t*) { done.Increment(); });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(loop.StartThread(), ZX_OK);

  std::thread poster([&] {
    EXPECT_EQ(task.Post(loop.dispatcher()), ZX_OK);
    EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
    EXPECT_EQ(receiver.Queue(loop.dispatcher()), ZX_OK);
    EXPECT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  });
  poster.join();
  EXPECT_TRUE(done.WaitFor(3));
  loop.Shutdown();
  EXPECT_EQ(task.run_count, 1);
  EXPECT_EQ(wait.run_count, 1);
}

TEST(LoopThreadsTest, TaskHandlersNeverOverlap) {
  constexpr int kTasks = 200;
  ConcurrencyProbe probe;
  Counter finished;
  std::vector<std::unique_ptr<TestTask>> tasks;
  for (int i = 0; i < kTasks; i++) {
    tasks.push_back(std::make_unique<TestTask>(0, [&](async_dispatcher_t*, zx_status_t) {
      probe.Enter();
      for (int spin = 0; spin < 100; spin++) {
        std::this_thread::yield();  // give another thread the chance to overlap
      }
      probe.Leave();
      finished.Increment();
    }));
  }
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < kThreads; i++) {
    ASSERT_EQ(loop.StartThread(), ZX_OK);
  }
  // Posted while the threads run, each due and earlier than the last, so that every post moves
  // the earliest deadline and expires the timer again, often while another thread dispatches.
  for (int i = 0; i < kTasks; i++) {
    tasks[i]->deadline = kTasks - i;
    ASSERT_EQ(tasks[i]->Post(loop.dispatcher()), ZX_OK);
  }

  EXPECT_TRUE(finished.WaitFor(kTasks));
  loop.Shutdown();
  EXPECT_EQ(probe.max(), 1);
}

TEST(LoopThreadsTest, WaitHandlersRunConcurrently) {
  zx::event event = MakeEvent();
  ConcurrencyProbe probe;
  Rendezvous rendezvous(2);
  Counter finished;
  std::vector<std::unique_ptr<TestWait>> waits;
  for (int i = 0; i < kThreads; i++) {
    waits.push_back(std::make_unique<TestWait>(
        event.get(), ZX_USER_SIGNAL_0,
        [&](async_dispatcher_t*, zx_status_t, const zx_packet_signal_t*) {
          probe.Enter();
          EXPECT_TRUE(rendezvous.Arrive()) << "no other wait handler ran at the same time";
          probe.Leave();
          finished.Increment();
        }));
  }
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < kThreads; i++) {
    ASSERT_EQ(loop.StartThread(), ZX_OK);
  }
  for (auto& wait : waits) {
    ASSERT_EQ(wait->Begin(loop.dispatcher()), ZX_OK);
  }

  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_TRUE(finished.WaitFor(kThreads));
  loop.Shutdown();
  EXPECT_GT(probe.max(), 1);
}

TEST(LoopThreadsTest, ReceiverHandlersRunConcurrently) {
  ConcurrencyProbe probe;
  Rendezvous rendezvous(2);
  Counter finished;
  TestReceiver receiver([&](async_dispatcher_t*, zx_status_t, const zx_packet_user_t*) {
    probe.Enter();
    EXPECT_TRUE(rendezvous.Arrive()) << "no other receiver handler ran at the same time";
    probe.Leave();
    finished.Increment();
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < kThreads; i++) {
    ASSERT_EQ(loop.StartThread(), ZX_OK);
  }

  for (int i = 0; i < kThreads; i++) {
    ASSERT_EQ(receiver.Queue(loop.dispatcher()), ZX_OK);  // one receiver, several packets
  }
  EXPECT_TRUE(finished.WaitFor(kThreads));
  loop.Shutdown();
  EXPECT_GT(probe.max(), 1);
  EXPECT_EQ(receiver.delivery_count(), static_cast<size_t>(kThreads));
}

TEST(LoopThreadsTest, HooksRunOnTheThreadOfTheHandler) {
  // Read only after the loop's thread was joined.
  struct Hooks {
    std::vector<std::thread::id> threads;
    static void Record(async_loop_t*, void* data) {
      static_cast<Hooks*>(data)->threads.push_back(std::this_thread::get_id());
    }
  } hooks;
  std::thread::id handler_thread;
  TestTask task(0, [&](async_dispatcher_t* dispatcher, zx_status_t) {
    handler_thread = std::this_thread::get_id();
    QuitLoop(dispatcher);
  });
  async_loop_config_t config{};
  config.prologue = &Hooks::Record;
  config.epilogue = &Hooks::Record;
  config.data = &hooks;
  async::Loop loop(&config);
  ASSERT_EQ(loop.StartThread(), ZX_OK);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);

  loop.JoinThreads();
  EXPECT_NE(handler_thread, std::this_thread::get_id());
  EXPECT_EQ(hooks.threads, std::vector<std::thread::id>(2, handler_thread));
}

}  // namespace
