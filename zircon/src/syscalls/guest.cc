// zx_guest_set_trap.
//
// TODO(#7): guests arrive with KVM support. Until then no handle names a guest, so the call
// validates its arguments and reports every valid handle as the wrong type, exactly what Zircon
// answers for a handle that is not a guest.
#include <zircon/syscalls.h>

#include "zircon/src/syscalls/lookup.h"

extern "C" zx_status_t zx_guest_set_trap(zx_handle_t guest, uint32_t kind, zx_vaddr_t addr,
                                         size_t size, zx_handle_t port, uint64_t key) noexcept {
  (void)kind;
  (void)addr;
  (void)size;
  (void)port;
  (void)key;
  zircon::kernel::RefPtr<zircon::kernel::Object> object;
  zx_status_t status = zircon::syscalls::LookUpObject(guest, ZX_RIGHT_WRITE, &object);
  if (status != ZX_OK) {
    return status;
  }
  return ZX_ERR_WRONG_TYPE;  // no guest objects exist yet
}
