// Kernel object ids.
#ifndef ZIRCON_SRC_KERNEL_KOID_H_
#define ZIRCON_SRC_KERNEL_KOID_H_

#include <zircon/types.h>

namespace zircon::kernel {

// Returns a koid never returned before in this process. Thread-safe.
zx_koid_t NextKoid();

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_KOID_H_
