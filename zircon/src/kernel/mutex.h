// The kernel's lock: std::mutex with Clang thread-safety annotations.
#ifndef ZIRCON_SRC_KERNEL_MUTEX_H_
#define ZIRCON_SRC_KERNEL_MUTEX_H_

#include <zircon/compiler.h>

#include <mutex>

namespace zircon::kernel {

// A non-recursive mutex. Thread-safe.
class __TA_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Acquire() __TA_ACQUIRE() { mutex_.lock(); }
  void Release() __TA_RELEASE() { mutex_.unlock(); }

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
