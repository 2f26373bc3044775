// Child process handles (<zircon/linux/process.h>): ZX_PROCESS_TERMINATED, ZX_INFO_PROCESS and
// the errors for processes that are not waitable children.

#include <zircon/linux/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <cerrno>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zircon/test/fd_test_helpers.h"
#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

// Forks a child that exits with `code` at once. Only async-signal-safe calls in the child.
pid_t ForkExiting(int code) {
  const pid_t pid = fork();
  if (pid == 0) {
    _exit(code);
  }
  EXPECT_GT(pid, 0);
  return pid;
}

// Forks a child that exits with `code` once `gate` (a pipe's write end, closed in the child)
// has no writer left, so the parent controls when it ends.
pid_t ForkWaitingFor(OwnedFd* gate_read, OwnedFd* gate_write, int code) {
  NewPipe(gate_read, gate_write);
  const pid_t pid = fork();
  if (pid == 0) {
    close(gate_write->get());
    fcntl(gate_read->get(), F_SETFL, 0);  // blocking reads: sleep until end of file
    char byte;
    for (;;) {
      const ssize_t n = read(gate_read->get(), &byte, 1);
      if (n == 0 || (n < 0 && errno != EINTR)) {
        break;
      }
    }
    _exit(code);
  }
  EXPECT_GT(pid, 0);
  gate_read->reset();
  return pid;
}

OwnedHandle NewProcessHandle(pid_t pid) {
  OwnedHandle handle;
  EXPECT_EQ(zx_linux_process_create(pid, 0u, handle.reset_and_get_address()), ZX_OK);
  return handle;
}

zx_info_process_t ProcessInfo(zx_handle_t handle) {
  zx_info_process_t info = {};
  EXPECT_EQ(zx_object_get_info(handle, ZX_INFO_PROCESS, &info, sizeof(info), nullptr, nullptr),
            ZX_OK);
  return info;
}

TEST(ProcessTest, ExitQueuesATerminatedPacketAndGivesTheReturnCode) {
  const pid_t pid = ForkExiting(3);
  OwnedHandle process = NewProcessHandle(pid);
  OwnedHandle port = NewPort();
  WaitAsyncOn(process.get(), port.get(), 42u, ZX_PROCESS_TERMINATED);
  const zx_port_packet_t packet = AwaitPacket(port.get());
  EXPECT_EQ(packet.key, 42u);
  EXPECT_EQ(packet.signal.observed & ZX_PROCESS_TERMINATED, ZX_PROCESS_TERMINATED);
  const zx_info_process_t info = ProcessInfo(process.get());
  EXPECT_TRUE(info.started);
  EXPECT_TRUE(info.exited);
  EXPECT_FALSE(info.debugger_attached);
  EXPECT_EQ(info.return_code, 3);
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1);  // the handle reaped it
}

TEST(ProcessTest, KilledChildHasMinusTheSignalAsReturnCode) {
  OwnedFd gate_read, gate_write;
  const pid_t pid = ForkWaitingFor(&gate_read, &gate_write, 0);
  OwnedHandle process = NewProcessHandle(pid);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  zx_signals_t observed = 0;
  ASSERT_EQ(zx_object_wait_one(process.get(), ZX_PROCESS_TERMINATED, GenerousDeadline(), &observed),
            ZX_OK);
  EXPECT_EQ(ProcessInfo(process.get()).return_code, -SIGKILL);
}

TEST(ProcessTest, RunningChildIsNotTerminatedUntilItExits) {
  OwnedFd gate_read, gate_write;
  const pid_t pid = ForkWaitingFor(&gate_read, &gate_write, 7);
  OwnedHandle process = NewProcessHandle(pid);
  OwnedHandle port = NewPort();
  WaitAsyncOn(process.get(), port.get(), 1u, ZX_PROCESS_TERMINATED);
  EXPECT_TRUE(PortIsEmpty(port.get()));
  const zx_info_process_t running = ProcessInfo(process.get());
  EXPECT_TRUE(running.started);
  EXPECT_FALSE(running.exited);
  EXPECT_EQ(SignalsOf(process.get()) & ZX_PROCESS_TERMINATED, 0u);

  gate_write.reset();  // lets the child exit
  EXPECT_EQ(AwaitPacket(port.get()).key, 1u);
  EXPECT_EQ(ProcessInfo(process.get()).return_code, 7);
  // Sticky: later waits complete at once.
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(process.get(), ZX_PROCESS_TERMINATED, 0, &observed), ZX_OK);
}

