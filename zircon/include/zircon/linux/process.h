// <zircon/linux/process.h>: Linux child processes as waitable process handles.
//
// Linux: this whole header is a portloop addition. It lets a loop wait for a child process
// (made with fork(), posix_spawn(), ...) without a SIGCHLD handler: a process handle asserts
// ZX_PROCESS_TERMINATED once the child has exited, and zx_object_get_info(ZX_INFO_PROCESS)
// then gives its exit status. Only the child's parent can collect that status, so only
// children can be wrapped.
//
// The handle's object has type ZX_OBJ_TYPE_PROCESS and rights ZX_DEFAULT_PROCESS_RIGHTS, and
// stands for a pidfd (Linux 5.4 or later). Its signals:
// - ZX_PROCESS_TERMINATED: the child has exited, and the object has collected (reaped) its exit
//   status, as waitpid() would; stays asserted. Nothing else may collect the status: a waitpid()
//   elsewhere for this child, or SIGCHLD set to SIG_IGN, takes it first, and the return code is
//   then ZX_LINUX_PROCESS_RETURN_CODE_UNKNOWN.
// - ZX_USER_SIGNAL_0..7: set with zx_object_signal().
//
// zx_object_get_info(ZX_INFO_PROCESS) (needs ZX_RIGHT_INSPECT) fills zx_info_process_t:
// `started` is true, `exited` tells whether the child has exited (it checks, without blocking,
// and reaps the child if it has), and then `return_code` is its exit status (0 to 255), or -N
// if signal N ended it (-9 for SIGKILL). `debugger_attached` is false.
//
// Closing the last handle closes the pidfd; it neither kills nor reaps the child. Other process
// calls (zx_task_kill(), zx_process_*) are not available on these handles.

#ifndef ZIRCON_LINUX_PROCESS_H_
#define ZIRCON_LINUX_PROCESS_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

#include <stdint.h>
#include <sys/types.h>

__BEGIN_CDECLS

// zx_info_process_t::return_code of a child whose exit status something else collected.
#define ZX_LINUX_PROCESS_RETURN_CODE_UNKNOWN INT64_MIN

// Creates a process handle for the child process `pid` in `*out`. `options` must be 0.
// Thread-safe.
//
// Linux: a portloop addition.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0, `out` is NULL, `pid` is not positive, or
// `pid` names a thread that is not the leader of its process.
// Returns ZX_ERR_NOT_FOUND if no process `pid` exists (it never did, or it was reaped).
// Returns ZX_ERR_ACCESS_DENIED if `pid` is not a child of the calling process that it can wait
// for (another process's child, or children are reaped by Linux because SIGCHLD is ignored).
// Returns ZX_ERR_NOT_SUPPORTED if Linux is older than 5.4 (no pidfd_open or waitid(P_PIDFD)).
// Returns ZX_ERR_NO_RESOURCES if the process is out of fds or the handle table is full.
// Returns ZX_ERR_NO_MEMORY if the object could not be allocated.
zx_status_t zx_linux_process_create(pid_t pid, uint32_t options, zx_handle_t* out) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_LINUX_PROCESS_H_
