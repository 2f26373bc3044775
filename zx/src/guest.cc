// Out-of-line creation for `zx::guest`.

#include <lib/zx/guest.h>
#include <zircon/syscalls.h>

namespace zx {

zx_status_t guest::create(const resource& resource, uint32_t options, guest* out_guest,
                          vmar* out_vmar) {
  // The syscall writes the slots only on success, so a failure leaves both invalid.
  return zx_guest_create(resource.get(), options, out_guest->reset_and_get_address(),
                         out_vmar->reset_and_get_address());
}

}  // namespace zx
