// Threads, and zx_task_kill of a running thread.
//
// A thread that zx_thread_start started runs its entry point through portloop_run_on_stack,
// which saves the callee-saved registers and the stack pointer first. Ending the thread means
// going back there (portloop_thread_unwind): the registers come back, portloop_run_on_stack
// returns into StartRoutine, and the thread ends exactly as if its entry had returned (alternate
// stack freed, ZX_THREAD_TERMINATED asserted, self handle closed, thread-local objects destroyed).
// The frames skipped run no destructors; on Zircon, too, a killed thread runs nothing more.
//
// What may be skipped is the question. User code may be skipped anywhere, as on Zircon (a lock the
// user's code holds stays held there too). portloop's own code may not: it stands for Zircon's
// kernel, which finishes or undoes a call before a killed thread dies. Skipping part of a call
// could leave a kernel lock held (every later user of the object would hang), a wake-up owed
// (another waiter would sleep forever), a reference taken (a leak), a handle half made, or an
// observer on the killed thread's stack still registered with an object (a use after free). So:
//
// - internal::t_kernel_depth counts how deep the thread is in the kernel: each Mutex from before
//   it is acquired until after the deferred wake-ups of its release ran, and each SyscallScope,
//   which every zx_* entry point that touches objects opens first. It is thread-local, written
//   only by its thread and read by the kill signal's handler on that thread.
// - zx_task_kill sets the target's internal::t_kill_pending (through the pointer the thread
//   registered as it started; under the object lock, so never after the thread ended), then sends
//   the kill signal with tgkill. The handler, on the target, leaves at once (redirects the
//   interrupted context to portloop_thread_unwind) if the depth is zero and the thread is in its
//   entry point. Otherwise the kill waits: the outermost LeaveKernel (the end of the syscall, or
//   the last lock released outside one) sees the pending flag and leaves from there, a plain jump
//   with nothing of the kernel held. A thread killing itself only sets its flag: its zx_task_kill
//   call ends it as the call returns. Since the flag is set before the signal is sent, a thread
//   busy making calls often ends at the end of its current call before the signal even arrives.
// - A thread asleep in the kernel must not sleep on. The handler calls linux::InterruptSleeps,
//   which ends the Linux sleep in progress (EINTR, or a zeroed timeout if the signal came just
//   before the sleep began) and every later one; the kernel's waits check KillPending() each time
//   they wake and leave through their normal clean-up: wait_one unregisters its observers, a port
//   waiter takes no packet and passes on the wake-up it may have consumed. Unwinding from inside
//   the wait would skip that clean-up, so the wait returns, and the SyscallScope ends the thread.
// - A kill that races the thread's start: before the thread registered, zx_task_kill leaves a
//   note (kill_requested_) that registration turns into the pending flag; portloop_run_on_stack
//   checks the flag right after saving the stack pointer, and a signal that comes before that
//   point finds no stack pointer and leaves it to that check. On the way out,
//   portloop_thread_unwind clears the saved stack pointer before it returns: a late signal that
//   comes before that restarts the same unwinding, one that comes after finds nothing to do.
// - A kill that races a fault: the fault handlers block the kill signal, so the kill waits for
//   the exception. exception_ports::KillParked answers a parked thread with a kill, and marks one
//   whose fault is posted but not yet taken; the fault handler checks the pending flag after
//   publishing its fault (a Dekker pair with KillParked), so one side always sees the other.
// - Threads adopted by zx_thread_self() have no entry point to leave and cannot be killed.
// - Not covered: zx_vcpu_resume goes back into KVM_RUN after EINTR, so its thread ends only at the
//   vCPU's next exit to it (and a guest bell's back-pressure wait there re-checks without
//   sleeping until a packet comes back); a kill that answers a fault taken inside the kernel
//   (a bad pointer passed to a call) skips kernel frames, as it did before running threads could
//   be killed.
#include "zircon/src/kernel/thread.h"

#include <zircon/rights.h>

#include <new>

#include "zircon/src/kernel/exception_ports.h"
#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/linux/fault_signals.h"
#include "zircon/src/linux/futex.h"

