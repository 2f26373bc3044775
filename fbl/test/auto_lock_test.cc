// fbl::AutoLock: holds its mutex for the scope, or until release().

#include <thread>
#include <type_traits>

#include <fbl/auto_lock.h>
#include <fbl/mutex.h>
#include <gtest/gtest.h>

namespace {

static_assert(!std::is_copy_constructible_v<fbl::AutoLock>);
static_assert(!std::is_move_constructible_v<fbl::AutoLock>);

// A value guarded by a mutex; every access goes through an AutoLock, which -Wthread-safety
// checks at compile time.
struct Guarded {
  void Set(int new_value) {
    fbl::AutoLock lock(&mutex);
    value = new_value;
  }
  int Get() {
    fbl::AutoLock lock(&mutex);
    return value;
  }

  fbl::Mutex mutex;
  int value __TA_GUARDED(mutex) = 0;
};

// Reads `guarded` on another thread, which must acquire the mutex to do so.
int GetOnAnotherThread(Guarded& guarded) {
  int result = -1;
  std::thread reader([&] { result = guarded.Get(); });
  reader.join();
  return result;
}

TEST(AutoLockTest, HoldsTheMutexForTheScope) {
  Guarded guarded;
  {
    fbl::AutoLock lock(&guarded.mutex);
    guarded.mutex.AssertHeld();
    guarded.value = 7;
  }
  // Would deadlock if the scope had not released the mutex.
  EXPECT_EQ(GetOnAnotherThread(guarded), 7);
}

TEST(AutoLockTest, ReleaseEndsTheHoldEarly) {
  Guarded guarded;
  guarded.Set(3);
  fbl::AutoLock lock(&guarded.mutex);
  guarded.value = 4;
  lock.release();

  EXPECT_EQ(GetOnAnotherThread(guarded), 4);
}

// The analysis rejects a second release() at compile time; this checks the run-time behaviour
// that code hiding it from the analysis gets.
void ReleaseTwice(fbl::AutoLock& lock) __TA_NO_THREAD_SAFETY_ANALYSIS {
  lock.release();
  lock.release();
}

TEST(AutoLockTest, ReleaseTwiceDoesNothingMore) {
  Guarded guarded;
  {
    fbl::AutoLock lock(&guarded.mutex);
    ReleaseTwice(lock);
  }
  EXPECT_EQ(GetOnAnotherThread(guarded), 0);
}

}  // namespace
