// Operations on channels: messages with bytes and handles.
//
// Handles in messages: a message keeps its handles' objects alive, so a channel endpoint that
// ends up in its own queue, directly or through other channels, can never be read or closed
// again, and leaks (in Zircon too). So that every input can close everything it made, the
// fuzzer sends a channel endpoint only through a channel pair made after the endpoint's own
// pair (pairs are ordered by the smaller koid of their two ends): containment then always goes
// from newer pairs to older ones and can form no cycle.
#include <zircon/syscalls.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {
namespace {

// Buffers a little larger than a message may be, so that sizes past the limits stay in bounds.
constexpr uint32_t kBytesCapacity = ZX_CHANNEL_MAX_MSG_BYTES + 64;
constexpr uint32_t kHandlesCapacity = ZX_CHANNEL_MAX_MSG_HANDLES + 8;
constexpr uint32_t kSentinelCount = 0x7e57ab1fu;

uint8_t g_bytes[kBytesCapacity];
std::array<zx_handle_t, kHandlesCapacity> g_handles;
std::array<zx_handle_info_t, kHandlesCapacity> g_handle_infos;

// A byte count: usually small, sometimes at or past the limit. Any value if the buffer is null.
uint32_t PickByteCount(ByteReader& in, bool null_buffer) {
  switch (in.U8() % 6) {
    case 0:
      return 0;
    case 1:
      return in.U8();
    case 2:
      return in.U16();
    case 3:
      return ZX_CHANNEL_MAX_MSG_BYTES;
    case 4:
      return ZX_CHANNEL_MAX_MSG_BYTES + 1 + in.U8() % 63;
    default:
      return null_buffer ? in.U32() : in.U32() % kBytesCapacity;
  }
}

// A handle count: usually small, sometimes at or past the limit. Any value if the array is null.
uint32_t PickHandleCount(ByteReader& in, bool null_array) {
  switch (in.U8() % 5) {
    case 0:
      return 0;
    case 1:
    case 2:
      return 1 + in.U8() % 4;
    case 3:
      return ZX_CHANNEL_MAX_MSG_HANDLES + in.U8() % 9;
    default:
      return null_array ? in.U32() : in.U8() % kHandlesCapacity;
  }
}

// The order of a channel pair: the smaller koid of its two ends.
zx_koid_t PairOrder(const zx_info_handle_basic_t& info) {
  return std::min(info.koid, info.related_koid);
}

// Replaces by ZX_HANDLE_INVALID each channel endpoint among `values` that would create a cycle
// if written through `channel` (see the file comment).
void AvoidCycles(zx_handle_t channel, zx_handle_t* values, uint32_t count) {
  zx_info_handle_basic_t target = {};
  if (!GetBasicInfo(channel, &target) || target.type != ZX_OBJ_TYPE_CHANNEL) {
    return;  // the write fails: nothing enters a queue
  }
  for (uint32_t i = 0; i < count; ++i) {
    zx_info_handle_basic_t info = {};
    if (GetBasicInfo(values[i], &info) && info.type == ZX_OBJ_TYPE_CHANNEL &&
        PairOrder(info) >= PairOrder(target)) {
      values[i] = ZX_HANDLE_INVALID;
    }
  }
}

// Records the handles a read delivered: the non-zero entries of the array, which was zeroed.
uint32_t RecordReceived(FuzzState& state, bool etc, uint32_t capacity) {
  uint32_t received = 0;
  for (uint32_t i = 0; i < capacity; ++i) {
    const zx_handle_t handle = etc ? g_handle_infos[i].handle : g_handles[i];
    if (handle == ZX_HANDLE_INVALID) {
      continue;
    }
    state.AddLive(handle, "zx_channel_read");
    ++received;
    if (etc) {
      zx_info_handle_basic_t info = {};
      CheckContract(GetBasicInfo(handle, &info) && info.type == g_handle_infos[i].type &&
                        info.rights == g_handle_infos[i].rights,
                    "zx_channel_read_etc", "a handle's type or rights are misreported");
    }
  }
  return received;
}

// The counts a read reported, checked against its status.
void CheckReadCounts(zx_status_t status, uint32_t num_bytes, uint32_t num_handles,
                     uint32_t actual_bytes, uint32_t actual_handles, uint32_t received) {
  const bool written = actual_bytes != kSentinelCount;
  CheckContract(written == (status == ZX_OK || status == ZX_ERR_BUFFER_TOO_SMALL),
                "zx_channel_read", "the actual counts written on an error, or not on a result");
  if (status == ZX_OK) {
    CheckContract(actual_bytes <= num_bytes && actual_handles <= num_handles, "zx_channel_read",
                  "it read more than fits");
    CheckContract(actual_handles == received, "zx_channel_read",
                  "`actual_handles` differs from the handles delivered");
  } else if (status == ZX_ERR_BUFFER_TOO_SMALL) {
    CheckContract(actual_bytes > num_bytes || actual_handles > num_handles, "zx_channel_read",
                  "ZX_ERR_BUFFER_TOO_SMALL for a message that fits");
  }
}

}  // namespace

