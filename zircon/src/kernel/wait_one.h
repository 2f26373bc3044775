// Blocking waits on objects' signals: zx_object_wait_one and zx_object_wait_many.
#ifndef ZIRCON_SRC_KERNEL_WAIT_ONE_H_
#define ZIRCON_SRC_KERNEL_WAIT_ONE_H_

#include <zircon/types.h>

#include <cstddef>

#include "zircon/src/kernel/object.h"

namespace zircon::kernel {

// One object a blocking wait watches.
struct WaitTarget {
  RefPtr<Object> object;
  zx_handle_t handle = ZX_HANDLE_INVALID;  // the handle the caller named
  zx_signals_t trigger = 0;
  zx_signals_t observed = 0;  // out: the object's whole state when the wait ended
};

// Blocks until any target has any of its trigger signals asserted, a target's handle is closed,
// or the absolute `deadline` passes. Fills each target's `observed`. Thread-safe; sleeps without
// polling.
//
// Returns ZX_OK if a trigger was asserted (at once if already so, whatever the deadline).
// Returns ZX_ERR_CANCELED if a target's handle was closed (its `observed` then holds
// ZX_SIGNAL_HANDLE_CLOSED).
// Returns ZX_ERR_TIMED_OUT at the deadline.
// Returns ZX_ERR_BAD_HANDLE if a handle was closed before the wait could start.
zx_status_t WaitForSignals(WaitTarget* targets, size_t count, zx_time_t deadline);

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_WAIT_ONE_H_
