// The one place portloop sleeps: Linux futexes on a 32-bit word.
#ifndef ZIRCON_SRC_LINUX_FUTEX_H_
#define ZIRCON_SRC_LINUX_FUTEX_H_

#include <zircon/types.h>

#include <atomic>
#include <cstdint>

#include <time.h>

namespace zircon::linux {

// Sleeps while `*word == expected`, until woken by FutexWake or until the absolute monotonic
// `deadline` (ZX_TIME_INFINITE: no deadline). Spurious returns are possible: callers re-check
// their condition. Thread-safe.
//
// Returns ZX_OK if woken, the word had already changed, or the thread's sleeps are interrupted
// (InterruptSleeps); ZX_ERR_TIMED_OUT at the deadline.
[[nodiscard]] zx_status_t FutexWait(std::atomic<uint32_t>* word, uint32_t expected,
                                    zx_time_t deadline);

// Wakes up to `count` threads sleeping on `word`. Thread-safe.
void FutexWake(std::atomic<uint32_t>* word, int count);

// Interrupts the calling thread's sleeps for good: the FutexWait, EpollWait or PollFds it is in,
// or is about to start, returns at once, and so does every later one on this thread. For
// zx_task_kill, whose signal handler calls it on the thread being killed. Async-signal-safe.
void InterruptSleeps();

// The timeout of one sleeping Linux call, published while the call is made, so that
// InterruptSleeps (in a signal handler on the same thread) can zero it: a signal that lands after
// the caller checked for interruption but before the call went to sleep then still ends the sleep
// at once, where EINTR alone would come too early. Linux reads the timeout when the call starts.
// For FutexWait, EpollWait and PollFds only; one per call, on its stack. Thread-compatible.
class InterruptibleTimeout {
 public:
  // Publishes `timeout` (it must outlive this object), zeroing it if the sleeps are interrupted.
  explicit InterruptibleTimeout(timespec* timeout);
  ~InterruptibleTimeout();
  InterruptibleTimeout(const InterruptibleTimeout&) = delete;
  InterruptibleTimeout& operator=(const InterruptibleTimeout&) = delete;

  // Whether the calling thread's sleeps are interrupted.
  static bool Interrupted();
};

// A timeout that stands for "never" where Linux needs one in memory (so that it can be zeroed):
// Linux saturates it to no timeout at all, whether read as relative or as absolute.
inline constexpr timespec kNeverTimeout = {.tv_sec = INT64_MAX / 4, .tv_nsec = 0};

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_FUTEX_H_