void OpChannelWrite(FuzzState& state, ByteReader& in) {
  const zx_handle_t channel = state.PickHandle(in);
  const uint32_t options = FuzzState::PickOptions(in);
  const bool null_bytes = PickNull(in);
  const uint32_t num_bytes = PickByteCount(in, null_bytes);
  const bool null_handles = PickNull(in);
  const uint32_t num_handles = PickHandleCount(in, null_handles);
  const uint32_t picked = null_handles ? 0 : num_handles;
  for (uint32_t i = 0; i < picked; ++i) {
    g_handles[i] = state.PickHandle(in);
  }
  std::memset(g_bytes, in.U8(), std::min(num_bytes, kBytesCapacity));
  AvoidCycles(channel, g_handles.data(), picked);
  const zx_status_t status =
      zx_channel_write(channel, options, null_bytes ? nullptr : g_bytes, num_bytes,
                       null_handles ? nullptr : g_handles.data(), num_handles);
  CheckStatus("zx_channel_write", kChannelWrite, status);
  // Every handle to send is consumed, whether the write succeeds or fails.
  for (uint32_t i = 0; i < picked; ++i) {
    state.ExpectConsumed(g_handles[i], "zx_channel_write");
  }
}

void OpChannelRead(FuzzState& state, ByteReader& in) {
  const zx_handle_t channel = state.PickHandle(in);
  const uint8_t choice = in.U8();
  const uint32_t options = choice < 0x80   ? 0
                           : choice < 0xf0 ? ZX_CHANNEL_READ_MAY_DISCARD
                                           : in.U32();
  const bool null_bytes = PickNull(in);
  const uint32_t num_bytes = in.Bool() ? kBytesCapacity : PickByteCount(in, null_bytes);
  const bool null_handles = PickNull(in);
  const uint32_t num_handles = in.Bool() ? kHandlesCapacity : PickHandleCount(in, null_handles);
  const bool null_actual = PickNull(in);
  const bool etc = in.Bool();
  g_handles.fill(ZX_HANDLE_INVALID);
  g_handle_infos.fill({});
  uint32_t actual_bytes = kSentinelCount;
  uint32_t actual_handles = kSentinelCount;
  uint32_t* actual_bytes_ptr = null_actual ? nullptr : &actual_bytes;
  uint32_t* actual_handles_ptr = null_actual ? nullptr : &actual_handles;
  const zx_status_t status =
      etc ? zx_channel_read_etc(channel, options, null_bytes ? nullptr : g_bytes,
                                null_handles ? nullptr : g_handle_infos.data(), num_bytes,
                                num_handles, actual_bytes_ptr, actual_handles_ptr)
          : zx_channel_read(channel, options, null_bytes ? nullptr : g_bytes,
                            null_handles ? nullptr : g_handles.data(), num_bytes, num_handles,
                            actual_bytes_ptr, actual_handles_ptr);
  CheckStatus(etc ? "zx_channel_read_etc" : "zx_channel_read", kChannelRead, status);
  const uint32_t received =
      null_handles ? 0 : RecordReceived(state, etc, std::min(num_handles, kHandlesCapacity));
  CheckContract(received == 0 || status == ZX_OK || status == ZX_ERR_NO_RESOURCES,
                "zx_channel_read", "handles delivered with an error");
  if (!null_actual) {
    CheckReadCounts(status, num_bytes, num_handles, actual_bytes, actual_handles, received);
  }
  if (status == ZX_OK && !null_actual && !null_bytes && actual_bytes > 0) {
    // Every message the fuzzer writes repeats one byte.
    CheckContract(std::count(g_bytes, g_bytes + actual_bytes, g_bytes[0]) == actual_bytes,
                  "zx_channel_read", "a message's bytes differ from those written");
  }
}

}  // namespace zircon::fuzz
