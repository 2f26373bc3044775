// Out-of-line creation for `zx::event`.

#include <lib/zx/event.h>
#include <zircon/syscalls.h>

namespace zx {

zx_status_t event::create(uint32_t options, event* result) {
  // The syscall writes the slot only on success, so a failure leaves `*result` invalid.
  return zx_event_create(options, result->reset_and_get_address());
}

}  // namespace zx
