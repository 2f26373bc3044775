// zx_port_*.
#include "zircon/src/kernel/port.h"

#include <zircon/linux/port.h>
#include <zircon/syscalls.h>

#include <atomic>

#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Object;
using zircon::kernel::Port;
using zircon::kernel::RefPtr;
using zircon::syscalls::LookUp;

extern "C" zx_status_t zx_port_create(uint32_t options, zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  // Linux: ZX_PORT_BIND_TO_INTERRUPT is accepted; there are no interrupt objects to bind.
  if ((options != 0 && options != ZX_PORT_BIND_TO_INTERRUPT) || out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Port> port = Port::Create();
  if (!port) {
    return ZX_ERR_NO_MEMORY;
  }
  return zircon::syscalls::MakeHandle(std::move(port), ZX_DEFAULT_PORT_RIGHTS, out);
}

extern "C" zx_status_t zx_port_queue(zx_handle_t handle, const zx_port_packet_t* packet) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Port> port;
  zx_status_t status = LookUp<Port>(handle, ZX_RIGHT_WRITE, &port);
  if (status != ZX_OK) {
    return status;
  }
  if (packet == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  return port->QueueUser(*packet);
}

extern "C" zx_status_t zx_port_wait(zx_handle_t handle, zx_time_t deadline,
                                    zx_port_packet_t* packet) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Port> port;
  zx_status_t status = LookUp<Port>(handle, ZX_RIGHT_READ, &port);
  if (status != ZX_OK) {
    return status;
  }
  if (packet == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  return port->Wait(deadline, packet);
}

extern "C" zx_status_t zx_port_cancel(zx_handle_t handle, zx_handle_t source,
                                      uint64_t key) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Port> port;
  zx_status_t status = LookUp<Port>(handle, ZX_RIGHT_WRITE, &port);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<Object> object;
  // Zircon's code asks WAIT of the source (its documentation says WRITE).
  status = zircon::syscalls::LookUpObject(source, ZX_RIGHT_WAIT, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (!object->is_waitable()) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  // Observers first: once gone they cannot queue, so the queue scan sees every packet they made.
  bool removed = object->CancelByHandleAndKey(source, port.get(), key);
  removed |= port->CancelQueued(source, key);
  return removed ? ZX_OK : ZX_ERR_NOT_FOUND;
}

extern "C" zx_status_t zx_linux_port_get_queue_length(zx_handle_t handle,
                                                      const uint32_t** out) noexcept {
  RefPtr<Port> port;
  zx_status_t status = LookUp<Port>(handle, ZX_RIGHT_READ, &port);
  if (status != ZX_OK) {
    return status;
  }
  if (out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  // std::atomic<uint32_t> has the size and alignment of uint32_t, so C readers may load it with
  // __atomic_load_n.
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  *out = reinterpret_cast<const uint32_t*>(&port->queue_length());
  return ZX_OK;
}

extern "C" zx_status_t zx_linux_port_set_idle_spin(zx_handle_t handle,
                                                   zx_duration_t spin) noexcept {
  RefPtr<Port> port;
  zx_status_t status = LookUp<Port>(handle, ZX_RIGHT_WRITE, &port);
  if (status != ZX_OK) {
    return status;
  }
  if (spin < 0 || spin > ZX_SEC(1)) {
    return ZX_ERR_OUT_OF_RANGE;
  }
  port->SetIdleSpin(spin);
  return ZX_OK;
}
