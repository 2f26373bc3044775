#include "zircon/src/kernel/thread.h"

#include <zircon/rights.h>

#include <new>

#include "zircon/src/kernel/exception_ports.h"
#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/linux/fault_signals.h"

// Runs entry(arg1, arg2) on `stack` and returns when entry returns (or a kill sends the thread
// to portloop_thread_unwind). Saves the callee-saved registers and the stack pointer in
// *saved_sp first. x86-64 System V only.
extern "C" void portloop_run_on_stack(uintptr_t entry, uintptr_t stack, uintptr_t arg1,
                                      uintptr_t arg2, uintptr_t* saved_sp);
// Returns the stack pointer portloop_run_on_stack saved for the calling thread.
extern "C" uintptr_t portloop_saved_stack_pointer() {
  return zircon::kernel::Thread::Current()->saved_stack_pointer();
}

#if defined(__x86_64__)
asm(R"(
  .text
  .globl portloop_run_on_stack
  .globl portloop_thread_unwind
  .type portloop_run_on_stack, @function
portloop_run_on_stack:
  push %rbp
  push %rbx
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rsp, (%r8)
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
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %rbx
  pop %rbp
  ret
  .size portloop_run_on_stack, .-portloop_run_on_stack
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

}  // namespace

RefPtr<Thread> Thread::Create(const char* name, size_t name_size) {
  (void)name;
  (void)name_size;
  auto* thread = new (std::nothrow) Thread();
  return thread == nullptr ? nullptr : AdoptRef(thread);
}

Thread::~Thread() { exception_ports::ForgetThread(this); }

Thread* Thread::Current() { return t_current; }

Thread* Thread::CurrentOrAdopt() {
  if (t_current != nullptr) {
    return t_current;
  }
  auto* thread = new (std::nothrow) Thread();  // the reference the guard drops at exit
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
  state_.store(State::kDead, std::memory_order_release);
  zx_handle_t handle = self_handle_.exchange(ZX_HANDLE_INVALID);
  {
    MutexLock lock(this->lock());
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
  started_by_portloop_ = true;
  AddRef();  // the running thread's reference
  pthread_t pthread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&pthread, &attr, &Thread::StartRoutine, this);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    state_.store(State::kNew);
    RefPtr<Thread> dropped = AdoptRef(this);
    return ZX_ERR_NO_RESOURCES;
  }
  return ZX_OK;
}

void* Thread::StartRoutine(void* arg) {
  RefPtr<Thread> thread = AdoptRef(static_cast<Thread*>(arg));
  t_current = thread.get();
  void* alt_stack = linux::SetUpAltStack();
  portloop_run_on_stack(thread->entry_, thread->stack_, thread->arg1_, thread->arg2_,
                        &thread->saved_sp_);
  thread->saved_sp_ = 0;
  linux::FreeAltStack(alt_stack);
  t_current = nullptr;
  thread->Terminate();
  return nullptr;
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
  if (started_by_portloop_ && exception_ports::KillParked(this)) {
    return ZX_OK;
  }
  return ZX_ERR_NOT_SUPPORTED;
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
