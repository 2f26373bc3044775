// fbl::Mutex: mutual exclusion, and AssertHeld()'s run-time check.

#include <zircon/assert.h>

#include <latch>
#include <thread>
#include <vector>

#include <fbl/mutex.h>
#include <gtest/gtest.h>

namespace {

// A counter whose every access needs `mutex`; -Wthread-safety checks the annotations at compile
// time, and the test checks that no increment is lost at run time.
struct GuardedCounter {
  void Increment() {
    mutex.Acquire();
    value++;
    mutex.Release();
  }
  int Read() {
    mutex.Acquire();
    int result = value;
    mutex.Release();
    return result;
  }

  fbl::Mutex mutex;
  int value __TA_GUARDED(mutex) = 0;
};

TEST(MutexTest, ExcludesOtherThreads) {
  constexpr int kThreads = 4;
  constexpr int kIncrements = 10000;
  GuardedCounter counter;

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; i++) {
    threads.emplace_back([&counter] {
      for (int j = 0; j < kIncrements; j++) {
        counter.Increment();
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(counter.Read(), kThreads * kIncrements);
}

TEST(MutexTest, AssertHeldPassesWhileHeld) {
  fbl::Mutex mutex;
  mutex.Acquire();
  mutex.AssertHeld();
  mutex.Release();
}

TEST(MutexTest, AssertHeldAbortsWhenNotHeld) {
  if (!ZX_DEBUG_ASSERT_IMPLEMENTED) {
    GTEST_SKIP() << "debug assertions are compiled out";
  }
  fbl::Mutex mutex;
  EXPECT_DEATH(mutex.AssertHeld(), "not held by the calling thread");
}

TEST(MutexTest, AssertHeldAbortsWhenHeldByAnotherThread) {
  if (!ZX_DEBUG_ASSERT_IMPLEMENTED) {
    GTEST_SKIP() << "debug assertions are compiled out";
  }
  fbl::Mutex mutex;
  std::latch acquired(1);
  std::latch may_release(1);
  std::thread holder([&] {
    mutex.Acquire();
    acquired.count_down();
    may_release.wait();
    mutex.Release();
  });
  acquired.wait();

  EXPECT_DEATH(mutex.AssertHeld(), "not held by the calling thread");
  may_release.count_down();
  holder.join();
}

}  // namespace
