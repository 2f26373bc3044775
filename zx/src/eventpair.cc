// Out-of-line creation for `zx::eventpair`.

#include <lib/zx/eventpair.h>
#include <zircon/syscalls.h>

namespace zx {

zx_status_t eventpair::create(uint32_t options, eventpair* endpoint0, eventpair* endpoint1) {
  // Create into locals and hand over afterwards: the outputs' old handles stay open until the
  // syscall is done, and both outputs end up invalid together on failure.
  eventpair end0;
  eventpair end1;
  zx_status_t status =
      zx_eventpair_create(options, end0.reset_and_get_address(), end1.reset_and_get_address());
  endpoint0->reset(end0.release());
  endpoint1->reset(end1.release());
  return status;
}

}  // namespace zx
