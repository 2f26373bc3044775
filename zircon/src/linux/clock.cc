#include "zircon/src/linux/clock.h"

#include <cerrno>

#include <sched.h>
#include <time.h>

namespace zircon::linux {
namespace {

zx_time_t ReadClock(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<zx_time_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

zx_time_t MonotonicNow() { return ReadClock(CLOCK_MONOTONIC); }

zx_time_t UtcNow() { return ReadClock(CLOCK_REALTIME); }

zx_time_t ThreadCpuTime() { return ReadClock(CLOCK_THREAD_CPUTIME_ID); }

void SleepUntil(zx_time_t deadline) {
  if (deadline <= 0) {
    sched_yield();
    return;
  }
  timespec ts;
  ts.tv_sec = static_cast<time_t>(deadline / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(deadline % 1'000'000'000);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

}  // namespace zircon::linux
