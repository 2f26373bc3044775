// The one place Linux error numbers become Zircon statuses.
#ifndef ZIRCON_SRC_LINUX_ERRNO_H_
#define ZIRCON_SRC_LINUX_ERRNO_H_

#include <zircon/types.h>

namespace zircon::linux {

// Returns the status that stands for the Linux error `error` (an errno value) in portloop's
// internal calls. Callers that give an errno a meaning of their own (EPERM from epoll_ctl means
// "not pollable") map it before calling this. Thread-safe.
//
// EBADF -> ZX_ERR_BAD_HANDLE, ENOMEM -> ZX_ERR_NO_MEMORY, EMFILE/ENFILE/ENOSPC ->
// ZX_ERR_NO_RESOURCES, EINVAL -> ZX_ERR_INVALID_ARGS, EPERM/EACCES -> ZX_ERR_ACCESS_DENIED,
// ENOENT/ESRCH/ECHILD -> ZX_ERR_NOT_FOUND, EEXIST -> ZX_ERR_ALREADY_EXISTS, ENOSYS ->
// ZX_ERR_NOT_SUPPORTED, EAGAIN -> ZX_ERR_SHOULD_WAIT, anything else -> ZX_ERR_IO.
zx_status_t StatusFromErrno(int error);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_ERRNO_H_
