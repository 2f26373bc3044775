// Linux child processes as waitable objects: ZX_OBJ_TYPE_PROCESS over a pidfd.
#ifndef ZIRCON_SRC_KERNEL_LINUX_PROCESS_H_
#define ZIRCON_SRC_KERNEL_LINUX_PROCESS_H_

#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <cstdint>

#include "zircon/src/kernel/polled_object.h"

namespace zircon::kernel {

// A child of this Linux process, seen through a pidfd. Asserts ZX_PROCESS_TERMINATED, for
// good, once the child has exited and its exit status has been collected (the object reaps it).
// Owns the pidfd, which the last handle's close closes; the child itself is neither killed nor
// reaped by that. Thread-safe.
class LinuxProcess final : public PolledObject {
 public:
  // Opens the child `pid`. Returns what linux::PidfdOpenChild returns, or ZX_ERR_NO_MEMORY.
  [[nodiscard]] static zx_status_t Create(int pid, RefPtr<LinuxProcess>* out);

  // ZX_INFO_PROCESS. Collects the exit status first if the child has exited. Thread-safe.
  zx_info_process_t GetInfo() __TA_EXCLUDES(lock());

 private:
  explicit LinuxProcess(int pidfd) : PolledObject(ZX_OBJ_TYPE_PROCESS, pidfd) {}

  zx_signals_t readiness_signals() const final { return ZX_PROCESS_TERMINATED; }
  zx_signals_t consumable_signals() const final { return 0; }
  uint32_t EventsForSignals(zx_signals_t signals) const final;
  void ApplyReadinessLocked(uint32_t asked, uint32_t reported) final __TA_REQUIRES(lock());
  void OnZeroHandles() final;
  // Collects the exit status if the child has exited, and asserts ZX_PROCESS_TERMINATED.
  void TryReapLocked() __TA_REQUIRES(lock());

  bool exited_ __TA_GUARDED(lock()) = false;
  int64_t return_code_ __TA_GUARDED(lock()) = 0;
};

template <>
struct ObjectTypeOf<LinuxProcess> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_PROCESS;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_LINUX_PROCESS_H_