#if defined(PORTLOOP_ASAN)
#include <sanitizer/asan_interface.h>
#endif

// Runs entry(arg1, arg2) on `stack` and returns when entry returns (or a kill sends the thread
// to portloop_thread_unwind). Saves the callee-saved registers, `saved_sp` and the stack pointer
// (in *saved_sp) first; returns at once, without running entry, if *kill_flag is set by then.
// Clears *saved_sp on the way out. x86-64 System V only.
extern "C" void portloop_run_on_stack(uintptr_t entry, uintptr_t stack, uintptr_t arg1,
                                      uintptr_t arg2, uintptr_t* saved_sp,
                                      const std::atomic<bool>* kill_flag);
// Leaves the entry point from ordinary code: continues at portloop_thread_unwind on `saved_sp`.
// Never returns. Not declared [[noreturn]], so that AddressSanitizer does not call
// __asan_handle_no_return first, which cannot tell the bounds of the entry's stack (the skipped
// frames are dealt with by ForgetSkippedFrames).
extern "C" void portloop_unwind_to(uintptr_t saved_sp);
extern "C" void portloop_thread_unwind();
// Returns the stack pointer portloop_run_on_stack saved for the calling thread.
extern "C" uintptr_t portloop_saved_stack_pointer() {
  return zircon::kernel::Thread::Current()->saved_stack_pointer();
}

static_assert(sizeof(std::atomic<bool>) == 1, "portloop_run_on_stack tests the flag as a byte");

#if defined(__x86_64__)
asm(R"(
  .text
  .globl portloop_run_on_stack
  .globl portloop_thread_unwind
  .globl portloop_unwind_to
  .type portloop_run_on_stack, @function
portloop_run_on_stack:
  push %rbp
  push %rbx
  push %r12
  push %r13
  push %r14
  push %r15
  push %r8
  mov %rsp, (%r8)
  cmpb $0, (%r9)
  jne portloop_thread_unwind
  mov %rdi, %rax
  and $-16, %rsi
  mov %rsi, %rsp
  lea portloop_entry_returned(%rip), %r11
  push %r11
  mov %rdx, %rdi
  mov %rcx, %rsi
  xor %ebp, %ebp
  jmp *%rax
portloop_entry_returned:
  and $-16, %rsp
  call portloop_saved_stack_pointer
  mov %rax, %rsp
portloop_thread_unwind:
  pop %r8
  movq $0, (%r8)
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %rbx
  pop %rbp
  ret
  .size portloop_run_on_stack, .-portloop_run_on_stack
  .type portloop_unwind_to, @function
portloop_unwind_to:
  mov %rdi, %rsp
  jmp portloop_thread_unwind
  .size portloop_unwind_to, .-portloop_unwind_to
)");
#else
#error "zx_thread_start needs a stack switch for this architecture"
#endif

