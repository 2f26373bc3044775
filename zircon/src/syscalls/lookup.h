// Handle look-up for the zx_* entry points, with Zircon's check order.
//
// Every zx_* entry point that touches handles or objects opens a kernel::SyscallScope as its
// first statement, so that zx_task_kill never ends the calling thread half-way through the call
// (see zircon/src/kernel/thread.cc).
#ifndef ZIRCON_SRC_SYSCALLS_LOOKUP_H_
#define ZIRCON_SRC_SYSCALLS_LOOKUP_H_

#include <zircon/types.h>

#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/kernel/object.h"

namespace zircon::syscalls {

// Looks up `handle` and checks that it holds every right in `rights`.
// Returns ZX_ERR_BAD_HANDLE, then ZX_ERR_ACCESS_DENIED, as Zircon checks them.
[[nodiscard]] inline zx_status_t LookUpObject(zx_handle_t handle, zx_rights_t rights,
                                              kernel::RefPtr<kernel::Object>* out,
                                              zx_rights_t* out_rights = nullptr) {
  kernel::HandleInfo info;
  if (kernel::HandleTable::Get().Lookup(handle, &info) != ZX_OK) {
    return ZX_ERR_BAD_HANDLE;
  }
  if ((info.rights & rights) != rights) {
    return ZX_ERR_ACCESS_DENIED;
  }
  if (out_rights != nullptr) {
    *out_rights = info.rights;
  }
  *out = std::move(info.object);
  return ZX_OK;
}

// Looks up `handle` as a `T` holding `rights`.
// Returns ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED, then ZX_ERR_WRONG_TYPE.
template <typename T>
[[nodiscard]] zx_status_t LookUp(zx_handle_t handle, zx_rights_t rights, kernel::RefPtr<T>* out) {
  kernel::RefPtr<kernel::Object> object;
  zx_status_t status = LookUpObject(handle, rights, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (object->type() != kernel::ObjectTypeOf<T>::value) {
    return ZX_ERR_WRONG_TYPE;
  }
  *out = kernel::DownCast<T>(std::move(object));
  return ZX_OK;
}

// Installs a new handle to `object` with `rights` in `*out`.
// Returns ZX_ERR_NO_RESOURCES if the handle table is full.
[[nodiscard]] inline zx_status_t MakeHandle(kernel::RefPtr<kernel::Object> object,
                                            zx_rights_t rights, zx_handle_t* out) {
  return kernel::HandleTable::Get().Add(kernel::Handle::Make(std::move(object), rights), out);
}

// Installs handles with `rights` to two peered objects in `*out0` and `*out1`, or neither.
// Returns ZX_ERR_NO_RESOURCES if the handle table is full.
[[nodiscard]] zx_status_t MakeHandlePair(kernel::RefPtr<kernel::Object> object0,
                                         kernel::RefPtr<kernel::Object> object1, zx_rights_t rights,
                                         zx_handle_t* out0, zx_handle_t* out1);

}  // namespace zircon::syscalls

#endif  // ZIRCON_SRC_SYSCALLS_LOOKUP_H_
