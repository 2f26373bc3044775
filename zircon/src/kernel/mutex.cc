#include "zircon/src/kernel/mutex.h"

#include "zircon/src/linux/futex.h"

namespace zircon::kernel {
namespace internal {
namespace {

// Wake-ups a thread deferred while holding kernel locks. A handful suffices: one signal wakes
// at most one waiter per observer it fires, and a full list is flushed early.
constexpr int kMaxDeferredWakes = 16;
thread_local std::atomic<uint32_t>* t_deferred[kMaxDeferredWakes];
thread_local int t_deferred_count = 0;

// Other deferred work (RunWhenUnlocked): a port's poller kick per port a signal reaches.
constexpr int kMaxDeferredActions = 8;
struct DeferredWork {
  DeferredAction action;
  void* arg;
};
thread_local DeferredWork t_deferred_actions[kMaxDeferredActions];
thread_local int t_deferred_action_count = 0;

}  // namespace

constinit thread_local uint32_t t_locks_held = 0;
constinit __attribute__((tls_model("initial-exec"))) thread_local std::atomic<uint32_t>
    t_kernel_depth{0};
constinit __attribute__((tls_model("initial-exec"))) thread_local std::atomic<bool> t_kill_pending{
    false};

void RunDeferredWakes() {
  while (t_deferred_count > 0) {
    linux::FutexWake(t_deferred[--t_deferred_count], 1);
  }
  // Each entry leaves the list before it runs, so an action that takes and drops a kernel lock
  // (and so runs this function again) never sees it twice.
  while (t_deferred_action_count > 0) {
    const DeferredWork work = t_deferred_actions[--t_deferred_action_count];
    work.action(work.arg);
  }
}

}  // namespace internal

void WakeWhenUnlocked(std::atomic<uint32_t>* word) {
  if (internal::t_locks_held == 0) {
    linux::FutexWake(word, 1);
    return;
  }
  if (internal::t_deferred_count == internal::kMaxDeferredWakes) {
    linux::FutexWake(word, 1);  // no room: wake now rather than lose it
    return;
  }
  internal::t_deferred[internal::t_deferred_count++] = word;
}

void RunWhenUnlocked(DeferredAction action, void* arg) {
  if (internal::t_locks_held == 0) {
    action(arg);
    return;
  }
  if (internal::t_deferred_action_count == internal::kMaxDeferredActions) {
    action(arg);  // no room: run now rather than lose it
    return;
  }
  internal::t_deferred_actions[internal::t_deferred_action_count++] = {action, arg};
}

}  // namespace zircon::kernel