namespace zircon::kernel {
namespace {

// Initial-exec: the fault handler reads it, and must not make glibc allocate a TLS block.
__attribute__((tls_model("initial-exec"))) thread_local Thread* t_current = nullptr;

// Ends an adopted thread's object when the Linux thread exits.
struct AdoptedThreadGuard {
  Thread* thread = nullptr;
  void* alt_stack = nullptr;
  ~AdoptedThreadGuard();
};
thread_local AdoptedThreadGuard t_adopted;

// The frames a kill skips on the entry's stack, from `sp` up, keep the shadow AddressSanitizer
// gave their locals; clear it, as ASan does for longjmp, so that the next user of that memory is
// not reported. Bounded, in case `sp` is on another stack (an alternate signal stack).
void ForgetSkippedFrames(uintptr_t stack_top, uintptr_t sp) {
#if defined(PORTLOOP_ASAN)
  constexpr uintptr_t kMaxSkipped = uintptr_t{64} << 20;
  if (sp < stack_top && stack_top - sp <= kMaxSkipped) {
    __asan_unpoison_memory_region(reinterpret_cast<void*>(sp), stack_top - sp);
  }
#else
  (void)stack_top;
  (void)sp;
#endif
}

// The kill signal's callback (linux::KillCallback), on the thread the signal reached.
bool OnKillSignal(ucontext_t* context) {
  // acquire: pairs with the release in Kill, which set the flag before it sent the signal.
  if (!internal::t_kill_pending.load(std::memory_order_acquire)) {
    return false;  // someone else's signal: chained to the handler installed before
  }
  Thread* thread = Thread::Current();
  if (thread == nullptr || thread->saved_stack_pointer() == 0) {
    return true;  // not yet in its entry point (it checks the flag) or no longer (it is ending)
  }
  if (internal::t_kernel_depth.load(std::memory_order_relaxed) != 0) {
    linux::InterruptSleeps();  // it leaves the kernel soon, and ends there
    return true;
  }
  thread->RedirectToEnd(context);
  return true;
}

}  // namespace

namespace internal {

void OnKillPendingOutsideKernel() {
  Thread* thread = Thread::Current();
  if (thread == nullptr || thread->saved_stack_pointer() == 0) {
    return;  // not in its entry point: StartRoutine checks before entering, or it is ending
  }
  ForgetSkippedFrames(thread->stack_top(), reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  portloop_unwind_to(thread->saved_stack_pointer());
}

}  // namespace internal

RefPtr<Thread> Thread::Create(const char* name, size_t name_size) {
  (void)name;
  (void)name_size;
  auto* thread = new (std::nothrow) Thread(/*adopted=*/false);
  return thread == nullptr ? nullptr : AdoptRef(thread);
}

Thread::~Thread() { exception_ports::ForgetThread(this); }

Thread* Thread::Current() { return t_current; }

Thread* Thread::CurrentOrAdopt() {
  if (t_current != nullptr) {
    return t_current;
  }
  auto* thread = new (std::nothrow) Thread(/*adopted=*/true);  // the reference the guard drops
  if (thread == nullptr) {
    return nullptr;
  }
  thread->state_.store(State::kRunning, std::memory_order_relaxed);
  t_current = thread;
  t_adopted.thread = thread;
  t_adopted.alt_stack = linux::SetUpAltStack();
  return thread;
}

AdoptedThreadGuard::~AdoptedThreadGuard() {
  if (thread == nullptr) {
    return;
  }
  linux::FreeAltStack(alt_stack);
  t_current = nullptr;
  RefPtr<Thread> dropped = AdoptRef(thread);
  dropped->Terminate();
  thread = nullptr;
}

void Thread::Terminate() {
  zx_handle_t handle = self_handle_.exchange(ZX_HANDLE_INVALID);
  {
    MutexLock lock(this->lock());
    state_.store(State::kDead, std::memory_order_release);
    tid_ = 0;  // no kill signal from now on: the Linux thread is about to exit
    kill_flag_ = nullptr;
    UpdateStateLocked(0, ZX_THREAD_TERMINATED);
  }
  if (handle != ZX_HANDLE_INVALID) {
    Handle removed;
    (void)HandleTable::Get().Remove(handle, &removed);
  }
}

zx_handle_t Thread::self_handle() {
  zx_handle_t handle = self_handle_.load(std::memory_order_acquire);
  if (handle == ZX_HANDLE_INVALID) {
    AddRef();
    if (HandleTable::Get().Add(Handle::Make(AdoptRef<Object>(this), ZX_DEFAULT_THREAD_RIGHTS),
                               &handle) != ZX_OK) {
      return ZX_HANDLE_INVALID;
    }
    self_handle_.store(handle, std::memory_order_release);  // only this thread writes it
  }
  return handle;
}

zx_status_t Thread::Start(uintptr_t entry, uintptr_t stack, uintptr_t arg1, uintptr_t arg2) {
  State expected = State::kNew;
  if (!state_.compare_exchange_strong(expected, State::kRunning)) {
    return ZX_ERR_BAD_STATE;
  }
  entry_ = entry;
  stack_ = stack;
  arg1_ = arg1;
  arg2_ = arg2;
  AddRef();  // the running thread's reference
  pthread_t pthread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&pthread, &attr, &Thread::StartRoutine, this);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    RefPtr<Thread> dropped = AdoptRef(this);
    MutexLock lock(this->lock());
    if (kill_requested_) {
      // Killed while it was being started: it is dead now, as a thread killed before its start.
      state_.store(State::kDead, std::memory_order_release);
      UpdateStateLocked(0, ZX_THREAD_TERMINATED);
    } else {
      state_.store(State::kNew, std::memory_order_release);
    }
    return ZX_ERR_NO_RESOURCES;
  }
  return ZX_OK;
}

