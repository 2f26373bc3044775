// Operations on object info, tasks, clocks, and the argument checks of the hypervisor calls.
#include <zircon/linux/guest.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/hypervisor.h>
#include <zircon/syscalls/object.h>
#include <zircon/time.h>

#include <cstring>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {
namespace {

constexpr size_t kSentinelSize = 0x7e57ab1fu;
constexpr uint8_t kSentinelByte = 0xa5;
constexpr size_t kInfoBufferSize = 256;

uint32_t PickTopic(ByteReader& in) {
  static constexpr uint32_t kTopics[] = {
      ZX_INFO_HANDLE_VALID,
      ZX_INFO_HANDLE_BASIC,
      ZX_INFO_PROCESS,
      ZX_INFO_THREAD,
      ZX_INFO_THREAD_EXCEPTION_REPORT,
      ZX_INFO_HANDLE_COUNT,
      ZX_INFO_TASK_STATS,
      ZX_INFO_PROCESS_THREADS,
      ZX_INFO_THREAD_STATS,
      ZX_INFO_VMAR,
  };
  const uint8_t choice = in.U8();
  if (choice < 0xe0) {
    return kTopics[choice % (sizeof(kTopics) / sizeof(kTopics[0]))];
  }
  return choice < 0xf0 ? choice & 0x1fu : in.U32();
}

size_t PickInfoSize(ByteReader& in) {
  switch (in.U8() % 4) {
    case 0:
      return 0;
    case 1:
      return in.U8() % 48;  // around the size of each record
    default:
      return kInfoBufferSize;
  }
}

bool BufferUntouched(const uint8_t* buffer, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (buffer[i] != kSentinelByte) {
      return false;
    }
  }
  return true;
}

// The counts and buffer of zx_object_get_info, checked against its status.
void CheckInfoResult(zx_status_t status, uint32_t topic, const uint8_t* buffer, size_t actual,
                     size_t avail, bool have_counts) {
  const char* call = "zx_object_get_info";
  if (status != ZX_OK) {
    CheckContract(BufferUntouched(buffer, kInfoBufferSize), call, "wrote its buffer on an error");
  }
  if (!have_counts || topic == ZX_INFO_HANDLE_VALID) {
    return;
  }
  if (status == ZX_OK) {
    CheckContract(actual != kSentinelSize && avail != kSentinelSize && actual <= avail, call,
                  "bad record counts on success");
  } else if (status == ZX_ERR_BUFFER_TOO_SMALL) {
    CheckContract(avail != kSentinelSize && avail > actual, call,
                  "ZX_ERR_BUFFER_TOO_SMALL without the available count");
  } else {
    CheckContract(actual == kSentinelSize && avail == kSentinelSize, call,
                  "wrote record counts on an error");
  }
}

void CheckClockAndTime(ByteReader& in) {
  const zx_clock_t clock = in.U8() < 0xe0 ? in.U8() % 4 : in.U32();
  const bool null_out = PickNull(in);
  zx_time_t now = 0;
  const zx_status_t status = zx_clock_get_new(clock, null_out ? nullptr : &now);
  CheckStatus("zx_clock_get_new", kClockGet, status);
  const bool known =
      clock == ZX_CLOCK_MONOTONIC || clock == ZX_CLOCK_UTC || clock == ZX_CLOCK_THREAD;
  CheckContract((status == ZX_OK) == (known && !null_out), "zx_clock_get_new",
                "ZX_OK does not match a known clock and an out pointer");
  const zx_duration_t duration = static_cast<zx_duration_t>(in.U64());
  const zx_time_t earliest = zx_time_add_duration(zx_clock_get_monotonic(), duration);
  const zx_time_t deadline = zx_deadline_after(duration);
  const zx_time_t latest = zx_time_add_duration(zx_clock_get_monotonic(), duration);
  CheckContract(earliest <= deadline && deadline <= latest, "zx_deadline_after",
                "not now plus the duration, saturated");
}

void CheckMisc(ByteReader& in) {
  const zx_status_t any_status = static_cast<zx_status_t>(in.U32());
  const char* name = zx_status_get_string(any_status);
  CheckContract(name != nullptr && name[0] != '\0', "zx_status_get_string", "no name");
  CheckStatus("zx_nanosleep", kAlwaysOk, zx_nanosleep(FuzzState::PickPastDeadline(in)));
  uint8_t random[64];
  zx_cprng_draw(random, in.U8() % sizeof(random));
  const zx_ticks_t before = zx_ticks_get();
  CheckContract(zx_ticks_get() >= before && zx_ticks_per_second() > 0, "zx_ticks_get",
                "ticks went back, or tick rate is not positive");
}

}  // namespace

