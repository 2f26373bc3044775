// zx_timer_*.
#include "zircon/src/kernel/timer.h"

#include <zircon/syscalls.h>

#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::RefPtr;
using zircon::kernel::Timer;
using zircon::syscalls::LookUp;

extern "C" zx_status_t zx_timer_create(uint32_t options, zx_clock_t clock_id,
                                       zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options > ZX_TIMER_SLACK_LATE || clock_id != ZX_CLOCK_MONOTONIC || out == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Timer> timer = Timer::Create(options);
  if (!timer) {
    return ZX_ERR_NO_MEMORY;
  }
  return zircon::syscalls::MakeHandle(std::move(timer), ZX_DEFAULT_TIMER_RIGHTS, out);
}

extern "C" zx_status_t zx_timer_set(zx_handle_t handle, zx_time_t deadline,
                                    zx_duration_t slack) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (slack < 0) {
    return ZX_ERR_OUT_OF_RANGE;
  }
  RefPtr<Timer> timer;
  zx_status_t status = LookUp<Timer>(handle, ZX_RIGHT_WRITE, &timer);
  if (status != ZX_OK) {
    return status;
  }
  timer->Set(deadline, slack);
  return ZX_OK;
}

extern "C" zx_status_t zx_timer_cancel(zx_handle_t handle) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Timer> timer;
  zx_status_t status = LookUp<Timer>(handle, ZX_RIGHT_WRITE, &timer);
  if (status != ZX_OK) {
    return status;
  }
  timer->Cancel();
  return ZX_OK;
}
