// zx_vcpu_create, zx_vcpu_resume, zx_vcpu_read_state and zx_vcpu_write_state.
#include "zircon/src/kernel/vcpu.h"

#include <zircon/syscalls.h>

#include "zircon/src/kernel/guest.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Guest;
using zircon::kernel::RefPtr;
using zircon::kernel::Vcpu;
using zircon::syscalls::LookUp;

extern "C" zx_status_t zx_vcpu_create(zx_handle_t guest_handle, uint32_t options, zx_vaddr_t entry,
                                      zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options != 0 || out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Guest> guest;
  zx_status_t status = LookUp(guest_handle, ZX_RIGHT_MANAGE_PROCESS, &guest);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<Vcpu> vcpu;
  status = Vcpu::Create(std::move(guest), entry, &vcpu);
  if (status != ZX_OK) {
    return status;
  }
  return zircon::syscalls::MakeHandle(std::move(vcpu), ZX_DEFAULT_VCPU_RIGHTS, out);
}

extern "C" zx_status_t zx_vcpu_resume(zx_handle_t handle, zx_port_packet_t* packet) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (packet == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Vcpu> vcpu;
  zx_status_t status = LookUp(handle, ZX_RIGHT_EXECUTE, &vcpu);
  if (status != ZX_OK) {
    return status;
  }
  return vcpu->Resume(packet);
}

extern "C" zx_status_t zx_vcpu_read_state(zx_handle_t handle, uint32_t kind, void* buffer,
                                          size_t buffer_size) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Vcpu> vcpu;
  zx_status_t status = LookUp(handle, ZX_RIGHT_READ, &vcpu);
  if (status != ZX_OK) {
    return status;
  }
  if (kind != ZX_VCPU_STATE || buffer == nullptr || buffer_size != sizeof(zx_vcpu_state_t)) {
    return ZX_ERR_INVALID_ARGS;
  }
  return vcpu->ReadState(static_cast<zx_vcpu_state_t*>(buffer));
}

extern "C" zx_status_t zx_vcpu_write_state(zx_handle_t handle, uint32_t kind, const void* buffer,
                                           size_t buffer_size) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Vcpu> vcpu;
  zx_status_t status = LookUp(handle, ZX_RIGHT_WRITE, &vcpu);
  if (status != ZX_OK) {
    return status;
  }
  if (buffer == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  switch (kind) {
    case ZX_VCPU_STATE:
      if (buffer_size != sizeof(zx_vcpu_state_t)) {
        return ZX_ERR_INVALID_ARGS;
      }
      return vcpu->WriteState(*static_cast<const zx_vcpu_state_t*>(buffer));
    case ZX_VCPU_IO:
      if (buffer_size != sizeof(zx_vcpu_io_t)) {
        return ZX_ERR_INVALID_ARGS;
      }
      return vcpu->WriteIo(*static_cast<const zx_vcpu_io_t*>(buffer));
    default:
      return ZX_ERR_INVALID_ARGS;
  }
}
