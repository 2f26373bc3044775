#include "zircon/src/kernel/exception_ports.h"

#include <zircon/syscalls/exception.h>

#include <atomic>
#include <vector>

#include <pthread.h>
#include <signal.h>
#include <sys/ucontext.h>

#include "zircon/src/kernel/process.h"
#include "zircon/src/kernel/thread.h"
#include "zircon/src/linux/fault_signals.h"
#include "zircon/src/linux/futex.h"

namespace zircon::kernel::exception_ports {
namespace {

// The search order: the stages a fault is offered to, one after the other.
enum Stage : int { kDebuggerStage = 0, kThreadStage = 1, kProcessStage = 2, kStageCount = 3 };

struct Binding {
  RefPtr<Port> port;
  uint64_t key = 0;
};

// One lock for every binding and every exception in progress: exceptions are rare, and one lock
// keeps the search order and the unbinding rules simple.
Mutex g_lock;
Binding g_process_bindings[2] __TA_GUARDED(g_lock);         // [0] debugger, [1] ordinary
std::vector<Thread*> g_excepting __TA_GUARDED(g_lock);      // threads in an exception
std::vector<Thread*> g_bound_threads __TA_GUARDED(g_lock);  // threads with a port bound
size_t g_binding_count __TA_GUARDED(g_lock) = 0;

// Faults posted by signal handlers, taken by the delivery thread: a lock-free stack.
std::atomic<Thread*> g_posted{nullptr};
std::atomic<uint32_t> g_post_sequence{0};
bool g_delivery_thread_started __TA_GUARDED(g_lock) = false;

void Finish(Thread* thread, FaultAnswer answer) __TA_REQUIRES(g_lock) {
  Thread::ExceptionState& state = thread->exception_state();
  state.in_exception = false;
  state.waiting_port = nullptr;
  state.waiting_port_type = ZX_EXCEPTION_PORT_TYPE_NONE;
  for (auto it = g_excepting.begin(); it != g_excepting.end(); ++it) {
    if (*it == thread) {
      g_excepting.erase(it);
      break;
    }
  }
  FaultRecord& fault = thread->fault();
  fault.pending.store(false, std::memory_order_relaxed);
  fault.answer.store(static_cast<uint32_t>(answer), std::memory_order_release);
  linux::FutexWake(&fault.answer, 1);
}

// Offers `thread`'s exception to the next bound port in the search order, or passes it on
// when none is left.
void DeliverNext(Thread* thread) __TA_REQUIRES(g_lock) {
  Thread::ExceptionState& state = thread->exception_state();
  while (state.next_stage < kStageCount) {
    const int stage = state.next_stage++;
    const Binding* binding = nullptr;
    uint32_t port_type = ZX_EXCEPTION_PORT_TYPE_NONE;
    Binding thread_binding{state.bound_port, state.bound_key};
    if (stage == kDebuggerStage) {
      binding = &g_process_bindings[0];
      port_type = ZX_EXCEPTION_PORT_TYPE_DEBUGGER;
    } else if (stage == kThreadStage) {
      binding = &thread_binding;
      port_type = ZX_EXCEPTION_PORT_TYPE_THREAD;
    } else {
      binding = &g_process_bindings[1];
      port_type = ZX_EXCEPTION_PORT_TYPE_PROCESS;
    }
    if (!binding->port) {
      continue;
    }
    zx_port_packet_t packet = {};
    packet.key = binding->key;
    packet.type = thread->fault().report.header.type;
    packet.status = ZX_OK;
    packet.exception.pid = Process::Self()->koid();
    packet.exception.tid = thread->koid();
    state.waiting_port = binding->port;
    state.waiting_port_type = port_type;
    state.answered = false;
    if (binding->port->QueueException(packet) == ZX_OK) {
      return;
    }
  }
  Finish(thread, FaultAnswer::kPassOn);
}

// Takes a posted fault into the exception state and offers it to the first port, or answers it
// with a kill if the thread was killed after posting it.
void Accept(Thread* thread) __TA_REQUIRES(g_lock) {
  Thread::ExceptionState& state = thread->exception_state();
  state.in_exception = true;
  state.answered = false;
  state.next_stage = kDebuggerStage;
  g_excepting.push_back(thread);
  if (state.kill_on_accept) {
    state.kill_on_accept = false;
    state.answered = true;
    Finish(thread, FaultAnswer::kKill);
    return;
  }
  DeliverNext(thread);
}

void* DeliveryThreadMain(void*) {
  for (;;) {
    const uint32_t sequence = g_post_sequence.load(std::memory_order_acquire);
    Thread* posted = g_posted.exchange(nullptr, std::memory_order_acquire);
    if (posted == nullptr) {
      (void)linux::FutexWait(&g_post_sequence, sequence, ZX_TIME_INFINITE);
      continue;
    }
    MutexLock lock(&g_lock);
    while (posted != nullptr) {
      Thread* next = posted->fault().next_posted;
      Accept(posted);
      posted = next;
    }
  }
  return nullptr;
}

// fork() keeps only the calling thread: the child needs its own delivery thread, and the
// exceptions of the parent's other threads are gone with them.
void BeforeFork() __TA_NO_THREAD_SAFETY_ANALYSIS { g_lock.Acquire(); }
void AfterForkInParent() __TA_NO_THREAD_SAFETY_ANALYSIS { g_lock.Release(); }
void AfterForkInChild() __TA_NO_THREAD_SAFETY_ANALYSIS {
  g_delivery_thread_started = false;
  g_excepting.clear();
  g_posted.store(nullptr, std::memory_order_relaxed);
  g_lock.Release();
}

void StartDeliveryThreadLocked() __TA_REQUIRES(g_lock) {
  if (g_delivery_thread_started) {
    return;
  }
  static bool fork_handlers_registered = false;
  if (!fork_handlers_registered) {
    pthread_atfork(BeforeFork, AfterForkInParent, AfterForkInChild);
    fork_handlers_registered = true;
  }
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);  // the thread takes no asynchronous signals
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&thread, &attr, DeliveryThreadMain, nullptr) == 0) {
    g_delivery_thread_started = true;
  }
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

