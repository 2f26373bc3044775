#include "zircon/src/kernel/timer.h"

#include <zircon/assert.h>
#include <zircon/time.h>

#include <new>

#include "zircon/src/kernel/timer_service.h"
#include "zircon/src/linux/clock.h"

namespace zircon::kernel {

RefPtr<Timer> Timer::Create(uint32_t slack_mode) {
  Timer* timer = new (std::nothrow) Timer(slack_mode);
  return timer == nullptr ? nullptr : AdoptRef(timer);
}

Timer::Timer(uint32_t slack_mode)
    : Object(ZX_OBJ_TYPE_TIMER, ZX_SIGNAL_NONE), slack_mode_(slack_mode) {}

Timer::~Timer() { ZX_DEBUG_ASSERT(heap_index == SIZE_MAX); }

void Timer::DisarmLocked() {
  if (armed_) {
    TimerService::Get().Disarm(this);
    armed_ = false;
  }
  ++arm_id_;
}

void Timer::Set(zx_time_t deadline, zx_duration_t slack) {
  // The window the expiry may fall in: centred on, before, or after the deadline.
  zx_time_t earliest = deadline;
  if (slack_mode_ != ZX_TIMER_SLACK_LATE) {
    earliest = zx_time_sub_duration(deadline, slack);
  }
  MutexLock lock(this->lock());
  DisarmLocked();
  UpdateStateLocked(ZX_TIMER_SIGNALED, 0);
  if (earliest <= 0 || earliest <= linux::MonotonicNow()) {
    UpdateStateLocked(0, ZX_TIMER_SIGNALED);
    return;
  }
  const zx_status_t status = TimerService::Get().Arm(this, earliest, deadline, arm_id_);
  ZX_ASSERT_MSG(status == ZX_OK, "portloop: cannot arm a timer: status=%d", status);
  armed_ = true;
}

void Timer::Cancel() {
  MutexLock lock(this->lock());
  DisarmLocked();
  UpdateStateLocked(ZX_TIMER_SIGNALED, 0);
}

void Timer::Fire(uint64_t arm_id) {
  MutexLock lock(this->lock());
  if (!armed_ || arm_id != arm_id_) {
    return;  // re-set or cancelled after the service picked this expiry
  }
  armed_ = false;
  UpdateStateLocked(0, ZX_TIMER_SIGNALED);
}

}  // namespace zircon::kernel
