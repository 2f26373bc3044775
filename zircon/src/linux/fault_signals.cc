#include "zircon/src/linux/fault_signals.h"

#include <atomic>
#include <cstddef>

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

namespace zircon::linux {
namespace {

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
constexpr int kSignalCount = sizeof(kFaultSignals) / sizeof(kFaultSignals[0]);
constexpr size_t kAltStackSize = 64 * 1024;
// The kill signal is SIGRTMIN plus this; see KillSignal().
constexpr int kKillSignalOffset = 9;

// Written before the handlers are installed and read by them; the saved dispositions stay
// valid after uninstalling, for a handler still running.
struct sigaction g_previous[kSignalCount];
std::atomic<FaultCallback> g_callback{nullptr};
bool g_installed = false;

// The kill signal's callback and the disposition its handler replaced: written once, before the
// handler is installed.
struct sigaction g_previous_kill;
std::atomic<KillCallback> g_kill_callback{nullptr};

int IndexOf(int signo) {
  for (int i = 0; i < kSignalCount; ++i) {
    if (kFaultSignals[i] == signo) {
      return i;
    }
  }
  return -1;
}

// Hands the signal to `previous`, the disposition installed before portloop's. A real handler is
// called; otherwise the default action is restored so that the fault, when the instruction runs
// again, ends the process as it would have without portloop. A trap that does not re-execute (a
// breakpoint) or a signal someone sent is raised again; it is blocked until the handler returns.
void PassOn(const struct sigaction& previous, int signo, siginfo_t* info, void* context) {
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != nullptr) {
    previous.sa_sigaction(signo, info, context);
    return;
  }
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(signo);
    return;
  }
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signo, &default_action, nullptr);
  if (signo == SIGTRAP || info->si_code <= 0) {
    raise(signo);
  }
}

void OnFaultSignal(int signo, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  FaultCallback callback = g_callback.load(std::memory_order_acquire);
  FaultAction action = FaultAction::kPassOn;
  if (callback != nullptr) {
    action = callback(signo, info, static_cast<ucontext_t*>(context));
  }
  if (action == FaultAction::kPassOn) {
    PassOn(g_previous[IndexOf(signo)], signo, info, context);
  }
  errno = saved_errno;
}

void OnKillSignal(int signo, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  KillCallback callback = g_kill_callback.load(std::memory_order_acquire);
  if ((callback == nullptr || !callback(static_cast<ucontext_t*>(context))) &&
      g_previous_kill.sa_handler != SIG_IGN) {
    PassOn(g_previous_kill, signo, info, context);
  }
  errno = saved_errno;
}

zx_status_t InstallKillSignalHandlerOnce(KillCallback callback) {
  g_kill_callback.store(callback, std::memory_order_release);
  struct sigaction action = {};
  action.sa_sigaction = OnKillSignal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  return sigaction(KillSignal(), &action, &g_previous_kill) == 0 ? ZX_OK : ZX_ERR_INTERNAL;
}

}  // namespace

zx_status_t InstallFaultHandlers(FaultCallback callback) {
  g_callback.store(callback, std::memory_order_release);
  if (g_installed) {
    return ZX_OK;
  }
  struct sigaction action = {};
  action.sa_sigaction = OnFaultSignal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, KillSignal());
  for (int i = 0; i < kSignalCount; ++i) {
    if (sigaction(kFaultSignals[i], &action, &g_previous[i]) != 0) {
      for (int j = 0; j < i; ++j) {
        sigaction(kFaultSignals[j], &g_previous[j], nullptr);
      }
      return ZX_ERR_INTERNAL;
    }
  }
  g_installed = true;
  return ZX_OK;
}

void UninstallFaultHandlers() {
  if (!g_installed) {
    return;
  }
  for (int i = 0; i < kSignalCount; ++i) {
    sigaction(kFaultSignals[i], &g_previous[i], nullptr);
  }
  g_installed = false;
}

int KillSignal() { return SIGRTMIN + kKillSignalOffset; }

zx_status_t InstallKillSignalHandler(KillCallback callback) {
  // A function-local static: thread-safe, once.
  static const zx_status_t kInstallStatus = InstallKillSignalHandlerOnce(callback);
  return kInstallStatus;
}

pid_t CurrentThreadId() { return static_cast<pid_t>(syscall(SYS_gettid)); }

void SendKillSignal(pid_t tid) {
  syscall(SYS_tgkill, static_cast<pid_t>(getpid()), tid, KillSignal());
}

void RedirectContext(ucontext_t* context, uintptr_t sp, uintptr_t ip) {
#if defined(__x86_64__)
  context->uc_mcontext.gregs[REG_RSP] = static_cast<greg_t>(sp);
  context->uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(ip);
#else
#error "RedirectContext needs this architecture's register names"
#endif
}

uintptr_t InterruptedStackPointer(const ucontext_t* context) {
#if defined(__x86_64__)
  return static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RSP]);
#else
#error "InterruptedStackPointer needs this architecture's register names"
#endif
}

void* SetUpAltStack() {
  stack_t current = {};
  if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) == 0) {
    return nullptr;  // the thread has one already (its owner's, or ours)
  }
  void* memory = mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (memory == MAP_FAILED) {
    return nullptr;
  }
  stack_t stack = {};
  stack.ss_sp = memory;
  stack.ss_size = kAltStackSize;
  if (sigaltstack(&stack, nullptr) != 0) {
    munmap(memory, kAltStackSize);
    return nullptr;
  }
  return memory;
}

void FreeAltStack(void* stack) {
  if (stack == nullptr) {
    return;
  }
  stack_t disable = {};
  disable.ss_flags = SS_DISABLE;
  sigaltstack(&disable, nullptr);
  munmap(stack, kAltStackSize);
}

}  // namespace zircon::linux
