// <fbl/auto_lock.h>: fbl::AutoLock, which holds an fbl::Mutex for the rest of a scope.
//
// C++ only; a C translation unit that includes this header sees nothing.

#ifndef FBL_AUTO_LOCK_H_
#define FBL_AUTO_LOCK_H_

#ifdef __cplusplus

#include <zircon/compiler.h>

#include <fbl/macros.h>
#include <fbl/mutex.h>

namespace fbl {

// Acquires a mutex on construction and releases it on destruction, or earlier with release().
// The thread-safety analysis treats the mutex as held for exactly that span. Neither copyable nor
// movable. Thread-compatible: use an AutoLock only on the thread that created it.
class __TA_SCOPED_CAPABILITY AutoLock {
 public:
  // Blocks until the calling thread holds `*mutex`, which must outlive this object.
  explicit AutoLock(Mutex* mutex) __TA_ACQUIRE(mutex) : mutex_(mutex) { mutex_->Acquire(); }

  // Releases the mutex unless release() already did.
  ~AutoLock() __TA_RELEASE() { release(); }

  // Releases the mutex now instead of at the end of the scope. Calling it again does nothing.
  void release() __TA_RELEASE() {
    if (mutex_ != nullptr) {
      mutex_->Release();
      mutex_ = nullptr;
    }
  }

  DISALLOW_COPY_ASSIGN_AND_MOVE(AutoLock);

 private:
  Mutex* mutex_;  // nullptr once released
};

}  // namespace fbl

#endif  // __cplusplus

#endif  // FBL_AUTO_LOCK_H_