TEST(ProcessTest, HandleIsAProcessWithDefaultProcessRights) {
  const pid_t pid = ForkExiting(0);
  OwnedHandle process = NewProcessHandle(pid);
  const zx_info_handle_basic_t info = BasicInfo(process.get());
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_PROCESS);
  EXPECT_EQ(info.rights, ZX_DEFAULT_PROCESS_RIGHTS);
  EXPECT_EQ(info.props, ZX_OBJ_PROP_WAITABLE);
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(process.get(), ZX_PROCESS_TERMINATED, GenerousDeadline(), &observed),
            ZX_OK);
}

TEST(ProcessTest, InfoNeedsInspectAndBufferSpace) {
  const pid_t pid = ForkExiting(0);
  OwnedHandle process = NewProcessHandle(pid);
  zx_info_process_t info = {};
  size_t actual = 9, avail = 9;
  EXPECT_EQ(
      zx_object_get_info(process.get(), ZX_INFO_PROCESS, &info, sizeof(info) - 1, &actual, &avail),
      ZX_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(avail, 1u);
  OwnedHandle no_inspect =
      Duplicate(process.get(), Without(ZX_DEFAULT_PROCESS_RIGHTS, ZX_RIGHT_INSPECT));
  EXPECT_EQ(
      zx_object_get_info(no_inspect.get(), ZX_INFO_PROCESS, &info, sizeof(info), nullptr, nullptr),
      ZX_ERR_ACCESS_DENIED);
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_object_get_info(event.get(), ZX_INFO_PROCESS, &info, sizeof(info), nullptr, nullptr),
            ZX_ERR_WRONG_TYPE);
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(process.get(), ZX_PROCESS_TERMINATED, GenerousDeadline(), &observed),
            ZX_OK);
}

TEST(ProcessTest, BadArgumentsAreInvalidArgs) {
  zx_handle_t handle = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_linux_process_create(0, 0u, &handle), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_linux_process_create(-1, 0u, &handle), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_linux_process_create(getpid(), 1u, &handle), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_linux_process_create(getpid(), 0u, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(handle, ZX_HANDLE_INVALID);
}

TEST(ProcessTest, ProcessThatIsNotAChildIsAccessDenied) {
  zx_handle_t handle = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_linux_process_create(getppid(), 0u, &handle), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_linux_process_create(getpid(), 0u, &handle), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(handle, ZX_HANDLE_INVALID);
}

TEST(ProcessTest, ReapedChildIsNotFound) {
  const pid_t pid = ForkExiting(0);
  ASSERT_EQ(waitpid(pid, nullptr, 0), pid);
  zx_handle_t handle = ZX_HANDLE_INVALID;
  // Linux hands out pids in increasing order and wraps only after pid_max, so `pid` is free.
  EXPECT_EQ(zx_linux_process_create(pid, 0u, &handle), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(handle, ZX_HANDLE_INVALID);
}

TEST(ProcessTest, StatusCollectedElsewhereIsReportedAsUnknown) {
  const pid_t pid = ForkExiting(5);
  OwnedHandle process = NewProcessHandle(pid);
  ASSERT_EQ(waitpid(pid, nullptr, 0), pid);  // takes the status before the handle can
  zx_signals_t observed = 0;
  ASSERT_EQ(zx_object_wait_one(process.get(), ZX_PROCESS_TERMINATED, GenerousDeadline(), &observed),
            ZX_OK);
  const zx_info_process_t info = ProcessInfo(process.get());
  EXPECT_TRUE(info.exited);
  EXPECT_EQ(info.return_code, ZX_LINUX_PROCESS_RETURN_CODE_UNKNOWN);
}

TEST(ProcessTest, ClosingTheHandleNeitherKillsNorReapsTheChild) {
  OwnedFd gate_read, gate_write;
  const pid_t pid = ForkWaitingFor(&gate_read, &gate_write, 9);
  NewProcessHandle(pid).reset();
  EXPECT_EQ(kill(pid, 0), 0);  // still there
  gate_write.reset();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 9);
}

}  // namespace
}  // namespace zircon_test
