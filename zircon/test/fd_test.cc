// Fd handles (<zircon/linux/fd.h>): creation, errors, ownership of the fd, rights and signals.

#include <zircon/linux/fd.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <cstdio>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "zircon/test/fd_test_helpers.h"
#include "zircon/test/test_helpers.h"

extern "C" int LinuxHeadersRunChecks(void);

namespace zircon_test {
namespace {

TEST(FdTest, HandleIsAWaitableLinuxFdWithDefaultRights) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  OwnedHandle handle = NewFdHandle(a.get());
  const zx_info_handle_basic_t info = BasicInfo(handle.get());
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_LINUX_FD);
  EXPECT_EQ(info.rights, ZX_DEFAULT_LINUX_FD_RIGHTS);
  EXPECT_EQ(info.rights, 0xD00Fu);
  EXPECT_EQ(info.props, ZX_OBJ_PROP_WAITABLE);
  EXPECT_EQ(info.related_koid, ZX_KOID_INVALID);

  int fd = -1;
  ASSERT_EQ(zx_linux_fd_get(handle.get(), &fd), ZX_OK);
  EXPECT_EQ(fd, a.get());
}

TEST(FdTest, EachCreateMakesANewObject) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  OwnedHandle first = NewFdHandle(a.get());
  OwnedHandle second = NewFdHandle(a.get());
  EXPECT_NE(KoidOf(first.get()), KoidOf(second.get()));
}

TEST(FdTest, BadOptionsOrNullOutAreInvalidArgs) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  zx_handle_t handle = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_linux_fd_create(a.get(), 2u, &handle), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_linux_fd_create(a.get(), ~0u, &handle), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_linux_fd_create(a.get(), ZX_LINUX_FD_BORROW, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(handle, ZX_HANDLE_INVALID);
  EXPECT_TRUE(IsOpenFd(a.get()));
}

TEST(FdTest, NegativeOrClosedFdIsBadHandle) {
  zx_handle_t handle = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_linux_fd_create(-1, ZX_LINUX_FD_BORROW, &handle), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_linux_fd_create(-100, ZX_LINUX_FD_ADOPT, &handle), ZX_ERR_BAD_HANDLE);
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  const int closed_fd = a.get();
  a.reset();
  EXPECT_EQ(zx_linux_fd_create(closed_fd, ZX_LINUX_FD_BORROW, &handle), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(handle, ZX_HANDLE_INVALID);
}

TEST(FdTest, RegularFileAndDirectoryAreNotSupported) {
  FILE* file = tmpfile();
  ASSERT_NE(file, nullptr);
  zx_handle_t handle = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_linux_fd_create(fileno(file), ZX_LINUX_FD_ADOPT, &handle), ZX_ERR_NOT_SUPPORTED);
  EXPECT_TRUE(IsOpenFd(fileno(file)));  // a failed adopt leaves the fd to the caller
  fclose(file);

  OwnedFd directory(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_GE(directory.get(), 0);
  EXPECT_EQ(zx_linux_fd_create(directory.get(), 0u, &handle), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(handle, ZX_HANDLE_INVALID);
}

TEST(FdTest, OtherPollableKindsAreAccepted) {
  OwnedFd epoll(epoll_create1(EPOLL_CLOEXEC));
  ASSERT_GE(epoll.get(), 0);
  OwnedHandle epoll_handle = NewFdHandle(epoll.get());
  OwnedFd read_end, write_end;
  NewPipe(&read_end, &write_end);
  OwnedHandle pipe_handle = NewFdHandle(write_end.get());
  EXPECT_EQ(BasicInfo(pipe_handle.get()).type, ZX_OBJ_TYPE_LINUX_FD);
}

TEST(FdTest, BorrowedFdStaysOpenAfterLastHandleCloses) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  OwnedHandle handle = NewFdHandle(a.get(), ZX_LINUX_FD_BORROW);
  OwnedHandle duplicate = Duplicate(handle.get());
  handle.reset();
  duplicate.reset();
  EXPECT_TRUE(IsOpenFd(a.get()));
}

