// Threads of this process as Zircon thread objects: zx_thread_create/start/self/kill and the
// per-thread state that exception delivery needs.
#ifndef ZIRCON_SRC_KERNEL_THREAD_H_
#define ZIRCON_SRC_KERNEL_THREAD_H_

#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <atomic>
#include <cstdint>

#include <pthread.h>
#include <signal.h>
#include <sys/types.h>

#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/port.h"

namespace zircon::kernel {

// What the faulting thread does once its exception is answered (the futex word it parks on).
enum class FaultAnswer : uint32_t {
  kWaiting = 0,  // no answer yet
  kResume,       // return from the signal handler: the instruction runs again
  kPassOn,       // no port took it: chain to the previous handler or the default action
  kKill,         // zx_task_kill: leave the thread's entry point and end the thread
};

// The record a faulting thread fills in its signal handler. Pre-allocated in the Thread, so the
// handler neither allocates nor locks. Written by the faulting thread before it publishes the
// record (release), read by the exception code after it takes it (acquire).
struct FaultRecord {
  std::atomic<uint32_t> answer{0};   // a FaultAnswer; the futex the thread parks on
  std::atomic<bool> pending{false};  // published, not yet finished
  int signo = 0;
  zx_exception_report_t report = {};
  class Thread* next_posted = nullptr;  // link in the list of posted faults
};

// A thread of this process. Either started by zx_thread_start (a pthread that runs `entry` on
// the caller's stack) or adopted by zx_thread_self() (any other thread, the main thread
// included). Asserts ZX_THREAD_TERMINATED, for good, once the thread has ended. Thread-safe.
//
// Linux: zx_task_kill ends a running thread that zx_thread_start started by sending it the kill
// signal, SIGRTMIN + 9 (linux::KillSignal(); see thread.cc for the protocol). A thread that blocks
// that signal is killed once it unblocks it.
class Thread final : public Object {
 public:
  // zx_thread_create: a new, not yet started thread. Returns null if out of memory.
  static RefPtr<Thread> Create(const char* name, size_t name_size);

  // The calling thread's object, or null if it has none (it was neither started by portloop
  // nor called zx_thread_self()). Async-signal-safe.
  static Thread* Current();

  // The calling thread's object, adopting the thread (and setting up its alternate signal
  // stack) on first call. The object lives until the thread exits. Null if out of memory.
  static Thread* CurrentOrAdopt();

  // The handle zx_thread_self() returns for the calling thread: created once per thread, owned
  // by portloop (do not close it); it is closed when the thread exits.
  zx_handle_t self_handle();

  // zx_thread_start: runs `entry(arg1, arg2)` on `stack` in a new pthread. When `entry`
  // returns, the thread ends.
  // Returns ZX_ERR_BAD_STATE if the thread was already started or killed.
  // Returns ZX_ERR_NO_RESOURCES if Linux refused a new thread.
  zx_status_t Start(uintptr_t entry, uintptr_t stack, uintptr_t arg1, uintptr_t arg2);

  // zx_task_kill. A thread not yet started is dead at once. A started thread leaves its entry
  // point and ends, as if the entry had returned: at once if it runs outside portloop's calls,
  // else as its zx_* call returns (the call never returns to it); a wait it sleeps in ends early.
  // Asynchronous, as on Zircon: the thread is dead once it asserts ZX_THREAD_TERMINATED. A thread
  // killing itself does not return from zx_task_kill. Killing a dead thread does nothing.
  // Returns ZX_ERR_NOT_SUPPORTED for a thread adopted by zx_thread_self(): Linux cannot end a
  // pthread from outside without leaking what it holds, and there is no entry point to leave.
  // Returns ZX_ERR_INTERNAL if the kill signal's handler could not be installed.
  zx_status_t Kill();

  // ZX_INFO_THREAD.
  zx_info_thread_t GetInfo();

  // ZX_INFO_THREAD_EXCEPTION_REPORT. Returns ZX_ERR_BAD_STATE if the thread is not in an
  // exception.
  zx_status_t GetExceptionReport(zx_exception_report_t* out);

  // Whether the thread has ended or was killed before it started.
  bool is_dead() const { return state_.load(std::memory_order_acquire) == State::kDead; }

  // The fault record of this thread; see FaultRecord.
  FaultRecord& fault() { return fault_; }

  // Where a killed thread goes: the stack pointer saved when the entry point was entered. 0 if
  // the thread is not in its entry point (not yet, or no longer). Read on the thread itself.
  uintptr_t saved_stack_pointer() const { return saved_sp_; }

  // The top of the stack the entry point runs on (as given to Start, aligned down).
  uintptr_t stack_top() const { return stack_ & ~uintptr_t{15}; }

  // From a signal handler on this thread while it is in its entry point: makes the thread, as
  // the handler returns, leave the entry point and end as if the entry had returned. The skipped
  // frames run no destructors. Async-signal-safe.
  void RedirectToEnd(ucontext_t* context);

  // Exception-port state, guarded by the exception lock (exception_ports.cc).
  struct ExceptionState {
    RefPtr<Port> bound_port;  // the thread's own exception port
    uint64_t bound_key = 0;
    bool in_exception = false;  // delivered and not finished
    bool answered = false;
    int next_stage = 0;         // the next slot of the search order to try
    RefPtr<Port> waiting_port;  // the port the current exception was reported to
    uint32_t waiting_port_type = ZX_EXCEPTION_PORT_TYPE_NONE;
    bool kill_on_accept = false;  // killed after its fault was posted, before it was taken
  };
  ExceptionState& exception_state() { return exception_state_; }

  // Marks the thread dead, asserts ZX_THREAD_TERMINATED and closes its self handle. Called by
  // the thread itself as it ends.
  void Terminate();

  ~Thread() final;

 private:
  enum class State : uint32_t { kNew, kRunning, kDead };

  explicit Thread(bool adopted) : Object(ZX_OBJ_TYPE_THREAD, 0), adopted_(adopted) {}
  static void* StartRoutine(void* arg);

  std::atomic<State> state_{State::kNew};
  const bool adopted_;      // by zx_thread_self(): cannot be killed
  uintptr_t saved_sp_ = 0;  // written by portloop_run_on_stack on the thread
  uintptr_t entry_ = 0, stack_ = 0, arg1_ = 0, arg2_ = 0;
  // How zx_task_kill reaches the running thread: its Linux id and its internal::t_kill_pending,
  // set by the thread as it starts and cleared as it ends (so never used after it exited).
  pid_t tid_ __TA_GUARDED(lock()) = 0;
  std::atomic<bool>* kill_flag_ __TA_GUARDED(lock()) = nullptr;
  bool kill_requested_ __TA_GUARDED(lock()) = false;  // for a thread that has not set them yet
  std::atomic<zx_handle_t> self_handle_{ZX_HANDLE_INVALID};
  FaultRecord fault_;
  ExceptionState exception_state_;
};

template <>
struct ObjectTypeOf<Thread> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_THREAD;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_THREAD_H_
