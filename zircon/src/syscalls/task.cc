// zx_task_* calls: exception ports and killing.
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>

#include "zircon/src/kernel/exception_ports.h"
#include "zircon/src/kernel/port.h"
#include "zircon/src/kernel/process.h"
#include "zircon/src/kernel/thread.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Object;
using zircon::kernel::Port;
using zircon::kernel::Process;
using zircon::kernel::RefPtr;
using zircon::kernel::Thread;
namespace exception_ports = zircon::kernel::exception_ports;

namespace {

// Looks up a task that exceptions can be bound to: a thread or this process.
// Returns ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED, then ZX_ERR_WRONG_TYPE.
zx_status_t LookUpTask(zx_handle_t handle, zx_rights_t rights, RefPtr<Object>* out) {
  zx_status_t status = zircon::syscalls::LookUpObject(handle, rights, out);
  if (status != ZX_OK) {
    return status;
  }
  if ((*out)->type() == ZX_OBJ_TYPE_THREAD || Process::IsSelf(out->get())) {
    return ZX_OK;
  }
  return ZX_ERR_WRONG_TYPE;
}

}  // namespace

extern "C" zx_status_t zx_task_bind_exception_port(zx_handle_t task, zx_handle_t port, uint64_t key,
                                                   uint32_t options) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options != 0 && options != ZX_EXCEPTION_PORT_DEBUGGER) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Object> object;
  zx_status_t status = LookUpTask(task, ZX_RIGHT_NONE, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (port == ZX_HANDLE_INVALID) {
    return exception_ports::Unbind(object.get(), options);
  }
  RefPtr<Port> port_object;
  status = zircon::syscalls::LookUp(port, ZX_RIGHT_NONE, &port_object);
  if (status != ZX_OK) {
    return status;
  }
  return exception_ports::Bind(object.get(), std::move(port_object), key, options);
}

extern "C" zx_status_t zx_task_resume_from_exception(zx_handle_t thread, zx_handle_t port,
                                                     uint32_t options) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Thread> thread_object;
  zx_status_t status = zircon::syscalls::LookUp(thread, ZX_RIGHT_NONE, &thread_object);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<Port> port_object;
  status = zircon::syscalls::LookUp(port, ZX_RIGHT_NONE, &port_object);
  if (status != ZX_OK) {
    return status;
  }
  if (options != 0 && options != ZX_RESUME_TRY_NEXT) {
    return ZX_ERR_INVALID_ARGS;
  }
  return exception_ports::Resume(thread_object.get(), port_object.get(), options);
}

extern "C" zx_status_t zx_task_kill(zx_handle_t handle) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Object> object;
  zx_status_t status = zircon::syscalls::LookUpObject(handle, ZX_RIGHT_DESTROY, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (object->type() == ZX_OBJ_TYPE_THREAD) {
    return zircon::kernel::DownCast<Thread>(std::move(object))->Kill();
  }
  if (object->type() == ZX_OBJ_TYPE_PROCESS) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  return ZX_ERR_WRONG_TYPE;
}