TEST(FdTest, AdoptedFdClosesWithTheLastHandle) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  const int fd = a.release();
  OwnedHandle handle = NewFdHandle(fd, ZX_LINUX_FD_ADOPT);
  OwnedHandle duplicate = Duplicate(handle.get());
  handle.reset();
  EXPECT_TRUE(IsOpenFd(fd));  // one handle left
  duplicate.reset();
  EXPECT_FALSE(IsOpenFd(fd));
}

TEST(FdTest, GetChecksHandleTypeAndOut) {
  int fd = -1;
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_linux_fd_get(bad, &fd), ZX_ERR_BAD_HANDLE);
  }
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_linux_fd_get(event.get(), &fd), ZX_ERR_WRONG_TYPE);
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  OwnedHandle handle = NewFdHandle(a.get());
  EXPECT_EQ(zx_linux_fd_get(handle.get(), nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(fd, -1);
}

TEST(FdTest, HandleUsedAfterCloseIsBadHandle) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  OwnedHandle port = NewPort();
  const zx_handle_t closed = NewFdHandle(a.get()).release();
  ASSERT_EQ(zx_handle_close(closed), ZX_OK);
  int fd = -1;
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_linux_fd_get(closed, &fd), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_object_wait_async(closed, port.get(), 1u, ZX_LINUX_FD_READABLE, 0u),
            ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_object_wait_one(closed, ZX_LINUX_FD_READABLE, 0, &observed), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_object_signal(closed, 0u, ZX_USER_SIGNAL_0), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_handle_close(closed), ZX_ERR_BAD_HANDLE);
}

TEST(FdTest, UserSignalsAreSettableAndReadinessSignalsAreNot) {
  OwnedFd a, b;
  NewSocketPair(&a, &b);
  OwnedHandle handle = NewFdHandle(a.get());
  ASSERT_EQ(zx_object_signal(handle.get(), 0u, ZX_USER_SIGNAL_3), ZX_OK);
  EXPECT_EQ(SignalsOf(handle.get()) & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_3);
  EXPECT_EQ(zx_object_signal(handle.get(), 0u, ZX_LINUX_FD_READABLE), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_object_signal(handle.get(), ZX_LINUX_FD_ERROR, 0u), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_object_signal_peer(handle.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
}

TEST(FdTest, SignalValuesAndEventMappingMatchTheHeaderTable) {
  EXPECT_EQ(ZX_OBJ_TYPE_LINUX_FD, 0x4c460001u);
  EXPECT_EQ(ZX_LINUX_FD_READABLE, ZX_CHANNEL_READABLE);
  EXPECT_EQ(ZX_LINUX_FD_WRITABLE, ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(ZX_LINUX_FD_PEER_CLOSED, ZX_CHANNEL_PEER_CLOSED);
  EXPECT_EQ(ZX_LINUX_FD_ERROR, 1u << 4);
  EXPECT_EQ(ZX_LINUX_FD_PRIORITY, 1u << 5);
  EXPECT_EQ(zx_linux_fd_signals_from_events(POLLIN | POLLOUT),
            ZX_LINUX_FD_READABLE | ZX_LINUX_FD_WRITABLE);
  EXPECT_EQ(zx_linux_fd_signals_from_events(EPOLLRDHUP), ZX_LINUX_FD_PEER_CLOSED);
  EXPECT_EQ(zx_linux_fd_signals_from_events(POLLHUP), ZX_LINUX_FD_PEER_CLOSED);
  EXPECT_EQ(zx_linux_fd_signals_from_events(POLLERR | POLLNVAL), ZX_LINUX_FD_ERROR);
  EXPECT_EQ(zx_linux_fd_signals_from_events(EPOLLPRI), ZX_LINUX_FD_PRIORITY);
  EXPECT_EQ(zx_linux_fd_events_from_signals(ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED),
            static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP));
  EXPECT_EQ(zx_linux_fd_events_from_signals(ZX_LINUX_FD_WRITABLE | ZX_LINUX_FD_PRIORITY),
            static_cast<uint32_t>(EPOLLOUT | EPOLLPRI));
  EXPECT_EQ(zx_linux_fd_events_from_signals(ZX_LINUX_FD_ERROR | ZX_USER_SIGNAL_0), 0u);
}

TEST(FdTest, LinuxHeadersCompileAsC) { EXPECT_EQ(LinuxHeadersRunChecks(), 0); }

}  // namespace
}  // namespace zircon_test
