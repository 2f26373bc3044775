// Out-of-line creation for `zx::channel`.

#include <lib/zx/channel.h>
#include <zircon/syscalls.h>

namespace zx {

zx_status_t channel::create(uint32_t flags, channel* endpoint0, channel* endpoint1) {
  // Create into locals and hand over afterwards: the outputs' old handles stay open until the
  // syscall is done, and both outputs end up invalid together on failure.
  channel end0;
  channel end1;
  zx_status_t status =
      zx_channel_create(flags, end0.reset_and_get_address(), end1.reset_and_get_address());
  endpoint0->reset(end0.release());
  endpoint1->reset(end1.release());
  return status;
}

}  // namespace zx
