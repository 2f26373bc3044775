// zx_event_create and zx_eventpair_create.
#include "zircon/src/kernel/event.h"

#include <zircon/syscalls.h>

#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Event;
using zircon::kernel::EventPair;
using zircon::kernel::RefPtr;
using zircon::syscalls::MakeHandle;

extern "C" zx_status_t zx_event_create(uint32_t options, zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options != 0 || out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Event> event = Event::Create();
  if (!event) {
    return ZX_ERR_NO_MEMORY;
  }
  return MakeHandle(std::move(event), ZX_DEFAULT_EVENT_RIGHTS, out);
}

namespace zircon::syscalls {

// Installs handles to two peered objects, or none.
zx_status_t MakeHandlePair(kernel::RefPtr<kernel::Object> object0,
                           kernel::RefPtr<kernel::Object> object1, zx_rights_t rights,
                           zx_handle_t* out0, zx_handle_t* out1) {
  zx_handle_t handle0;
  zx_status_t status = MakeHandle(std::move(object0), rights, &handle0);
  if (status != ZX_OK) {
    return status;
  }
  status = MakeHandle(std::move(object1), rights, out1);
  if (status != ZX_OK) {
    (void)zx_handle_close(handle0);
    return status;
  }
  *out0 = handle0;
  return ZX_OK;
}

}  // namespace zircon::syscalls

extern "C" zx_status_t zx_eventpair_create(uint32_t options, zx_handle_t* out0,
                                           zx_handle_t* out1) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options != 0) {
    return ZX_ERR_NOT_SUPPORTED;  // Zircon's code for this call, unlike the others
  }
  if (out0 == nullptr || out1 == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<EventPair> end0;
  RefPtr<EventPair> end1;
  zx_status_t status = EventPair::CreatePair(&end0, &end1);
  if (status != ZX_OK) {
    return status;
  }
  return zircon::syscalls::MakeHandlePair(std::move(end0), std::move(end1),
                                          ZX_DEFAULT_EVENTPAIR_RIGHTS, out0, out1);
}
