// zx_handle_*: closing, duplicating and replacing handles.
#include <zircon/syscalls.h>

#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Handle;
using zircon::kernel::HandleTable;

extern "C" zx_status_t zx_handle_close(zx_handle_t handle) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (handle == ZX_HANDLE_INVALID) {
    return ZX_OK;
  }
  Handle removed;
  return HandleTable::Get().Remove(handle, &removed);
}

extern "C" zx_status_t zx_handle_close_many(const zx_handle_t* handles,
                                            size_t num_handles) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (handles == nullptr && num_handles != 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  // Like Zircon, every handle is closed even if one is bad; the first error is reported.
  zx_status_t result = ZX_OK;
  for (size_t i = 0; i < num_handles; ++i) {
    zx_status_t status = zx_handle_close(handles[i]);
    if (result == ZX_OK) {
      result = status;
    }
  }
  return result;
}

namespace {

// The rights a duplicate or replacement gets: `requested` must be a subset of `current`.
zx_status_t NewRights(zx_rights_t current, zx_rights_t requested, zx_rights_t* out) {
  if (requested == ZX_RIGHT_SAME_RIGHTS) {
    *out = current;
    return ZX_OK;
  }
  if ((requested & ~current) != 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  *out = requested;
  return ZX_OK;
}

}  // namespace

extern "C" zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights,
                                           zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  zircon::kernel::RefPtr<zircon::kernel::Object> object;
  zx_rights_t current;
  zx_status_t status =
      zircon::syscalls::LookUpObject(handle, ZX_RIGHT_DUPLICATE, &object, &current);
  if (status != ZX_OK) {
    return status;
  }
  zx_rights_t new_rights;
  status = NewRights(current, rights, &new_rights);
  if (status != ZX_OK) {
    return status;
  }
  if (out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  return zircon::syscalls::MakeHandle(std::move(object), new_rights, out);
}

extern "C" zx_status_t zx_handle_replace(zx_handle_t handle, zx_rights_t rights,
                                         zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  // The original is consumed whatever happens next, as in Zircon.
  Handle original;
  zx_status_t status = HandleTable::Get().Remove(handle, &original);
  if (status != ZX_OK) {
    return status;
  }
  zx_rights_t new_rights;
  status = NewRights(original.rights(), rights, &new_rights);
  if (status != ZX_OK) {
    return status;
  }
  if (out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  return HandleTable::Get().Add(Handle(original.release(), new_rights), out);
}