void OpObjectGetInfo(FuzzState& state, ByteReader& in) {
  alignas(16) uint8_t buffer[kInfoBufferSize];
  const zx_handle_t handle = in.U8() < 0xf0 ? state.PickHandle(in) : zx_process_self();
  const uint32_t topic = PickTopic(in);
  const bool null_buffer = PickNull(in);
  const size_t size = PickInfoSize(in);
  const bool null_counts = PickNull(in);
  std::memset(buffer, kSentinelByte, sizeof(buffer));
  size_t actual = kSentinelSize;
  size_t avail = kSentinelSize;
  const zx_status_t status =
      zx_object_get_info(handle, topic, null_buffer ? nullptr : buffer, size,
                         null_counts ? nullptr : &actual, null_counts ? nullptr : &avail);
  CheckStatus("zx_object_get_info", kObjectGetInfo, status);
  CheckInfoResult(status, topic, buffer, actual, avail, !null_counts);
  if (status == ZX_OK && topic == ZX_INFO_HANDLE_BASIC) {
    zx_info_handle_basic_t info;
    std::memcpy(&info, buffer, sizeof(info));
    CheckContract(info.koid != ZX_KOID_INVALID && info.koid != info.related_koid,
                  "zx_object_get_info", "a bad koid or related koid");
    // Everything but a port can be waited on.
    CheckContract(
        info.props == (info.type == ZX_OBJ_TYPE_PORT ? ZX_OBJ_PROP_NONE : ZX_OBJ_PROP_WAITABLE),
        "zx_object_get_info", "ZX_OBJ_PROP_WAITABLE misreported");
  }
}

void OpTaskKill(FuzzState& state, ByteReader& in) {
  // zx_process_self() itself may be named: killing a running process is refused.
  const zx_handle_t handle = in.U8() < 0xf0 ? state.PickHandle(in) : zx_process_self();
  const zx_status_t status = zx_task_kill(handle);
  CheckStatus("zx_task_kill", kTaskKill, status);
  zx_info_thread_t info = {};
  if (status == ZX_OK &&
      zx_object_get_info(handle, ZX_INFO_THREAD, &info, sizeof(info), nullptr, nullptr) == ZX_OK) {
    CheckContract(info.state == ZX_THREAD_STATE_DEAD, "zx_task_kill", "the thread is not dead");
  }
}

void OpTaskBindExceptionPort(FuzzState& state, ByteReader& in) {
  const zx_handle_t task = in.Bool() ? zx_process_self() : state.PickHandle(in);
  const zx_handle_t port = in.U8() < 0x40 ? ZX_HANDLE_INVALID : state.PickHandle(in);
  const uint64_t key = FuzzState::PickKey(in);
  const uint8_t choice = in.U8();
  const uint32_t options = choice < 0x80   ? 0
                           : choice < 0xf0 ? ZX_EXCEPTION_PORT_DEBUGGER
                                           : in.U32();
  CheckStatus("zx_task_bind_exception_port", kTaskBindExceptionPort,
              zx_task_bind_exception_port(task, port, key, options));
}

void OpTaskResumeFromException(FuzzState& state, ByteReader& in) {
  const zx_handle_t thread = state.PickHandle(in);
  const zx_handle_t port = state.PickHandle(in);
  const uint8_t choice = in.U8();
  const uint32_t options = choice < 0x80 ? 0 : choice < 0xf0 ? ZX_RESUME_TRY_NEXT : in.U32();
  const zx_status_t status = zx_task_resume_from_exception(thread, port, options);
  CheckStatus("zx_task_resume_from_exception", kTaskResumeFromException, status);
  CheckContract(status != ZX_OK, "zx_task_resume_from_exception",
                "resumed an exception although no thread took one");
}

void OpClockAndMisc(FuzzState& state, ByteReader& in) {
  (void)state;
  if (in.Bool()) {
    CheckClockAndTime(in);
  } else {
    CheckMisc(in);
  }
}

void OpHypervisorArguments(FuzzState& state, ByteReader& in) {
  const zx_handle_t handle = state.PickHandle(in);
  const zx_handle_t port = state.PickHandle(in);
  const bool null_pointer = PickNull(in);
  zx_handle_t out0 = kSentinelHandle;
  zx_handle_t out1 = kSentinelHandle;
  alignas(16) uint8_t state_buffer[512] = {};
  zx_port_packet_t packet = {};
  switch (in.U8() % 6) {
    case 0:
      // Never a real guest: the options are never 0.
      CheckStatus("zx_guest_create", kGuestCreateInvalid,
                  zx_guest_create(ZX_HANDLE_INVALID, in.U32() | 1u, &out0, &out1));
      break;
    case 1:
      CheckStatus("zx_guest_set_trap", kGuestSetTrap,
                  zx_guest_set_trap(handle, in.U8() % 4, in.U64(), in.U64(), port, in.U64()));
      break;
    case 2:
      CheckStatus("zx_vcpu_create", kVcpuCreate,
                  zx_vcpu_create(handle, FuzzState::PickOptions(in), in.U32(),
                                 null_pointer ? nullptr : &out0));
      break;
    case 3:
      CheckStatus("zx_vcpu_resume", kVcpuCall,
                  zx_vcpu_resume(handle, null_pointer ? nullptr : &packet));
      break;
    case 4:
      CheckStatus("zx_vcpu_read_state", kVcpuCall,
                  zx_vcpu_read_state(handle, in.U8() % 3, null_pointer ? nullptr : state_buffer,
                                     in.U16() % sizeof(state_buffer)));
      break;
    default: {
      void* memory = nullptr;
      size_t size = 0;
      CheckStatus("zx_linux_guest_memory", kGuestMemory,
                  zx_linux_guest_memory(handle, null_pointer ? nullptr : &memory, &size));
      break;
    }
  }
  // No guest or vCPU exists, so nothing can have been created.
  CheckContract(out0 == kSentinelHandle && out1 == kSentinelHandle, "the hypervisor calls",
                "a guest or vCPU handle was made without a guest");
}

}  // namespace zircon::fuzz
