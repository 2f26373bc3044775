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

}  // namespace

thread_local uint32_t t_locks_held = 0;

void RunDeferredWakes() {
  while (t_deferred_count > 0) {
    linux::FutexWake(t_deferred[--t_deferred_count], 1);
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

}  // namespace zircon::kernel
