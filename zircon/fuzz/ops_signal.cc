// Operations on signals: setting them, and waiting for them (never blocking: every deadline has
// passed).
#include <zircon/syscalls.h>

#include <array>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {
namespace {

// Written into `observed`/`pending` before a wait: no object ever has every signal asserted.
constexpr zx_signals_t kSentinelSignals = 0xffffffffu;

// Whether a wait with `status` must have written the observed signals.
bool WritesObserved(zx_status_t status) {
  return status == ZX_OK || status == ZX_ERR_TIMED_OUT || status == ZX_ERR_CANCELED;
}

// Signals on timers change on the timer thread, so a wait on one may see a trigger asserted
// just after it timed out; on every other object only the fuzzing thread changes them.
bool SignalsChangeConcurrently(zx_handle_t handle) {
  zx_info_handle_basic_t info = {};
  return GetBasicInfo(handle, &info) && info.type == ZX_OBJ_TYPE_TIMER;
}

// After zx_object_signal() succeeded on `handle`: the set bits are asserted, the cleared ones
// (that were not also set) are not.
void CheckSignalState(zx_handle_t handle, zx_signals_t clear_mask, zx_signals_t set_mask) {
  zx_signals_t observed = 0;
  const zx_status_t status = zx_object_wait_one(handle, ZX_SIGNAL_NONE, 0, &observed);
  if (status == ZX_ERR_ACCESS_DENIED) {
    return;  // no WAIT right: the state cannot be read
  }
  CheckContract(status == ZX_ERR_TIMED_OUT, "zx_object_wait_one",
                "a wait for no signal did not time out");
  CheckContract((observed & set_mask) == set_mask, "zx_object_signal", "a set bit is not asserted");
  CheckContract((observed & clear_mask & ~set_mask) == 0, "zx_object_signal",
                "a cleared bit is still asserted");
}

}  // namespace

void OpObjectSignal(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_signals_t clear_mask = FuzzState::PickSignals(in);
  const zx_signals_t set_mask = FuzzState::PickSignals(in);
  const zx_status_t status = zx_object_signal(handle, clear_mask, set_mask);
  CheckStatus("zx_object_signal", kObjectSignal, status);
  if (status == ZX_OK) {
    CheckSignalState(handle, clear_mask, set_mask);
  }
}

void OpObjectSignalPeer(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_signals_t clear_mask = FuzzState::PickSignals(in);
  const zx_signals_t set_mask = FuzzState::PickSignals(in);
  CheckStatus("zx_object_signal_peer", kObjectSignalPeer,
              zx_object_signal_peer(handle, clear_mask, set_mask));
}

void OpObjectWaitOne(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_signals_t signals = FuzzState::PickSignals(in);
  const zx_time_t deadline = FuzzState::PickPastDeadline(in);
  const bool null_observed = PickNull(in);
  zx_signals_t observed = kSentinelSignals;
  const zx_status_t status =
      zx_object_wait_one(handle, signals, deadline, null_observed ? nullptr : &observed);
  CheckStatus("zx_object_wait_one", kObjectWaitOne, status);
  // Nothing closes a handle during the wait: this thread is the only one that closes handles.
  CheckContract(status != ZX_ERR_CANCELED, "zx_object_wait_one", "canceled with no close");
  if (null_observed) {
    return;
  }
  CheckContract(WritesObserved(status) == (observed != kSentinelSignals), "zx_object_wait_one",
                "`observed` written on an error, or not written on a result");
  if (status == ZX_OK) {
    CheckContract((observed & signals) != 0, "zx_object_wait_one",
                  "ZX_OK with none of the signals observed");
  } else if (status == ZX_ERR_TIMED_OUT && !SignalsChangeConcurrently(handle)) {
    CheckContract((observed & signals) == 0, "zx_object_wait_one",
                  "timed out with one of the signals observed");
  }
}

void OpObjectWaitMany(FuzzState& state, ByteReader& in) {
  std::array<zx_wait_item_t, ZX_WAIT_MANY_MAX_ITEMS + 1> items;
  const size_t count = in.U8() % (items.size() + 1);
  const bool null_items = PickNull(in);
  const zx_time_t deadline = FuzzState::PickPastDeadline(in);
  for (size_t i = 0; i < count; ++i) {
    items[i] = {.handle = state.PickHandle(in),
                .waitfor = FuzzState::PickSignals(in),
                .pending = kSentinelSignals};
  }
  const zx_status_t status =
      zx_object_wait_many(null_items ? nullptr : items.data(), count, deadline);
  CheckStatus("zx_object_wait_many", kObjectWaitMany, status);
  CheckContract(status != ZX_ERR_CANCELED, "zx_object_wait_many", "canceled with no close");
  CheckContract((count > ZX_WAIT_MANY_MAX_ITEMS) == (status == ZX_ERR_OUT_OF_RANGE),
                "zx_object_wait_many", "ZX_ERR_OUT_OF_RANGE does not match the count");
  if (null_items) {
    return;
  }
  bool any_satisfied = false;
  for (size_t i = 0; i < count; ++i) {
    CheckContract(WritesObserved(status) == (items[i].pending != kSentinelSignals),
                  "zx_object_wait_many", "`pending` written on an error, or not on a result");
    any_satisfied |= (items[i].pending & items[i].waitfor) != 0;
  }
  CheckContract(status != ZX_OK || any_satisfied, "zx_object_wait_many",
                "ZX_OK with no item satisfied");
}

void OpObjectWaitAsync(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_handle_t port = state.PickHandle(in);
  const uint64_t key = FuzzState::PickKey(in);
  const zx_signals_t signals = FuzzState::PickSignals(in);
  const uint8_t choice = in.U8();
  const uint32_t options = choice < 0x70   ? ZX_WAIT_ASYNC_ONCE
                           : choice < 0xe0 ? ZX_WAIT_ASYNC_REPEATING
                                           : in.U32();
  CheckStatus("zx_object_wait_async", kObjectWaitAsync,
              zx_object_wait_async(handle, port, key, signals, options));
}

}  // namespace zircon::fuzz
