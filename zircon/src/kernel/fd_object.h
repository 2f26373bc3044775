// Linux fds as waitable objects: ZX_OBJ_TYPE_LINUX_FD.
#ifndef ZIRCON_SRC_KERNEL_FD_OBJECT_H_
#define ZIRCON_SRC_KERNEL_FD_OBJECT_H_

#include <zircon/linux/fd.h>
#include <zircon/types.h>

#include <atomic>

#include "zircon/src/kernel/polled_object.h"

namespace zircon::kernel {

// A pollable Linux fd, its readiness mirrored in ZX_LINUX_FD_* signals (see <zircon/linux/fd.h>
// for the mapping). Borrows the fd, or owns it after Adopt(), in which case the last handle's
// close closes it, after taking it out of every epoll set. Thread-safe.
class FdObject final : public PolledObject {
 public:
  // Wraps `fd`, borrowed.
  // Returns ZX_ERR_BAD_HANDLE if `fd` is negative or not open.
  // Returns ZX_ERR_NOT_SUPPORTED if `fd` cannot be polled (a regular file or directory).
  // Returns ZX_ERR_NO_MEMORY or ZX_ERR_NO_RESOURCES on exhaustion.
  [[nodiscard]] static zx_status_t Create(int fd, RefPtr<FdObject>* out);

  // Takes ownership of the fd: the last handle's close will close it. Called once its first
  // handle is installed, so that a failed creation leaves the fd to the caller.
  void Adopt() { adopted_.store(true, std::memory_order_release); }

  zx_signals_t user_signal_mask() const final { return ZX_USER_SIGNAL_ALL; }

 private:
  explicit FdObject(int fd) : PolledObject(ZX_OBJ_TYPE_LINUX_FD, fd) {}

  zx_signals_t readiness_signals() const final;
  zx_signals_t consumable_signals() const final;
  uint32_t EventsForSignals(zx_signals_t signals) const final;
  void ApplyReadinessLocked(uint32_t asked, uint32_t reported) final __TA_REQUIRES(lock());
  void OnArmFailedLocked() final __TA_REQUIRES(lock());
  void OnZeroHandles() final;

  // release in Adopt, acquire in OnZeroHandles (which runs after the handle Adopt followed).
  std::atomic<bool> adopted_{false};
};

template <>
struct ObjectTypeOf<FdObject> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_LINUX_FD;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_FD_OBJECT_H_