void* Thread::StartRoutine(void* arg) {
  RefPtr<Thread> thread = AdoptRef(static_cast<Thread*>(arg));
  t_current = thread.get();
  void* alt_stack = linux::SetUpAltStack();
  {
    MutexLock lock(thread->lock());
    thread->tid_ = linux::CurrentThreadId();
    thread->kill_flag_ = &internal::t_kill_pending;
    if (thread->kill_requested_) {
      internal::t_kill_pending.store(true, std::memory_order_relaxed);
    }
  }
  portloop_run_on_stack(thread->entry_, thread->stack_, thread->arg1_, thread->arg2_,
                        &thread->saved_sp_, &internal::t_kill_pending);
  // Zero already, unless a kill answered a fault taken inside the kernel (exception_ports.cc),
  // which left the depth behind with the skipped frames.
  internal::t_kernel_depth.store(0, std::memory_order_relaxed);
  thread->Terminate();
  linux::FreeAltStack(alt_stack);
  t_current = nullptr;
  return nullptr;
}

void Thread::RedirectToEnd(ucontext_t* context) {
  ForgetSkippedFrames(stack_top(), linux::InterruptedStackPointer(context));
  linux::RedirectContext(context, saved_sp_, reinterpret_cast<uintptr_t>(&portloop_thread_unwind));
}

zx_status_t Thread::Kill() {
  State expected = State::kNew;
  if (state_.compare_exchange_strong(expected, State::kDead)) {
    MutexLock lock(this->lock());
    UpdateStateLocked(0, ZX_THREAD_TERMINATED);
    return ZX_OK;
  }
  if (expected == State::kDead) {
    return ZX_OK;
  }
  if (adopted_) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (linux::InstallKillSignalHandler(&OnKillSignal) != ZX_OK) {
    return ZX_ERR_INTERNAL;
  }
  {
    MutexLock lock(this->lock());
    if (is_dead()) {
      return ZX_OK;
    }
    kill_requested_ = true;
    if (kill_flag_ != nullptr) {
      // seq_cst: a Dekker pair with the fault handler's store of `pending` (see KillParked).
      kill_flag_->store(true, std::memory_order_seq_cst);
    }
  }
  if (exception_ports::KillParked(this)) {
    return ZX_OK;  // in an exception, or entering one: it is answered with a kill
  }
  if (this == Current()) {
    return ZX_OK;  // the SyscallScope of this zx_task_kill ends the thread as the call returns
  }
  MutexLock lock(this->lock());
  if (tid_ != 0) {
    linux::SendKillSignal(tid_);
  }
  return ZX_OK;
}

zx_info_thread_t Thread::GetInfo() {
  zx_info_thread_t info = {};
  switch (state_.load(std::memory_order_acquire)) {
    case State::kNew:
      info.state = ZX_THREAD_STATE_NEW;
      break;
    case State::kRunning:
      info.state = ZX_THREAD_STATE_RUNNING;
      break;
    case State::kDead:
      info.state = ZX_THREAD_STATE_DEAD;
      return info;
  }
  uint32_t port_type = ZX_EXCEPTION_PORT_TYPE_NONE;
  if (exception_ports::WaitingPortType(this, &port_type)) {
    info.state = ZX_THREAD_STATE_BLOCKED_EXCEPTION;
    info.wait_exception_port_type = port_type;
  }
  return info;
}

zx_status_t Thread::GetExceptionReport(zx_exception_report_t* out) {
  uint32_t port_type;
  if (!exception_ports::WaitingPortType(this, &port_type)) {
    return ZX_ERR_BAD_STATE;
  }
  *out = fault_.report;
  return ZX_OK;
}

}  // namespace zircon::kernel
