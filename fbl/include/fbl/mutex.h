// <fbl/mutex.h>: fbl::Mutex, a plain mutex that Clang's thread-safety analysis (-Wthread-safety)
// understands: fields marked `__TA_GUARDED(mutex_)` may only be touched while it is held.
//
// C++ only; a C translation unit that includes this header sees nothing.

#ifndef FBL_MUTEX_H_
#define FBL_MUTEX_H_

#ifdef __cplusplus

#include <zircon/assert.h>
#include <zircon/compiler.h>

#include <atomic>
#include <mutex>
#include <type_traits>

#include <fbl/macros.h>
#include <pthread.h>

namespace fbl {

// A non-recursive mutual-exclusion lock; hold it with fbl::AutoLock where possible. Acquiring it
// twice on one thread, or releasing it on a thread that does not hold it, is undefined behaviour.
// Neither copyable nor movable. Thread-safe.
//
// Linux: built on std::mutex (Fuchsia's wraps a C11 mtx_t, which it exposes through
// `GetInternal()`; portloop does not offer that accessor). Unlike Fuchsia's user-space Mutex it
// also remembers its holder, so that AssertHeld() can check at run time.
class __TA_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  ~Mutex() = default;

  // Blocks until the calling thread holds the mutex.
  void Acquire() __TA_ACQUIRE() {
    mutex_.lock();
    owner_.store(pthread_self(), std::memory_order_relaxed);
  }

  // Releases the mutex, which the calling thread holds.
  void Release() __TA_RELEASE() {
    owner_.store(kNoOwner, std::memory_order_relaxed);
    mutex_.unlock();
  }

  // Declares that the calling thread holds the mutex: the analysis then treats it as held, e.g.
  // where the mutex is reached through another name. With debug assertions enabled
  // (ZX_DEBUG_ASSERT_IMPLEMENTED) the process aborts if the calling thread does not hold it.
  void AssertHeld() const __TA_ASSERT() {
    ZX_DEBUG_ASSERT_MSG(owner_.load(std::memory_order_relaxed) == pthread_self(),
                        "fbl::Mutex is not held by the calling thread");
  }

  DISALLOW_COPY_ASSIGN_AND_MOVE(Mutex);

 private:
  // The holder is compared with `==`, which glibc's integral pthread_t allows.
  static_assert(std::is_integral_v<pthread_t>);
  // No live thread has this id: glibc's pthread_t is the address of the thread's descriptor.
  static constexpr pthread_t kNoOwner = 0;

  std::mutex mutex_;
  // The holding thread, or kNoOwner. Relaxed is enough because the only question asked is "is it
  // me?": the holder wrote its own id after locking and is the last writer until it clears it
  // before unlocking, and a thread always reads its own latest write, so the answer is exact for
  // the asking thread whatever stale value it might see from others.
  std::atomic<pthread_t> owner_{kNoOwner};
};

}  // namespace fbl

#endif  // __cplusplus

#endif  // FBL_MUTEX_H_
