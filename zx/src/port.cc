// Out-of-line creation for `zx::port`.

#include <lib/zx/port.h>
#include <zircon/syscalls.h>

namespace zx {

zx_status_t port::create(uint32_t options, port* result) {
  // The syscall writes the slot only on success, so a failure leaves `*result` invalid.
  return zx_port_create(options, result->reset_and_get_address());
}

}  // namespace zx
