// Operations that make, copy and close handles.
#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>

#include <array>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {

void RecordCreated(FuzzState& state, const char* call, zx_status_t status,
                   std::initializer_list<zx_handle_t*> outs, Expected expected) {
  for (zx_handle_t* out : outs) {
    if (out == nullptr) {
      CheckContract(status != ZX_OK, call, "succeeded with a null out pointer");
      continue;
    }
    if (status != ZX_OK) {
      CheckContract(*out == kSentinelHandle, call, "wrote an out handle on failure");
      continue;
    }
    state.AddLive(*out, call);
    zx_info_handle_basic_t info = {};
    CheckContract(GetBasicInfo(*out, &info), call, "its new handle has no basic info");
    CheckContract(info.type == expected.type, call, "its new handle has the wrong type");
    CheckContract(info.rights == expected.rights, call, "its new handle has the wrong rights");
  }
}

namespace {

// For the two ends of a new pair: each end's related koid is the other's koid.
void CheckPeers(const char* call, zx_status_t status, zx_handle_t* out0, zx_handle_t* out1) {
  if (status != ZX_OK) {
    return;
  }
  zx_info_handle_basic_t info0 = {};
  zx_info_handle_basic_t info1 = {};
  CheckContract(GetBasicInfo(*out0, &info0) && GetBasicInfo(*out1, &info1), call,
                "a new end has no basic info");
  CheckContract(info0.related_koid == info1.koid && info1.related_koid == info0.koid, call,
                "the two ends do not name each other");
}

// A create call of the form f(options, out0, out1): event pairs and channels.
template <typename Create>
void CreatePair(FuzzState& state, ByteReader& in, const char* call, const StatusSet& allowed,
                Expected expected, Create create) {
  const uint32_t options = FuzzState::PickOptions(in);
  const bool null0 = PickNull(in);
  const bool null1 = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out0 = kSentinelHandle;
  zx_handle_t out1 = kSentinelHandle;
  zx_handle_t* ptr0 = null0 ? nullptr : &out0;
  zx_handle_t* ptr1 = null1 ? nullptr : &out1;
  const zx_status_t status = create(options, ptr0, ptr1);
  CheckStatus(call, allowed, status);
  RecordCreated(state, call, status, {ptr0, ptr1}, expected);
  CheckPeers(call, status, ptr0, ptr1);
}

}  // namespace

void OpEventCreate(FuzzState& state, ByteReader& in) {
  const uint32_t options = FuzzState::PickOptions(in);
  const bool null_out = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_event_create(options, ptr);
  CheckStatus("zx_event_create", kObjectCreate, status);
  RecordCreated(state, "zx_event_create", status, {ptr},
                {ZX_OBJ_TYPE_EVENT, ZX_DEFAULT_EVENT_RIGHTS});
}

void OpEventPairCreate(FuzzState& state, ByteReader& in) {
  CreatePair(state, in, "zx_eventpair_create", kEventPairCreate,
             {ZX_OBJ_TYPE_EVENTPAIR, ZX_DEFAULT_EVENTPAIR_RIGHTS}, zx_eventpair_create);
}

void OpChannelCreate(FuzzState& state, ByteReader& in) {
  CreatePair(state, in, "zx_channel_create", kObjectCreate,
             {ZX_OBJ_TYPE_CHANNEL, ZX_DEFAULT_CHANNEL_RIGHTS}, zx_channel_create);
}

void OpPortCreate(FuzzState& state, ByteReader& in) {
  const uint32_t options = FuzzState::PickOptions(in);
  const bool null_out = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_port_create(options, ptr);
  CheckStatus("zx_port_create", kObjectCreate, status);
  RecordCreated(state, "zx_port_create", status, {ptr}, {ZX_OBJ_TYPE_PORT, ZX_DEFAULT_PORT_RIGHTS});
}

void OpTimerCreate(FuzzState& state, ByteReader& in) {
  const uint32_t options = FuzzState::PickOptions(in);
  const zx_clock_t clock = in.U8() < 0xe0 ? ZX_CLOCK_MONOTONIC : in.U32();
  const bool null_out = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_timer_create(options, clock, ptr);
  CheckStatus("zx_timer_create", kObjectCreate, status);
  RecordCreated(state, "zx_timer_create", status, {ptr},
                {ZX_OBJ_TYPE_TIMER, ZX_DEFAULT_TIMER_RIGHTS});
}

