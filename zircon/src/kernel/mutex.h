// The kernel's lock, futex wake-ups deferred until the thread holds no kernel lock, and kills
// (zx_task_kill) deferred until the thread has left the kernel.
#ifndef ZIRCON_SRC_KERNEL_MUTEX_H_
#define ZIRCON_SRC_KERNEL_MUTEX_H_

#include <zircon/compiler.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace zircon::kernel {

namespace internal {
// Kernel locks the calling thread holds; deferred wake-ups run when it drops to zero.
extern constinit thread_local uint32_t t_locks_held;
void RunDeferredWakes();

// How deep the calling thread is in the kernel: the kernel locks it holds or is acquiring, plus
// the SyscallScopes it is in. While it is above zero a kill waits (see thread.cc). Written only by
// its thread; read by the kill signal's handler on that thread, hence atomic (relaxed, with signal
// fences: the handler runs on the same thread, so only the compiler must not reorder).
// Initial-exec: the handler reads it, and must not make glibc allocate a TLS block; constinit: no
// TLS wrapper call on the lock's fast path.
extern constinit thread_local std::atomic<uint32_t> t_kernel_depth
    __attribute__((tls_model("initial-exec")));

// Set when the calling thread is to be killed: by zx_task_kill, from any thread (through the
// pointer the thread registered), before it sends the kill signal.
extern constinit thread_local std::atomic<bool> t_kill_pending
    __attribute__((tls_model("initial-exec")));

// Called when the calling thread leaves the kernel with a kill pending: ends the thread, unless it
// is not in the entry point given to zx_thread_start (then it returns). Defined in thread.cc.
void OnKillPendingOutsideKernel();

inline void EnterKernel() {
  t_kernel_depth.store(t_kernel_depth.load(std::memory_order_relaxed) + 1,
                       std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);  // before whatever the kernel does next
}

inline void LeaveKernel() {
  std::atomic_signal_fence(std::memory_order_seq_cst);  // after whatever the kernel did
  const uint32_t depth = t_kernel_depth.load(std::memory_order_relaxed) - 1;
  t_kernel_depth.store(depth, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  // acquire: pairs with the release store of zx_task_kill on another thread.
  if (depth == 0 && t_kill_pending.load(std::memory_order_acquire)) {
    OnKillPendingOutsideKernel();
  }
}
}  // namespace internal

// Whether the calling thread is being killed (zx_task_kill). Kernel waits check it each time they
// wake, and return early, undoing what they registered, so that the thread can end as it leaves
// the kernel; Linux sleeps of a thread being killed are interrupted (see linux/futex.h).
inline bool KillPending() { return internal::t_kill_pending.load(std::memory_order_acquire); }

// Marks the calling thread as in the kernel for the scope's lifetime: a zx_task_kill of the thread
// waits until the scope ends, and then ends the thread there (the destructor does not return).
// Every zx_* entry point that touches handles or objects opens one first, so that a kill never
// leaves a reference, a half-made handle or a registered observer behind. Thread-compatible.
class SyscallScope {
 public:
  SyscallScope() { internal::EnterKernel(); }
  ~SyscallScope() { internal::LeaveKernel(); }
  SyscallScope(const SyscallScope&) = delete;
  SyscallScope& operator=(const SyscallScope&) = delete;
};

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
//
// The thread counts as in the kernel from before it starts acquiring until after its deferred
// wake-ups have run, so a kill never ends a thread that holds a lock or owes a wake-up.
class __TA_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Acquire() __TA_ACQUIRE() {
    internal::EnterKernel();
    mutex_.lock();
    ++internal::t_locks_held;
  }
  void Release() __TA_RELEASE() {
    mutex_.unlock();
    if (--internal::t_locks_held == 0) {
      internal::RunDeferredWakes();
    }
    internal::LeaveKernel();
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
