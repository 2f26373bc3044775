// Handlers for the synchronous fault signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) that
// chain to the dispositions installed before them, the kill signal that zx_task_kill sends to a
// running thread, and per-thread alternate signal stacks.
#ifndef ZIRCON_SRC_LINUX_FAULT_SIGNALS_H_
#define ZIRCON_SRC_LINUX_FAULT_SIGNALS_H_

#include <zircon/types.h>

#include <cstdint>

#include <signal.h>
#include <sys/types.h>

namespace zircon::linux {

// What the fault callback decided.
enum class FaultAction {
  kReturn,  // return from the handler (the context may have been edited)
  kPassOn,  // treat the fault as if portloop had no handler
};

// Called on the faulting thread, in the signal handler, on the alternate stack if the thread
// has one. Must be async-signal-safe.
using FaultCallback = FaultAction (*)(int signo, siginfo_t* info, ucontext_t* context);

// Installs SA_SIGINFO | SA_ONSTACK handlers for the five fault signals that call `callback`,
// remembering the dispositions they replace. Installing again while installed does nothing. The
// kill signal is blocked while a fault handler runs: a kill waits until the fault is answered.
// Not async-signal-safe; the callers serialize Install and Uninstall.
// Returns ZX_ERR_INTERNAL if sigaction failed (nothing is then installed).
zx_status_t InstallFaultHandlers(FaultCallback callback);

// Restores the dispositions InstallFaultHandlers replaced. Does nothing if not installed.
void UninstallFaultHandlers();

// The kill signal: SIGRTMIN + 9, which zx_task_kill sends (tgkill) to a running thread that
// zx_thread_start started. glibc keeps the realtime signals below SIGRTMIN for itself, and the
// sanitizers use none; applications tend to take SIGRTMIN, SIGRTMIN + 1, ... or SIGRTMAX down.
int KillSignal();

// Called on the thread the kill signal reached, in the handler, on the alternate stack if the
// thread has one. Returns false if the signal was not portloop's (it is then handed to the
// disposition installed before). May edit `context`. Must be async-signal-safe.
using KillCallback = bool (*)(ucontext_t* context);

// Installs the SA_SIGINFO | SA_ONSTACK handler of the kill signal, which calls `callback`,
// remembering the disposition it replaces. Done once: later calls do nothing, and it is never
// uninstalled, since a kill signal sent may still be on its way. No SA_RESTART: a Linux call the
// signal interrupts returns EINTR. Thread-safe.
// Returns ZX_ERR_INTERNAL if sigaction failed.
zx_status_t InstallKillSignalHandler(KillCallback callback);

// The calling thread's Linux thread id.
pid_t CurrentThreadId();

// Sends the kill signal to thread `tid` of this process. The caller makes sure `tid` is still
// that thread (it has not exited). Async-signal-safe.
void SendKillSignal(pid_t tid);

// Makes the thread resume, once the handler returns, at `ip` with stack pointer `sp`. x86-64.
void RedirectContext(ucontext_t* context, uintptr_t sp, uintptr_t ip);

// The stack pointer `context` was interrupted at.
uintptr_t InterruptedStackPointer(const ucontext_t* context);

// Gives the calling thread an alternate signal stack (so a stack overflow can still be
// reported), unless it already has one. Returns the stack to free with FreeAltStack, or null if
// none was made (the thread had one, or out of memory).
void* SetUpAltStack();

// Disables the calling thread's alternate stack and frees `stack` (from SetUpAltStack).
void FreeAltStack(void* stack);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_FAULT_SIGNALS_H_
