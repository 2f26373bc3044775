// Pidfds: a child process as an fd that becomes readable when the child exits.
#ifndef ZIRCON_SRC_LINUX_PIDFD_H_
#define ZIRCON_SRC_LINUX_PIDFD_H_

#include <zircon/types.h>

#include <cstdint>

namespace zircon::linux {

// Opens a pidfd (close-on-exec) for the process `pid` in `*out_fd` and checks that the process
// is a child of the caller that can be waited for. Thread-safe.
// Returns ZX_ERR_INVALID_ARGS if `pid` is not positive or names a thread that does not lead
// its process.
// Returns ZX_ERR_NOT_FOUND if no process `pid` exists.
// Returns ZX_ERR_ACCESS_DENIED if the process is not a waitable child of the caller (another
// process's child, or SIGCHLD is ignored so children are reaped by Linux).
// Returns ZX_ERR_NOT_SUPPORTED if Linux is older than 5.4 (no pidfd_open or P_PIDFD).
// Returns ZX_ERR_NO_RESOURCES if the process is out of fds.
[[nodiscard]] zx_status_t PidfdOpenChild(int pid, int* out_fd);

// Collects the exit status of the child behind `pidfd` without blocking. Thread-safe.
// Returns ZX_OK with `*out_exited` false while the child runs, or true and `*out_code` set to
// its exit status (0-255), or to -N if signal N ended it. Once collected, the child is gone.
// Returns ZX_ERR_NOT_FOUND if something else (waitpid elsewhere, SIGCHLD ignored) collected it.
[[nodiscard]] zx_status_t PidfdTryReap(int pidfd, bool* out_exited, int64_t* out_code);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_PIDFD_H_