// Fills the report from the signal and the x86-64 trap frame.
void FillReport(FaultRecord& fault, int signo, const siginfo_t* info, const ucontext_t* context) {
  zx_excp_type_t type = ZX_EXCP_GENERAL;
  switch (signo) {
    case SIGSEGV:
    case SIGBUS:
      type = ZX_EXCP_FATAL_PAGE_FAULT;
      break;
    case SIGILL:
      type = ZX_EXCP_UNDEFINED_INSTRUCTION;
      break;
    case SIGTRAP:
      type = (info->si_code == TRAP_HWBKPT) ? ZX_EXCP_HW_BREAKPOINT : ZX_EXCP_SW_BREAKPOINT;
      break;
    default:
      break;
  }
  fault.signo = signo;
  fault.report = {};
  fault.report.header.size = sizeof(zx_exception_report_t);
  fault.report.header.type = type;
#if defined(__x86_64__)
  fault.report.context.arch.u.x86_64.vector =
      static_cast<uint64_t>(context->uc_mcontext.gregs[REG_TRAPNO]);
  fault.report.context.arch.u.x86_64.err_code =
      static_cast<uint64_t>(context->uc_mcontext.gregs[REG_ERR]);
  fault.report.context.arch.u.x86_64.cr2 = reinterpret_cast<uint64_t>(info->si_addr);
#endif
}