void OpProcessSelfDuplicate(FuzzState& state, ByteReader& in) {
  const zx_rights_t rights = FuzzState::PickRights(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out = kSentinelHandle;
  const zx_status_t status = zx_handle_duplicate(zx_process_self(), rights, &out);
  CheckStatus("zx_handle_duplicate", kHandleDuplicate, status);
  const zx_rights_t expected = rights == ZX_RIGHT_SAME_RIGHTS ? ZX_DEFAULT_PROCESS_RIGHTS : rights;
  RecordCreated(state, "zx_handle_duplicate", status, {&out}, {ZX_OBJ_TYPE_PROCESS, expected});
}

void OpThreadCreate(FuzzState& state, ByteReader& in) {
  static constexpr char kName[] = "a thread name longer than ZX_MAX_NAME_LEN for the fuzzer";
  const zx_handle_t process = in.Bool() ? zx_process_self() : state.PickHandle(in);
  const char* name = PickNull(in) ? nullptr : kName;
  const size_t name_size = in.U8() % sizeof(kName);
  const uint32_t options = FuzzState::PickOptions(in);
  const bool null_out = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_thread_create(process, name, name_size, options, ptr);
  CheckStatus("zx_thread_create", kThreadCreate, status);
  RecordCreated(state, "zx_thread_create", status, {ptr},
                {ZX_OBJ_TYPE_THREAD, ZX_DEFAULT_THREAD_RIGHTS});
}

void OpHandleDuplicate(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_rights_t rights = FuzzState::PickRights(in);
  const bool null_out = PickNull(in);
  if (!state.CanCreate()) {
    return;
  }
  zx_info_handle_basic_t before = {};
  const bool valid = GetBasicInfo(handle, &before);
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_handle_duplicate(handle, rights, ptr);
  CheckStatus("zx_handle_duplicate", kHandleDuplicate, status);
  CheckContract(valid || status == ZX_ERR_BAD_HANDLE, "zx_handle_duplicate",
                "a value that names no handle did not give ZX_ERR_BAD_HANDLE");
  const zx_rights_t expected = rights == ZX_RIGHT_SAME_RIGHTS ? before.rights : rights;
  RecordCreated(state, "zx_handle_duplicate", status, {ptr}, {before.type, expected});
  CheckContract(IsValidHandle(handle) == valid, "zx_handle_duplicate", "it changed its source");
}

void OpHandleReplace(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_rights_t rights = FuzzState::PickRights(in);
  const bool null_out = PickNull(in);
  zx_info_handle_basic_t before = {};
  const bool valid = GetBasicInfo(handle, &before);
  zx_handle_t out = kSentinelHandle;
  zx_handle_t* ptr = null_out ? nullptr : &out;
  const zx_status_t status = zx_handle_replace(handle, rights, ptr);
  CheckStatus("zx_handle_replace", kHandleReplace, status);
  CheckContract(valid == (status != ZX_ERR_BAD_HANDLE), "zx_handle_replace",
                "ZX_ERR_BAD_HANDLE does not match the validity of its handle");
  if (valid) {
    // Consumed whatever the outcome, unless it named no handle.
    CheckContract(!IsValidHandle(handle) || (status == ZX_OK && out == handle), "zx_handle_replace",
                  "the replaced handle is still valid");
    state.MarkGone(handle);
  }
  const zx_rights_t expected = rights == ZX_RIGHT_SAME_RIGHTS ? before.rights : rights;
  RecordCreated(state, "zx_handle_replace", status, {ptr}, {before.type, expected});
}

void OpHandleClose(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const bool live = state.IsLive(handle);
  const zx_status_t status = zx_handle_close(handle);
  CheckStatus("zx_handle_close", kHandleClose, status);
  CheckContract(!live || status == ZX_OK, "zx_handle_close", "a live handle did not close");
  CheckContract(!IsValidHandle(handle), "zx_handle_close", "the handle is still valid");
  state.MarkGone(handle);
}

void OpHandleCloseMany(FuzzState& state, ByteReader& in) {
  std::array<zx_handle_t, 20> handles;
  const size_t count = in.U8() % (handles.size() + 1);
  const bool null_array = PickNull(in);
  for (size_t i = 0; i < count; ++i) {
    handles[i] = state.PickHandle(in);
  }
  const zx_status_t status = zx_handle_close_many(null_array ? nullptr : handles.data(), count);
  CheckStatus("zx_handle_close_many", kHandleCloseMany, status);
  if (null_array) {
    CheckContract((status == ZX_ERR_INVALID_ARGS) == (count != 0), "zx_handle_close_many",
                  "a null array with entries is not ZX_ERR_INVALID_ARGS");
    return;
  }
  // Every entry is closed, even after a bad one.
  for (size_t i = 0; i < count; ++i) {
    CheckContract(!IsValidHandle(handles[i]), "zx_handle_close_many", "an entry is still valid");
    state.MarkGone(handles[i]);
  }
}

}  // namespace zircon::fuzz
