// Handlers for the synchronous fault signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) that
// chain to the dispositions installed before them, and per-thread alternate signal stacks.
#ifndef ZIRCON_SRC_LINUX_FAULT_SIGNALS_H_
#define ZIRCON_SRC_LINUX_FAULT_SIGNALS_H_

#include <zircon/types.h>

#include <signal.h>

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
// remembering the dispositions they replace. Installing again while installed does nothing.
// Not async-signal-safe; the callers serialize Install and Uninstall.
// Returns ZX_ERR_INTERNAL if sigaction failed (nothing is then installed).
zx_status_t InstallFaultHandlers(FaultCallback callback);

// Restores the dispositions InstallFaultHandlers replaced. Does nothing if not installed.
void UninstallFaultHandlers();

// Gives the calling thread an alternate signal stack (so a stack overflow can still be
// reported), unless it already has one. Returns the stack to free with FreeAltStack, or null if
// none was made (the thread had one, or out of memory).
void* SetUpAltStack();

// Disables the calling thread's alternate stack and frees `stack` (from SetUpAltStack).
void FreeAltStack(void* stack);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_FAULT_SIGNALS_H_
