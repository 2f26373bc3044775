// Threads of this process as Zircon thread objects: zx_thread_create/start/self and the
// per-thread state that exception delivery needs.
#ifndef ZIRCON_SRC_KERNEL_THREAD_H_
#define ZIRCON_SRC_KERNEL_THREAD_H_

#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <atomic>
#include <cstdint>

#include <pthread.h>

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

  // zx_task_kill. A thread not yet started is dead at once; a thread parked in an exception
  // leaves its entry point and ends.
  // Returns ZX_ERR_NOT_SUPPORTED for a running thread, or a parked thread portloop did not
  // start (Linux cannot end a pthread from outside without leaking what it holds).
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

  // Whether the thread runs an entry point given to Start (so a kill can unwind it).
  bool started_by_portloop() const { return started_by_portloop_; }

  // Where the signal handler sends a killed thread: the stack pointer saved when the entry
  // point was entered. 0 if the thread is not in its entry point.
  uintptr_t saved_stack_pointer() const { return saved_sp_; }

  // Exception-port state, guarded by the exception lock (exception_ports.cc).
  struct ExceptionState {
    RefPtr<Port> bound_port;  // the thread's own exception port
    uint64_t bound_key = 0;
    bool in_exception = false;  // delivered and not finished
    bool answered = false;
    int next_stage = 0;         // the next slot of the search order to try
    RefPtr<Port> waiting_port;  // the port the current exception was reported to
    uint32_t waiting_port_type = ZX_EXCEPTION_PORT_TYPE_NONE;
  };
  ExceptionState& exception_state() { return exception_state_; }

  // Marks the thread dead, asserts ZX_THREAD_TERMINATED and closes its self handle. Called by
  // the thread itself as it ends.
  void Terminate();

  ~Thread() final;

 private:
  enum class State : uint32_t { kNew, kRunning, kDead };

  Thread() : Object(ZX_OBJ_TYPE_THREAD, 0) {}
  static void* StartRoutine(void* arg);

  std::atomic<State> state_{State::kNew};
  bool started_by_portloop_ = false;
  uintptr_t saved_sp_ = 0;
  uintptr_t entry_ = 0, stack_ = 0, arg1_ = 0, arg2_ = 0;
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
