#include "zircon/src/linux/futex.h"

#include <cerrno>
#include <climits>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace zircon::linux {
namespace {

// std::atomic<uint32_t> is layout-compatible with uint32_t on every Linux ABI we build for.
static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value, const timespec* timeout,
           uint32_t mask) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, timeout, nullptr, mask);
}

// Sleep interruption (InterruptSleeps). Both are written by the thread and by a signal handler on
// that thread only, hence atomics with relaxed order and signal fences. Initial-exec: the handler
// must not make glibc allocate a TLS block.
__attribute__((tls_model("initial-exec"))) thread_local std::atomic<bool> t_sleeps_interrupted{
    false};
__attribute__((tls_model("initial-exec"))) thread_local std::atomic<timespec*> t_sleep_timeout{
    nullptr};

}  // namespace

void InterruptSleeps() {
  t_sleeps_interrupted.store(true, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  timespec* timeout = t_sleep_timeout.load(std::memory_order_relaxed);
  if (timeout != nullptr) {
    // The interrupted code reads it only by passing it to Linux: no torn read is possible.
    timeout->tv_sec = 0;
    timeout->tv_nsec = 0;
  }
}

InterruptibleTimeout::InterruptibleTimeout(timespec* timeout) {
  t_sleep_timeout.store(timeout, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);  // published before the check
  if (Interrupted()) {
    timeout->tv_sec = 0;
    timeout->tv_nsec = 0;
  }
}

InterruptibleTimeout::~InterruptibleTimeout() {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t_sleep_timeout.store(nullptr, std::memory_order_relaxed);
}

bool InterruptibleTimeout::Interrupted() {
  return t_sleeps_interrupted.load(std::memory_order_relaxed);
}

zx_status_t FutexWait(std::atomic<uint32_t>* word, uint32_t expected, zx_time_t deadline) {
  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC timeout, so a retried EINTR does not
  // stretch the wait. An infinite wait passes kNeverTimeout rather than none, so that
  // InterruptSleeps has a timeout to zero.
  timespec timeout = kNeverTimeout;
  if (deadline != ZX_TIME_INFINITE) {
    if (deadline < 0) {
      deadline = 0;
    }
    timeout.tv_sec = static_cast<time_t>(deadline / 1'000'000'000);
    timeout.tv_nsec = static_cast<long>(deadline % 1'000'000'000);
  }
  InterruptibleTimeout interruptible(&timeout);
  for (;;) {
    long rc = Futex(word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, &timeout,
                    FUTEX_BITSET_MATCH_ANY);
    if (rc == 0) {
      return ZX_OK;
    }
    switch (errno) {
      case EINTR:
        if (word->load(std::memory_order_acquire) != expected ||
            InterruptibleTimeout::Interrupted()) {
          return ZX_OK;
        }
        continue;
      case ETIMEDOUT:
        return InterruptibleTimeout::Interrupted() ? ZX_OK : ZX_ERR_TIMED_OUT;
      default:  // EAGAIN: the word changed before we slept.
        return ZX_OK;
    }
  }
}

void FutexWake(std::atomic<uint32_t>* word, int count) {
  Futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, static_cast<uint32_t>(count), nullptr, 0);
}

}  // namespace zircon::linux
