// Posting races on the lock-free inbox: the same task posted from two threads at once, and posts
// racing shutdown. Each post either is accepted (and its handler then runs exactly once, with
// ZX_OK or ZX_ERR_CANCELED) or fails without the handler ever running.
//
// Meant for the tsan preset. PORTLOOP_STRESS_SCALE multiplies the iteration counts.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/task.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::StressScale;

struct CountedTask : async_task_t {
  std::atomic<int> ran_ok{0};
  std::atomic<int> ran_cancelled{0};

  CountedTask() : async_task_t{} {
    handler = [](async_dispatcher_t*, async_task_t* task, zx_status_t status) {
      auto* self = static_cast<CountedTask*>(task);
      (status == ZX_OK ? self->ran_ok : self->ran_cancelled).fetch_add(1);
    };
  }
};

TEST(LoopPostRaceTest, TheSameTaskPostedFromTwoThreadsIsAcceptedOnce) {
  const int rounds = 2000 * StressScale();
  for (int round = 0; round < rounds; ++round) {
    CountedTask task;
    task.deadline = zx_deadline_after(ZX_HOUR(1));  // stays pending: only the posts race
    async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
    std::atomic<int> accepted{0};
    std::atomic<int> refused{0};
    std::atomic<bool> go{false};
    auto post = [&] {
      while (!go.load(std::memory_order_acquire)) {
      }
      const zx_status_t status = async_post_task(loop.dispatcher(), &task);
      if (status == ZX_OK) {
        accepted.fetch_add(1);
      } else {
        EXPECT_EQ(status, ZX_ERR_ALREADY_EXISTS);
        refused.fetch_add(1);
      }
    };
    std::thread a(post);
    std::thread b(post);
    go.store(true, std::memory_order_release);
    a.join();
    b.join();
    ASSERT_EQ(accepted.load(), 1) << "round " << round;
    ASSERT_EQ(refused.load(), 1);
    EXPECT_EQ(async_cancel_task(loop.dispatcher(), &task), ZX_OK);
    EXPECT_EQ(async_cancel_task(loop.dispatcher(), &task), ZX_ERR_NOT_FOUND);
  }
}

TEST(LoopPostRaceTest, PostsRacingShutdownRunOnceOrFail) {
  const int rounds = 200 * StressScale();
  constexpr int kPosters = 3;
  constexpr int kTasksPerPoster = 200;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::unique_ptr<CountedTask>> tasks;
    for (int i = 0; i < kPosters * kTasksPerPoster; ++i) {
      tasks.push_back(std::make_unique<CountedTask>());
      // Half due at once (they race the loop thread too), half far in the future.
      tasks.back()->deadline = i % 2 == 0 ? 0 : zx_deadline_after(ZX_HOUR(1));
    }
    std::vector<std::atomic<zx_status_t>> results(tasks.size());
    auto loop = std::make_unique<async::Loop>(&kAsyncLoopConfigNoAttachToThread);
    ASSERT_EQ(loop->StartThread(), ZX_OK);
    std::vector<std::thread> posters;
    for (int p = 0; p < kPosters; ++p) {
      posters.emplace_back([&, p] {
        for (int i = p * kTasksPerPoster; i < (p + 1) * kTasksPerPoster; ++i) {
          results[i].store(async_post_task(loop->dispatcher(), tasks[i].get()));
        }
      });
    }
    std::this_thread::yield();
    loop->Shutdown();
    for (std::thread& poster : posters) {
      poster.join();
    }
    for (size_t i = 0; i < tasks.size(); ++i) {
      const zx_status_t status = results[i].load();
      const int runs = tasks[i]->ran_ok.load() + tasks[i]->ran_cancelled.load();
      if (status == ZX_OK) {
        ASSERT_EQ(runs, 1) << "round " << round << " task " << i;
      } else {
        ASSERT_EQ(status, ZX_ERR_BAD_STATE) << "round " << round << " task " << i;
        ASSERT_EQ(runs, 0) << "round " << round << " task " << i;
      }
    }
  }
}

}  // namespace
