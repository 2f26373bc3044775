// The kernel's lock, and futex wake-ups deferred until the thread holds no kernel lock.
#ifndef ZIRCON_SRC_KERNEL_MUTEX_H_
#define ZIRCON_SRC_KERNEL_MUTEX_H_

#include <zircon/compiler.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace zircon::kernel {

namespace internal {
// Kernel locks the calling thread holds; deferred wake-ups run when it drops to zero.
extern thread_local uint32_t t_locks_held;
void RunDeferredWakes();
}  // namespace internal

// Wakes one thread sleeping on `word` once the calling thread holds no kernel lock (at once if
// it holds none). A thread woken while its waker still holds the lock it needs next would
// block again on that lock and cost a second cross-CPU wake-up; deferring avoids that.
// `word` need not outlive the call's effect: a futex wake on a dead address is at worst a
// spurious wake-up for its next user, which futex users tolerate.
void WakeWhenUnlocked(std::atomic<uint32_t>* word);

// Work deferred by RunWhenUnlocked: `action(arg)`.
using DeferredAction = void (*)(void* arg);

// Runs `action(arg)` once the calling thread holds no kernel lock (at once if it holds none):
// the sibling of WakeWhenUnlocked for wake-ups that are not futexes, such as writing the eventfd
// that a thread blocked in epoll_wait watches. If the thread's short list of deferred work is
// full, `action` runs at once, under the locks held, so it must take no kernel lock itself.
// `action` keeps whatever `arg` points to alive on its own (a reference it then drops).
void RunWhenUnlocked(DeferredAction action, void* arg);

// A non-recursive mutex. Thread-safe.
class __TA_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Acquire() __TA_ACQUIRE() {
    mutex_.lock();
    ++internal::t_locks_held;
  }
  void Release() __TA_RELEASE() {
    mutex_.unlock();
    if (--internal::t_locks_held == 0) {
      internal::RunDeferredWakes();
    }
  }

  // Tells the thread-safety analysis that this mutex is held: for a lock reached through another
  // name, as peered objects reach their shared lock through the peer.
  void AssertHeld() const __TA_ASSERT() {}

 private:
  std::mutex mutex_;
};

// Holds a Mutex for the lifetime of the scope.
class __TA_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mutex) __TA_ACQUIRE(mutex) : mutex_(mutex) { mutex_->Acquire(); }
  ~MutexLock() __TA_RELEASE() { mutex_->Release(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mutex_;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_MUTEX_H_
