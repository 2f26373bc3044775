// Timers.
#ifndef ZIRCON_SRC_KERNEL_TIMER_H_
#define ZIRCON_SRC_KERNEL_TIMER_H_

#include <zircon/types.h>

#include <cstdint>

#include "zircon/src/kernel/object.h"

namespace zircon::kernel {

// A one-shot timer that asserts ZX_TIMER_SIGNALED at its deadline. Thread-safe.
class Timer final : public Object {
 public:
  // `slack_mode` is ZX_TIMER_SLACK_CENTER, _EARLY or _LATE. Returns null if out of memory.
  static RefPtr<Timer> Create(uint32_t slack_mode);
  ~Timer() final;

  // zx_timer_set: cancels any pending expiry and clears ZX_TIMER_SIGNALED; then asserts it now if
  // the deadline window has already opened, or arms the timer service for it.
  void Set(zx_time_t deadline, zx_duration_t slack) __TA_EXCLUDES(lock());

  // zx_timer_cancel: disarms and clears ZX_TIMER_SIGNALED.
  void Cancel() __TA_EXCLUDES(lock());

  // Called by the timer service when the expiry armed as `arm_id` is due.
  void Fire(uint64_t arm_id) __TA_EXCLUDES(lock());

  // The timer service's bookkeeping; guarded by the service's lock.
  size_t heap_index = SIZE_MAX;

 private:
  explicit Timer(uint32_t slack_mode);
  void OnZeroHandles() final { Cancel(); }
  void DisarmLocked() __TA_REQUIRES(lock());

  const uint32_t slack_mode_;
  uint64_t arm_id_ __TA_GUARDED(lock()) = 0;  // identifies the current arming
  bool armed_ __TA_GUARDED(lock()) = false;
};

template <>
struct ObjectTypeOf<Timer> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_TIMER;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_TIMER_H_
