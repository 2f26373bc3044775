// zx_object_wait_one, zx_object_wait_many and zx_object_wait_async.
#include <zircon/syscalls.h>

#include <array>

#include "zircon/src/kernel/port.h"
#include "zircon/src/kernel/wait_one.h"
#include "zircon/src/linux/clock.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Object;
using zircon::kernel::Port;
using zircon::kernel::PortObserver;
using zircon::kernel::RefPtr;
using zircon::kernel::WaitTarget;
using zircon::syscalls::LookUp;
using zircon::syscalls::LookUpObject;

namespace {

// Looks up a handle to wait on. Returns BAD_HANDLE, ACCESS_DENIED (no WAIT right), or
// NOT_SUPPORTED for objects without signals.
zx_status_t LookUpWaitable(zx_handle_t handle, RefPtr<Object>* out) {
  zx_status_t status = LookUpObject(handle, ZX_RIGHT_WAIT, out);
  if (status != ZX_OK) {
    return status;
  }
  return (*out)->is_waitable() ? ZX_OK : ZX_ERR_NOT_SUPPORTED;
}

}  // namespace

extern "C" zx_status_t zx_object_wait_one(zx_handle_t handle, zx_signals_t signals,
                                          zx_time_t deadline, zx_signals_t* observed) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  WaitTarget target;
  zx_status_t status = LookUpWaitable(handle, &target.object);
  if (status != ZX_OK) {
    return status;
  }
  target.handle = handle;
  target.trigger = signals;
  status = zircon::kernel::WaitForSignals(&target, 1, deadline);
  if (observed != nullptr && status != ZX_ERR_BAD_HANDLE) {
    *observed = target.observed;
  }
  return status;
}

extern "C" zx_status_t zx_object_wait_many(zx_wait_item_t* items, size_t count,
                                           zx_time_t deadline) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (count > ZX_WAIT_MANY_MAX_ITEMS) {
    return ZX_ERR_OUT_OF_RANGE;
  }
  if (count == 0) {
    if (deadline == ZX_TIME_INFINITE) {
      for (;;) {
        zircon::linux::SleepUntil(ZX_TIME_INFINITE - 1);
      }
    }
    zircon::linux::SleepUntil(deadline);
    return ZX_ERR_TIMED_OUT;
  }
  if (items == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  std::array<WaitTarget, ZX_WAIT_MANY_MAX_ITEMS> targets;
  for (size_t i = 0; i < count; ++i) {
    zx_status_t status = LookUpWaitable(items[i].handle, &targets[i].object);
    if (status != ZX_OK) {
      return status;
    }
    targets[i].handle = items[i].handle;
    targets[i].trigger = items[i].waitfor;
  }
  zx_status_t status = zircon::kernel::WaitForSignals(targets.data(), count, deadline);
  if (status != ZX_ERR_BAD_HANDLE) {
    for (size_t i = 0; i < count; ++i) {
      items[i].pending = targets[i].observed;
    }
  }
  return status;
}

extern "C" zx_status_t zx_object_wait_async(zx_handle_t handle, zx_handle_t port_handle,
                                            uint64_t key, zx_signals_t signals,
                                            uint32_t options) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Port> port;
  zx_status_t status = LookUp<Port>(port_handle, ZX_RIGHT_WRITE, &port);
  if (status != ZX_OK) {
    return status;
  }
  RefPtr<Object> object;
  status = LookUpWaitable(handle, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (options != ZX_WAIT_ASYNC_ONCE && options != ZX_WAIT_ASYNC_REPEATING) {
    return ZX_ERR_INVALID_ARGS;
  }
  PortObserver* observer = PortObserver::Create(handle, signals, options, std::move(port), key);
  if (observer == nullptr) {
    return ZX_ERR_NO_MEMORY;
  }
  status = object->AddObserver(observer);
  if (status != ZX_OK) {
    observer->OnRemoved();  // never registered: drop the registration's reference
  }
  return status;
}
