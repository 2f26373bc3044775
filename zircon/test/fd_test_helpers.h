// Helpers shared by the tests of fd and process handles (<zircon/linux/*.h>): owned Linux fds,
// socket pairs and pipes, and fd handles.
#ifndef ZIRCON_TEST_FD_TEST_HELPERS_H_
#define ZIRCON_TEST_FD_TEST_HELPERS_H_

#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <cstdint>
#include <utility>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {

// Owns a Linux fd and closes it when destroyed. Thread-compatible.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(other.release()) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { reset(); }

  int get() const { return fd_; }
  // Gives up ownership (e.g. to an adopting handle) and returns the fd.
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A connected pair of non-blocking Unix stream sockets.
inline void NewSocketPair(OwnedFd* out0, OwnedFd* out1) {
  int fds[2] = {-1, -1};
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
  out0->reset(fds[0]);
  out1->reset(fds[1]);
}

// A non-blocking pipe: `read_end` and `write_end`.
inline void NewPipe(OwnedFd* read_end, OwnedFd* write_end) {
  int fds[2] = {-1, -1};
  ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  read_end->reset(fds[0]);
  write_end->reset(fds[1]);
}

// A handle borrowing `fd`.
inline OwnedHandle NewFdHandle(int fd, uint32_t options = ZX_LINUX_FD_BORROW) {
  OwnedHandle handle;
  EXPECT_EQ(zx_linux_fd_create(fd, options, handle.reset_and_get_address()), ZX_OK);
  return handle;
}

// Whether `fd` is an open fd.
inline bool IsOpenFd(int fd) { return fcntl(fd, F_GETFD) != -1; }

// Writes `count` bytes of `value` to `fd`, which must take them all.
inline void WriteBytes(int fd, size_t count = 1, uint8_t value = 'x') {
  uint8_t buffer[256];
  ASSERT_LE(count, sizeof(buffer));
  for (size_t i = 0; i < count; ++i) {
    buffer[i] = value;
  }
  ASSERT_EQ(write(fd, buffer, count), static_cast<ssize_t>(count));
}

// Reads everything `fd` holds now (it must be non-blocking) and returns how many bytes it got.
inline size_t DrainFd(int fd) {
  uint8_t buffer[4096];
  size_t total = 0;
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) {
      return total;
    }
    total += static_cast<size_t>(n);
  }
}

// Registers a wait and fails the test on error.
inline void WaitAsyncOn(zx_handle_t object, zx_handle_t port, uint64_t key, zx_signals_t signals,
                        uint32_t options = ZX_WAIT_ASYNC_ONCE) {
  ASSERT_EQ(zx_object_wait_async(object, port, key, signals, options), ZX_OK);
}

// Dequeues one packet, waiting as long as needed (bounded by GenerousDeadline()).
inline zx_port_packet_t AwaitPacket(zx_handle_t port) {
  zx_port_packet_t packet = {};
  EXPECT_EQ(zx_port_wait(port, GenerousDeadline(), &packet), ZX_OK);
  return packet;
}

// Raises this process's fd limit to at least `wanted` for the life of the object, if Linux lets
// it (raising the hard limit needs CAP_SYS_RESOURCE). Thread-compatible.
class ScopedFdLimit {
 public:
  explicit ScopedFdLimit(rlim_t wanted) {
    getrlimit(RLIMIT_NOFILE, &saved_);
    if (saved_.rlim_cur >= wanted) {
      raised_ = true;
      return;
    }
    rlimit raised = saved_;
    raised.rlim_cur = wanted;
    if (raised.rlim_max < wanted) {
      raised.rlim_max = wanted;
    }
    raised_ = setrlimit(RLIMIT_NOFILE, &raised) == 0;
    changed_ = raised_;
  }
  ~ScopedFdLimit() {
    if (changed_) {
      setrlimit(RLIMIT_NOFILE, &saved_);
    }
  }
  ScopedFdLimit(const ScopedFdLimit&) = delete;
  ScopedFdLimit& operator=(const ScopedFdLimit&) = delete;

  bool raised() const { return raised_; }
  rlim_t previous() const { return saved_.rlim_cur; }

 private:
  rlimit saved_ = {};
  bool raised_ = false;
  bool changed_ = false;
};

}  // namespace zircon_test

#endif  // ZIRCON_TEST_FD_TEST_HELPERS_H_
