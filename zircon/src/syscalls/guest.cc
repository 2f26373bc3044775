// zx_guest_create, zx_guest_set_trap and zx_linux_guest_memory.
#include "zircon/src/kernel/guest.h"

#include <zircon/linux/guest.h>
#include <zircon/syscalls.h>

#include "zircon/src/kernel/port.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Guest;
using zircon::kernel::Port;
using zircon::kernel::RefPtr;
using zircon::syscalls::LookUp;

extern "C" zx_status_t zx_guest_create(zx_handle_t resource, uint32_t options,
                                       zx_handle_t* guest_handle,
                                       zx_handle_t* vmar_handle) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  (void)resource;  // Linux: no resources; access to /dev/kvm is the authority
  if (options != 0 || guest_handle == nullptr || vmar_handle == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Guest> guest;
  zx_status_t status = Guest::Create(&guest);
  if (status != ZX_OK) {
    return status;
  }
  status = zircon::syscalls::MakeHandle(std::move(guest), ZX_DEFAULT_GUEST_RIGHTS, guest_handle);
  if (status != ZX_OK) {
    return status;
  }
  *vmar_handle = ZX_HANDLE_INVALID;
  return ZX_OK;
}

extern "C" zx_status_t zx_guest_set_trap(zx_handle_t handle, uint32_t kind, zx_vaddr_t addr,
                                         size_t size, zx_handle_t port_handle,
                                         uint64_t key) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Guest> guest;
  zx_status_t status = LookUp(handle, ZX_RIGHT_WRITE, &guest);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<Port> port;
  if (port_handle != ZX_HANDLE_INVALID) {
    status = LookUp(port_handle, ZX_RIGHT_WRITE, &port);
    if (status != ZX_OK) {
      return status;
    }
  }
  return guest->SetTrap(kind, addr, size, std::move(port), key);
}

extern "C" zx_status_t zx_linux_guest_memory(zx_handle_t handle, void** out_addr,
                                             size_t* out_size) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (out_addr == nullptr || out_size == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Guest> guest;
  zx_status_t status = LookUp(handle, ZX_RIGHT_WRITE, &guest);
  if (status != ZX_OK) {
    return status;
  }
  *out_addr = guest->memory();
  *out_size = Guest::kMemorySize;
  return ZX_OK;
}
