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

}  // namespace

zx_status_t FutexWait(std::atomic<uint32_t>* word, uint32_t expected, zx_time_t deadline) {
  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC timeout, so a retried EINTR does not
  // stretch the wait.
  timespec abs_timeout;
  const timespec* timeout = nullptr;
  if (deadline != ZX_TIME_INFINITE) {
    if (deadline < 0) {
      deadline = 0;
    }
    abs_timeout.tv_sec = static_cast<time_t>(deadline / 1'000'000'000);
    abs_timeout.tv_nsec = static_cast<long>(deadline % 1'000'000'000);
    timeout = &abs_timeout;
  }
  for (;;) {
    long rc = Futex(word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, timeout,
                    FUTEX_BITSET_MATCH_ANY);
    if (rc == 0) {
      return ZX_OK;
    }
    switch (errno) {
      case EINTR:
        if (word->load(std::memory_order_acquire) != expected) {
          return ZX_OK;
        }
        continue;
      case ETIMEDOUT:
        return ZX_ERR_TIMED_OUT;
      default:  // EAGAIN: the word changed before we slept.
        return ZX_OK;
    }
  }
}

void FutexWake(std::atomic<uint32_t>* word, int count) {
  Futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, static_cast<uint32_t>(count), nullptr, 0);
}

}  // namespace zircon::linux