// The fault-signal callback: runs on the faulting thread in the handler. Async-signal-safe:
// it fills the thread's pre-allocated record, pushes it on a lock-free list, wakes the delivery
// thread with a futex, and parks on another futex until answered.
linux::FaultAction OnFault(int signo, siginfo_t* info, ucontext_t* context) {
  Thread* thread = Thread::Current();
  if (thread == nullptr || info->si_code <= 0) {
    return linux::FaultAction::kPassOn;  // a thread portloop does not know, or a sent signal
  }
  FaultRecord& fault = thread->fault();
  if (fault.pending.load(std::memory_order_relaxed)) {
    return linux::FaultAction::kPassOn;  // a fault while handling one
  }
  FillReport(fault, signo, info, context);
  fault.answer.store(static_cast<uint32_t>(FaultAnswer::kWaiting), std::memory_order_relaxed);
  // seq_cst, both: a Dekker pair with Thread::Kill, which sets the kill flag and then reads
  // `pending` (KillParked). Either the kill sees this fault and answers it with a kill, or this
  // handler sees the kill and ends the thread without reporting the fault (or both).
  fault.pending.store(true, std::memory_order_seq_cst);
  if (internal::t_kill_pending.load(std::memory_order_seq_cst) &&
      thread->saved_stack_pointer() != 0) {
    fault.pending.store(false, std::memory_order_relaxed);
    thread->RedirectToEnd(context);
    return linux::FaultAction::kReturn;
  }
  Thread* head = g_posted.load(std::memory_order_relaxed);
  do {
    fault.next_posted = head;
  } while (!g_posted.compare_exchange_weak(head, thread, std::memory_order_release,
                                           std::memory_order_relaxed));
  g_post_sequence.fetch_add(1, std::memory_order_release);
  linux::FutexWake(&g_post_sequence, 1);
  uint32_t answer;
  while ((answer = fault.answer.load(std::memory_order_acquire)) ==
         static_cast<uint32_t>(FaultAnswer::kWaiting)) {
    (void)linux::FutexWait(&fault.answer, answer, ZX_TIME_INFINITE);
  }
  switch (static_cast<FaultAnswer>(answer)) {
    case FaultAnswer::kResume:
      return linux::FaultAction::kReturn;
    case FaultAnswer::kKill:
      // Leave the entry point: the handler returns into the code that restores the registers
      // portloop_run_on_stack saved, and the thread ends normally.
      thread->RedirectToEnd(context);
      return linux::FaultAction::kReturn;
    default:
      return linux::FaultAction::kPassOn;
  }
}

// Continues every exception waiting on `port` (in a slot of `port_type`, for `only` thread if
// not null) as if answered with ZX_RESUME_TRY_NEXT.
void ContinueWaitersOf(const Port* port, uint32_t port_type, Thread* only) __TA_REQUIRES(g_lock) {
  std::vector<Thread*> waiting;
  for (Thread* thread : g_excepting) {
    const Thread::ExceptionState& state = thread->exception_state();
    if (state.waiting_port.get() == port && !state.answered &&
        (port_type == ZX_EXCEPTION_PORT_TYPE_NONE || state.waiting_port_type == port_type) &&
        (only == nullptr || only == thread)) {
      waiting.push_back(thread);
    }
  }
  for (Thread* thread : waiting) {
    thread->exception_state().answered = true;
    DeliverNext(thread);
  }
}

void BindingRemovedLocked() __TA_REQUIRES(g_lock) {
  if (--g_binding_count == 0) {
    linux::UninstallFaultHandlers();
  }
}

void OnPortZeroHandles(Port* port) {
  MutexLock lock(&g_lock);
  for (Binding& binding : g_process_bindings) {
    if (binding.port.get() == port) {
      binding.port = nullptr;
      BindingRemovedLocked();
    }
  }
  for (auto it = g_bound_threads.begin(); it != g_bound_threads.end();) {
    Thread::ExceptionState& state = (*it)->exception_state();
    if (state.bound_port.get() == port) {
      state.bound_port = nullptr;
      BindingRemovedLocked();
      it = g_bound_threads.erase(it);
    } else {
      ++it;
    }
  }
  ContinueWaitersOf(port, ZX_EXCEPTION_PORT_TYPE_NONE, nullptr);
}

// The slot `options` selects on `task`, or null with the status to return.
Binding* SlotLocked(Object* task, uint32_t options, Thread** out_thread, zx_status_t* status)
    __TA_REQUIRES(g_lock) {
  *out_thread = nullptr;
  if (task->type() == ZX_OBJ_TYPE_THREAD) {
    if (options == ZX_EXCEPTION_PORT_DEBUGGER) {
      *status = ZX_ERR_INVALID_ARGS;
      return nullptr;
    }
    *out_thread = static_cast<Thread*>(task);
    return nullptr;
  }
  return &g_process_bindings[options == ZX_EXCEPTION_PORT_DEBUGGER ? 0 : 1];
}

}  // namespace

