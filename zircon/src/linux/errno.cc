#include "zircon/src/linux/errno.h"

#include <cerrno>

namespace zircon::linux {

zx_status_t StatusFromErrno(int error) {
  switch (error) {
    case 0:
      return ZX_OK;
    case EBADF:
      return ZX_ERR_BAD_HANDLE;
    case ENOMEM:
      return ZX_ERR_NO_MEMORY;
    case EMFILE:
    case ENFILE:
    case ENOSPC:
      return ZX_ERR_NO_RESOURCES;
    case EINVAL:
      return ZX_ERR_INVALID_ARGS;
    case EPERM:
    case EACCES:
      return ZX_ERR_ACCESS_DENIED;
    case ENOENT:
    case ESRCH:
    case ECHILD:
      return ZX_ERR_NOT_FOUND;
    case EEXIST:
      return ZX_ERR_ALREADY_EXISTS;
    case ENOSYS:
      return ZX_ERR_NOT_SUPPORTED;
    case EAGAIN:
      return ZX_ERR_SHOULD_WAIT;
    default:
      return ZX_ERR_IO;
  }
}

}  // namespace zircon::linux
