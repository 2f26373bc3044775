#include "zircon/src/linux/fault_signals.h"

#include <atomic>
#include <cstddef>

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

namespace zircon::linux {
namespace {

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
constexpr int kSignalCount = sizeof(kFaultSignals) / sizeof(kFaultSignals[0]);
constexpr size_t kAltStackSize = 64 * 1024;

// Written before the handlers are installed and read by them; the saved dispositions stay
// valid after uninstalling, for a handler still running.
struct sigaction g_previous[kSignalCount];
std::atomic<FaultCallback> g_callback{nullptr};
bool g_installed = false;

int IndexOf(int signo) {
  for (int i = 0; i < kSignalCount; ++i) {
    if (kFaultSignals[i] == signo) {
      return i;
    }
  }
  return -1;
}

// Hands the fault to what was there before portloop. A real handler is called; otherwise the
// default action is restored so that the fault, when the instruction runs again, ends the
// process as it would have without portloop. A trap that does not re-execute (a breakpoint)
// or a signal someone sent is raised again; it is blocked until the handler returns.
void PassOn(int signo, siginfo_t* info, void* context) {
  const struct sigaction& previous = g_previous[IndexOf(signo)];
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
    PassOn(signo, info, context);
  }
  errno = saved_errno;
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
