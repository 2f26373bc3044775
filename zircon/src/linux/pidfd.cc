#include "zircon/src/linux/pidfd.h"

#include <cerrno>

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zircon/src/linux/epoll.h"
#include "zircon/src/linux/errno.h"

namespace zircon::linux {
namespace {

// waitid on a pidfd, retrying EINTR. Returns 0 or an errno value.
int WaitForPidfd(int pidfd, siginfo_t* info, int options) {
  for (;;) {
    *info = {};
    if (waitid(P_PIDFD, static_cast<id_t>(pidfd), info, options) == 0) {
      return 0;
    }
    if (errno != EINTR) {
      return errno;
    }
  }
}

}  // namespace

zx_status_t PidfdOpenChild(int pid, int* out_fd) {
  if (pid <= 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  const long fd = syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0u);
  if (fd < 0) {
    return StatusFromErrno(errno);  // ESRCH: NOT_FOUND; EINVAL; ENOSYS; EMFILE
  }
  // Ask, without collecting anything, whether this process may wait for the child.
  siginfo_t info;
  const int error = WaitForPidfd(static_cast<int>(fd), &info, WEXITED | WNOHANG | WNOWAIT);
  if (error != 0) {
    CloseFd(static_cast<int>(fd));
    if (error == ECHILD) {
      return ZX_ERR_ACCESS_DENIED;
    }
    return error == EINVAL ? ZX_ERR_NOT_SUPPORTED : StatusFromErrno(error);  // EINVAL: no P_PIDFD
  }
  *out_fd = static_cast<int>(fd);
  return ZX_OK;
}

zx_status_t PidfdTryReap(int pidfd, bool* out_exited, int64_t* out_code) {
  siginfo_t info;
  const int error = WaitForPidfd(pidfd, &info, WEXITED | WNOHANG);
  if (error != 0) {
    return StatusFromErrno(error);  // ECHILD: NOT_FOUND
  }
  if (info.si_pid == 0) {
    *out_exited = false;
    return ZX_OK;
  }
  *out_exited = true;
  *out_code = info.si_code == CLD_EXITED ? info.si_status : -static_cast<int64_t>(info.si_status);
  return ZX_OK;
}

}  // namespace zircon::linux
