// zx_linux_fd_create, zx_linux_fd_get and zx_linux_process_create: Linux fds and child
// processes (through pidfds) as handles.
#include <zircon/linux/fd.h>
#include <zircon/linux/process.h>
#include <zircon/syscalls.h>

#include "zircon/src/kernel/fd_object.h"
#include "zircon/src/kernel/linux_process.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::FdObject;
using zircon::kernel::LinuxProcess;
using zircon::kernel::RefPtr;

extern "C" zx_status_t zx_linux_fd_create(int fd, uint32_t options, zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if ((options != ZX_LINUX_FD_BORROW && options != ZX_LINUX_FD_ADOPT) || out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<FdObject> object;
  zx_status_t status = FdObject::Create(fd, &object);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<FdObject> created = object;
  status = zircon::syscalls::MakeHandle(std::move(object), ZX_DEFAULT_LINUX_FD_RIGHTS, out);
  if (status == ZX_OK && options == ZX_LINUX_FD_ADOPT) {
    // Only now: had the handle not been installed, the object would have closed the fd that the
    // failed call leaves to the caller. Nobody else knows the handle's value yet.
    created->Adopt();
  }
  return status;
}

extern "C" zx_status_t zx_linux_fd_get(zx_handle_t handle, int* out_fd) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<FdObject> object;
  zx_status_t status = zircon::syscalls::LookUp<FdObject>(handle, ZX_RIGHT_NONE, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (out_fd == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  *out_fd = object->fd();
  return ZX_OK;
}

extern "C" zx_status_t zx_linux_process_create(pid_t pid, uint32_t options,
                                               zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options != 0 || out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<LinuxProcess> process;
  zx_status_t status = LinuxProcess::Create(pid, &process);
  if (status != ZX_OK) {
    return status;
  }
  return zircon::syscalls::MakeHandle(std::move(process), ZX_DEFAULT_PROCESS_RIGHTS, out);
}
