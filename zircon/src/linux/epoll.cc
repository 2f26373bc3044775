#include "zircon/src/linux/epoll.h"

#include <algorithm>
#include <atomic>
#include <cerrno>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "zircon/src/linux/clock.h"
#include "zircon/src/linux/errno.h"
#include "zircon/src/linux/futex.h"

namespace zircon::linux {

static_assert(kPollIn == EPOLLIN && kPollIn == POLLIN);
static_assert(kPollPriority == EPOLLPRI && kPollPriority == POLLPRI);
static_assert(kPollOut == EPOLLOUT && kPollOut == POLLOUT);
static_assert(kPollError == EPOLLERR && kPollError == POLLERR);
static_assert(kPollHangUp == EPOLLHUP && kPollHangUp == POLLHUP);
static_assert(kPollInvalid == POLLNVAL);
static_assert(kPollReadHangUp == EPOLLRDHUP && kPollReadHangUp == POLLRDHUP);
static_assert(kEpollOneShot == EPOLLONESHOT);

namespace {

// Events fetched per epoll_wait: enough that a burst of ready fds costs few calls, small enough
// for the stack of the thread that polls.
constexpr size_t kMaxEventsPerWait = 64;

// The time left until `deadline`, or kNeverTimeout for ZX_TIME_INFINITE (a timeout in memory,
// which InterruptSleeps can zero).
timespec TimeoutUntil(zx_time_t deadline) {
  if (deadline == ZX_TIME_INFINITE) {
    return kNeverTimeout;
  }
  zx_time_t left = deadline - MonotonicNow();
  if (left < 0) {
    left = 0;
  }
  return {.tv_sec = static_cast<time_t>(left / 1'000'000'000),
          .tv_nsec = static_cast<long>(left % 1'000'000'000)};
}

// epoll_wait with nanosecond timeouts where the kernel has epoll_pwait2 (Linux 5.11), else with
// milliseconds rounded up, so that a wait never ends before its deadline. epoll_pwait2 is called
// directly (not through glibc, which may copy the timeout) so that InterruptSleeps can zero the
// timeout Linux will read. Before 5.11 an interruption that lands just before epoll_wait sleeps is
// seen only when the sleep ends.
int WaitForEvents(int epoll_fd, epoll_event* events, int capacity, zx_time_t deadline) {
  // relaxed: a cache of a fact about the kernel; every thread may find it out for itself.
  static std::atomic<bool> have_pwait2{true};
  timespec timeout = TimeoutUntil(deadline);
  if (have_pwait2.load(std::memory_order_relaxed)) {
    InterruptibleTimeout interruptible(&timeout);
    const int rc = static_cast<int>(
        syscall(SYS_epoll_pwait2, epoll_fd, events, capacity, &timeout, nullptr, 0));
    if (rc >= 0 || errno != ENOSYS) {
      return rc;
    }
    have_pwait2.store(false, std::memory_order_relaxed);
  }
  int timeout_ms = -1;
  if (deadline != ZX_TIME_INFINITE) {
    const int64_t ms = (timeout.tv_sec * 1'000'000'000 + timeout.tv_nsec + 999'999) / 1'000'000;
    timeout_ms = static_cast<int>(std::min<int64_t>(ms, INT32_MAX));
  }
  if (InterruptibleTimeout::Interrupted()) {
    timeout_ms = 0;
  }
  return epoll_wait(epoll_fd, events, capacity, timeout_ms);
}

// A set used only to ask Linux whether an fd can be polled. Never closed.
int ProbeSet() {
  static const int kProbeFd = epoll_create1(EPOLL_CLOEXEC);
  return kProbeFd;
}

}  // namespace

zx_status_t EpollCreate(int* out_fd) {
  const int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) {
    return StatusFromErrno(errno);
  }
  *out_fd = fd;
  return ZX_OK;
}

zx_status_t EpollControl(int epoll_fd, EpollOp op, int fd, uint32_t events, void* data) {
  epoll_event event = {};
  event.events = events;
  event.data.ptr = data;
  int linux_op = EPOLL_CTL_ADD;
  if (op == EpollOp::kModify) {
    linux_op = EPOLL_CTL_MOD;
  } else if (op == EpollOp::kDelete) {
    linux_op = EPOLL_CTL_DEL;
  }
  if (epoll_ctl(epoll_fd, linux_op, fd, &event) == 0) {
    return ZX_OK;
  }
  // EPERM is epoll's way of saying that the file has no poll support.
  return errno == EPERM ? ZX_ERR_NOT_SUPPORTED : StatusFromErrno(errno);
}

zx_status_t EpollWait(int epoll_fd, EpollEvent* out, size_t capacity, zx_time_t deadline,
                      size_t* out_count) {
  epoll_event events[kMaxEventsPerWait];
  const int max = static_cast<int>(std::min(capacity, kMaxEventsPerWait));
  const int rc = WaitForEvents(epoll_fd, events, max, deadline);
  *out_count = 0;
  if (rc < 0) {
    // EINTR: a Linux signal handler ran; the caller re-checks its state and waits again.
    return errno == EINTR ? ZX_OK : StatusFromErrno(errno);
  }
  if (rc == 0) {
    return ZX_ERR_TIMED_OUT;
  }
  for (int i = 0; i < rc; ++i) {
    out[i].events = events[i].events;
    out[i].data = events[i].data.ptr;
  }
  *out_count = static_cast<size_t>(rc);
  return ZX_OK;
}

zx_status_t PollFds(PollItem* items, size_t count, zx_time_t deadline) {
  constexpr size_t kMaxItems = ZX_WAIT_MANY_MAX_ITEMS + 1;
  pollfd fds[kMaxItems];
  count = std::min(count, kMaxItems);
  for (size_t i = 0; i < count; ++i) {
    fds[i].fd = items[i].fd;
    fds[i].events = static_cast<short>(items[i].events);
    fds[i].revents = 0;
  }
  timespec timeout = TimeoutUntil(deadline);
  int rc;
  {
    // Directly, not through glibc, which copies the timeout: see WaitForEvents.
    InterruptibleTimeout interruptible(&timeout);
    rc = static_cast<int>(syscall(SYS_ppoll, fds, count, &timeout, nullptr, 0));
  }
  for (size_t i = 0; i < count; ++i) {
    items[i].revents = rc > 0 ? static_cast<uint16_t>(fds[i].revents) : 0u;
  }
  if (rc < 0) {
    return errno == EINTR ? ZX_OK : StatusFromErrno(errno);
  }
  return rc == 0 ? ZX_ERR_TIMED_OUT : ZX_OK;
}

zx_status_t ProbeFd(int fd) {
  if (fd < 0) {
    return ZX_ERR_BAD_HANDLE;
  }
  struct stat info;
  if (fstat(fd, &info) != 0) {
    return errno == EBADF ? ZX_ERR_BAD_HANDLE : StatusFromErrno(errno);
  }
  if (S_ISSOCK(info.st_mode) || S_ISFIFO(info.st_mode)) {
    return ZX_OK;
  }
  if (S_ISREG(info.st_mode) || S_ISDIR(info.st_mode)) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  // Devices and anonymous files (eventfd, timerfd, signalfd, inotify, pidfd, epoll) vary: ask.
  const int probe = ProbeSet();
  if (probe < 0) {
    return ZX_ERR_NO_RESOURCES;
  }
  zx_status_t status = EpollControl(probe, EpollOp::kAdd, fd, 0, nullptr);
  if (status == ZX_ERR_ALREADY_EXISTS) {
    return ZX_OK;  // another thread is probing the same fd: it is pollable
  }
  if (status == ZX_OK) {
    (void)EpollControl(probe, EpollOp::kDelete, fd, 0, nullptr);
  }
  return status;
}

void CloseFd(int fd) { close(fd); }

}  // namespace zircon::linux
