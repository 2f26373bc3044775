// Operations on the Linux additions: fd handles (<zircon/linux/fd.h>) and child processes
// (<zircon/linux/process.h>).
//
// The fds are the input's own pipes, eventfds, socket pairs and memfds, plus the standard
// streams and numbers that name no fd. An fd is adopted (ZX_LINUX_FD_ADOPT) only if the input
// owns it and never lent it: the object then closes it with its last handle. Borrowed fds stay
// open until the input's handles are all closed, as the fd.h contract requires.
#include <zircon/linux/fd.h>
#include <zircon/linux/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>

#include <climits>
#include <cstring>

#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {
namespace {

constexpr int kSentinelFd = -7;

// Children of the fuzzer, for zx_linux_process_create: one that lives as long as the fuzzer, and
// one that exited at once (the first object that looks reaps it; later its pid names nothing).
pid_t g_running_child = -1;
pid_t g_exited_child = -1;

pid_t ForkChild(bool keep_running) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  if (keep_running) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the fuzzer
    while (getppid() == parent) {
      pause();
    }
  }
  _exit(3);
}

// Opens a new fd of kind `kind`, records it (both ends of a pair) and returns it; -1 if none.
int OpenFd(FuzzState& state, ByteReader& in, uint8_t kind) {
  int pair[2] = {-1, -1};
  switch (kind) {
    case 0:
      if (pipe2(pair, O_NONBLOCK | O_CLOEXEC) != 0) {
        return -1;
      }
      break;
    case 1:
      pair[0] = eventfd(in.U8(), EFD_NONBLOCK | EFD_CLOEXEC);
      break;
    case 2:
      if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        return -1;
      }
      break;
    default:
      pair[0] = memfd_create("zx-fuzz", MFD_CLOEXEC);  // a regular file: not pollable
      break;
  }
  if (pair[0] < 0) {
    return -1;
  }
  state.AddFd(pair[0]);
  if (pair[1] >= 0) {
    state.AddFd(pair[1]);
  }
  return pair[in.Bool() && pair[1] >= 0 ? 1 : 0];
}

// An fd number the input does not own: a standard stream, or one that names nothing.
int PickForeignFd(ByteReader& in) {
  switch (in.U8() % 5) {
    case 0:
      return -1;
    case 1:
      return INT_MIN;
    case 2:
      return in.U8() % 3;  // stdin, stdout, stderr: open for the life of the process
    default: {
      const int fd = 100000 + in.U8();
      return fcntl(fd, F_GETFD) == -1 ? fd : -1;
    }
  }
}

// The fd to wrap: a new one (if the input may open more), one of the input's, or a foreign one.
int PickFdToWrap(FuzzState& state, ByteReader& in) {
  const uint8_t kind = in.U8() % 6;
  if (kind < 4) {
    return state.CanOpenFd() ? OpenFd(state, in, kind) : -1;
  }
  if (kind == 4) {
    const int index = state.PickFdIndex(in);
    return index < 0 ? -1 : state.fds()[index].fd;
  }
  return PickForeignFd(in);
}

uint32_t PickFdOptions(ByteReader& in) {
  switch (in.U8() % 4) {
    case 0:
      return ZX_LINUX_FD_BORROW;
    case 3:
      return in.U32();
    default:
      return ZX_LINUX_FD_ADOPT;
  }
}

// Index of `fd` in the input's fds, or -1.
int IndexOfFd(FuzzState& state, int fd) {
  for (size_t i = 0; i < state.fds().size(); ++i) {
    if (state.fds()[i].fd == fd) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

void OpFdCreate(FuzzState& state, ByteReader& in) {
  if (!state.CanCreate()) {
    return;
  }
  const int fd = PickFdToWrap(state, in);
  uint32_t options = PickFdOptions(in);
  const bool null_out = PickNull(in);
  const int index = IndexOfFd(state, fd);
  if (options == ZX_LINUX_FD_ADOPT && (index < 0 ? fd >= 0 : state.fds()[index].borrowed)) {
    options = ZX_LINUX_FD_BORROW;  // never adopt what the input does not own outright
  }
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_linux_fd_create(fd, options, ptr);
  CheckStatus("zx_linux_fd_create", kLinuxFdCreate, status);
  RecordCreated(state, "zx_linux_fd_create", status, {ptr},
                {ZX_OBJ_TYPE_LINUX_FD, ZX_DEFAULT_LINUX_FD_RIGHTS});
  if (status != ZX_OK || index < 0) {
    return;  // on failure the caller keeps the fd
  }
  if (options == ZX_LINUX_FD_ADOPT) {
    state.ForgetFd(static_cast<size_t>(index));  // the object closes it with its last handle
  } else {
    state.fds()[index].borrowed = true;
  }
}

void OpFdIo(FuzzState& state, ByteReader& in) {
  static char buffer[8192];
  const int index = state.PickFdIndex(in);
  const uint8_t action = in.U8() % 5;
  const size_t size = 1 + in.U16() % sizeof(buffer);
  if (index < 0) {
    return;
  }
  const int fd = state.fds()[index].fd;
  const uint64_t one = 1;
  // Every fd is non-blocking, and SIGPIPE is ignored: these calls never block nor kill.
  switch (action) {
    case 0:
      std::memset(buffer, 'x', size);
      (void)!write(fd, buffer, size);
      break;
    case 1:
      (void)!read(fd, buffer, size);
      break;
    case 2:
      (void)shutdown(fd, static_cast<int>(size % 3));
      break;
    case 3:
      (void)state.CloseFd(static_cast<size_t>(index));
      break;
    default:
      (void)!write(fd, &one, sizeof(one));  // an eventfd's increment
      break;
  }
}

void OpFdGet(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const bool null_out = PickNull(in);
  int fd = kSentinelFd;
  const zx_status_t status = zx_linux_fd_get(handle, null_out ? nullptr : &fd);
  CheckStatus("zx_linux_fd_get", kLinuxFdGet, status);
  if (!null_out) {
    CheckContract(status == ZX_OK ? fd >= 0 : fd == kSentinelFd, "zx_linux_fd_get",
                  "a bad fd on success, or an fd written on failure");
  }
}

void StartChildProcesses() {
  g_running_child = ForkChild(/*keep_running=*/true);
  g_exited_child = ForkChild(/*keep_running=*/false);
}

void OpLinuxProcessCreate(FuzzState& state, ByteReader& in) {
  pid_t pid;
  switch (in.U8() % 8) {
    case 0:
      pid = 0;
      break;
    case 1:
      pid = -1;
      break;
    case 2:
      pid = 1;  // init: not our child
      break;
    case 3:
      pid = getpid();
      break;
    case 4:
      pid = getppid();
      break;
    case 5:
      pid = g_running_child;
      break;
    case 6:
      pid = g_exited_child;
      break;
    default:
      pid = static_cast<pid_t>(in.U32());
      break;
  }
  const uint32_t options = FuzzState::PickOptions(in);
  const bool null_out = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_linux_process_create(pid, options, ptr);
  CheckStatus("zx_linux_process_create", kLinuxProcessCreate, status);
  RecordCreated(state, "zx_linux_process_create", status, {ptr},
                {ZX_OBJ_TYPE_PROCESS, ZX_DEFAULT_PROCESS_RIGHTS});
}

}  // namespace zircon::fuzz
