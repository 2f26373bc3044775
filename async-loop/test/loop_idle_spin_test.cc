// async_loop_set_idle_spin: argument checks, and a spinning loop still delivers everything once.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/linux/idle_spin.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::MakeEvent;
using async_loop_test::TestTask;
using async_loop_test::TestWait;

TEST(LoopIdleSpinTest, ChecksItsArguments) {
  EXPECT_EQ(async_loop_set_idle_spin(nullptr, 0), ZX_ERR_INVALID_ARGS);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(async_loop_set_idle_spin(loop.loop(), -1), ZX_ERR_OUT_OF_RANGE);
  EXPECT_EQ(async_loop_set_idle_spin(loop.loop(), ZX_SEC(2)), ZX_ERR_OUT_OF_RANGE);
  EXPECT_EQ(async_loop_set_idle_spin(loop.loop(), ZX_USEC(50)), ZX_OK);
  EXPECT_EQ(async_loop_set_idle_spin(loop.loop(), 0), ZX_OK);
}

// A ping-pong between this thread and a spinning loop thread: every task and every wait runs
// exactly once, whether it arrives while the loop spins or after it went to sleep.
TEST(LoopIdleSpinTest, ASpinningLoopRunsEveryTaskAndWaitOnce) {
  constexpr int kRounds = 2000;
  zx::event ping = MakeEvent();
  std::atomic<int> tasks_ran{0};
  std::atomic<int> waits_ran{0};
  TestTask task(0, [&](async_dispatcher_t*, zx_status_t status) {
    EXPECT_EQ(status, ZX_OK);
    tasks_ran.fetch_add(1, std::memory_order_release);
  });
  TestWait wait(ping.get(), ZX_USER_SIGNAL_0,
                [&](async_dispatcher_t*, zx_status_t status, const zx_packet_signal_t*) {
                  EXPECT_EQ(status, ZX_OK);
                  EXPECT_EQ(ping.signal(ZX_USER_SIGNAL_0, 0u), ZX_OK);
                  waits_ran.fetch_add(1, std::memory_order_release);
                });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(async_loop_set_idle_spin(loop.loop(), ZX_USEC(100)), ZX_OK);
  ASSERT_EQ(loop.StartThread("spinning-loop"), ZX_OK);
  for (int round = 1; round <= kRounds; ++round) {
    ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
    ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
    ASSERT_EQ(ping.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
    while (tasks_ran.load(std::memory_order_acquire) < round ||
           waits_ran.load(std::memory_order_acquire) < round) {
      if (round % 2 == 0) {
        std::this_thread::yield();  // even rounds: catch the loop while it spins
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(300));  // odd: after it slept
      }
    }
  }
  loop.Quit();
  loop.JoinThreads();
  EXPECT_EQ(tasks_ran.load(), kRounds);
  EXPECT_EQ(waits_ran.load(), kRounds);
}

}  // namespace
