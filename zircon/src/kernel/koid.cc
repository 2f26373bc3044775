#include "zircon/src/kernel/koid.h"

#include <atomic>

namespace zircon::kernel {

zx_koid_t NextKoid() {
  // Koids below 1024 are left for the fixed ids Zircon reserves (ZX_KOID_KERNEL is 1).
  // relaxed: only uniqueness matters, not ordering with other memory.
  static std::atomic<zx_koid_t> next{1024};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace zircon::kernel
