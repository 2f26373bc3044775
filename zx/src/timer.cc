// Out-of-line creation for `zx::timer`.

#include <lib/zx/timer.h>
#include <zircon/syscalls.h>

namespace zx {

zx_status_t timer::create(uint32_t options, zx_clock_t clock_id, timer* result) {
  // The syscall writes the slot only on success, so a failure leaves `*result` invalid.
  return zx_timer_create(options, clock_id, result->reset_and_get_address());
}

}  // namespace zx