zx_status_t Bind(Object* task, RefPtr<Port> port, uint64_t key, uint32_t options) {
  MutexLock lock(&g_lock);
  Thread* thread;
  zx_status_t status = ZX_OK;
  Binding* slot = SlotLocked(task, options, &thread, &status);
  if (status != ZX_OK) {
    return status;
  }
  if (thread != nullptr) {
    if (thread->is_dead()) {
      return ZX_ERR_NOT_FOUND;
    }
    if (thread->exception_state().bound_port) {
      return ZX_ERR_ALREADY_BOUND;
    }
  } else if (slot->port) {
    return ZX_ERR_ALREADY_BOUND;
  }
  if (linux::InstallFaultHandlers(&OnFault) != ZX_OK) {
    return ZX_ERR_INTERNAL;
  }
  Port::SetZeroHandlesHook(&OnPortZeroHandles);
  StartDeliveryThreadLocked();
  if (thread != nullptr) {
    thread->exception_state().bound_port = std::move(port);
    thread->exception_state().bound_key = key;
    g_bound_threads.push_back(thread);
  } else {
    slot->port = std::move(port);
    slot->key = key;
  }
  ++g_binding_count;
  return ZX_OK;
}

zx_status_t Unbind(Object* task, uint32_t options) {
  MutexLock lock(&g_lock);
  Thread* thread;
  zx_status_t status = ZX_OK;
  Binding* slot = SlotLocked(task, options, &thread, &status);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<Port> port;
  uint32_t port_type;
  if (thread != nullptr) {
    port = std::move(thread->exception_state().bound_port);
    port_type = ZX_EXCEPTION_PORT_TYPE_THREAD;
    for (auto it = g_bound_threads.begin(); it != g_bound_threads.end(); ++it) {
      if (*it == thread) {
        g_bound_threads.erase(it);
        break;
      }
    }
  } else {
    port = std::move(slot->port);
    port_type = options == ZX_EXCEPTION_PORT_DEBUGGER ? ZX_EXCEPTION_PORT_TYPE_DEBUGGER
                                                      : ZX_EXCEPTION_PORT_TYPE_PROCESS;
  }
  if (!port) {
    return ZX_ERR_BAD_STATE;
  }
  BindingRemovedLocked();
  ContinueWaitersOf(port.get(), port_type, thread);
  return ZX_OK;
}

zx_status_t Resume(Thread* thread, const Port* port, uint32_t options) {
  MutexLock lock(&g_lock);
  Thread::ExceptionState& state = thread->exception_state();
  if (!state.in_exception || state.answered || !state.waiting_port) {
    return ZX_ERR_BAD_STATE;
  }
  if (state.waiting_port.get() != port) {
    return ZX_ERR_ACCESS_DENIED;
  }
  state.answered = true;
  if (options == ZX_RESUME_TRY_NEXT) {
    DeliverNext(thread);
  } else {
    Finish(thread, FaultAnswer::kResume);
  }
  return ZX_OK;
}

bool KillParked(Thread* thread) {
  MutexLock lock(&g_lock);
  Thread::ExceptionState& state = thread->exception_state();
  if (state.in_exception) {
    state.answered = true;
    Finish(thread, FaultAnswer::kKill);
    return true;
  }
  // seq_cst: see OnFault. A fault posted and not yet taken is answered with a kill when taken.
  if (thread->fault().pending.load(std::memory_order_seq_cst)) {
    state.kill_on_accept = true;
    return true;
  }
  return false;
}

bool WaitingPortType(Thread* thread, uint32_t* out_type) {
  if (thread->fault().pending.load(std::memory_order_acquire)) {
    MutexLock lock(&g_lock);
    *out_type = thread->exception_state().waiting_port_type;
    return true;
  }
  return false;
}

bool DebuggerAttached() {
  MutexLock lock(&g_lock);
  return static_cast<bool>(g_process_bindings[0].port);
}

void ForgetThread(Thread* thread) {
  MutexLock lock(&g_lock);
  for (auto it = g_bound_threads.begin(); it != g_bound_threads.end(); ++it) {
    if (*it == thread) {
      g_bound_threads.erase(it);
      thread->exception_state().bound_port = nullptr;
      BindingRemovedLocked();
      break;
    }
  }
}

}  // namespace zircon::kernel::exception_ports
