// zx_task_* exception calls.
//
// TODO(#6): processes and threads arrive with exception support. Until then no handle names a
// task, so these calls validate their arguments and report every valid handle as the wrong type,
// exactly what Zircon answers for a handle that is not a task.
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>

#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Object;
using zircon::kernel::RefPtr;

namespace {

zx_status_t LookUpTask(zx_handle_t handle) {
  RefPtr<Object> object;
  zx_status_t status = zircon::syscalls::LookUpObject(handle, ZX_RIGHT_NONE, &object);
  if (status != ZX_OK) {
    return status;
  }
  return ZX_ERR_WRONG_TYPE;  // no task objects exist yet
}

}  // namespace

extern "C" zx_status_t zx_task_bind_exception_port(zx_handle_t task, zx_handle_t port, uint64_t key,
                                                   uint32_t options) noexcept {
  (void)port;
  (void)key;
  if (options != 0 && options != ZX_EXCEPTION_PORT_DEBUGGER) {
    return ZX_ERR_INVALID_ARGS;
  }
  return LookUpTask(task);
}

extern "C" zx_status_t zx_task_resume_from_exception(zx_handle_t thread, zx_handle_t port,
                                                     uint32_t options) noexcept {
  (void)port;
  (void)options;
  return LookUpTask(thread);
}
