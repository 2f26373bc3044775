// zx_object_signal, zx_object_signal_peer and zx_object_get_info.
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "zircon/src/kernel/exception_ports.h"
#include "zircon/src/kernel/linux_process.h"
#include "zircon/src/kernel/process.h"
#include "zircon/src/kernel/thread.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Object;
using zircon::kernel::RefPtr;
using zircon::syscalls::LookUpObject;

extern "C" zx_status_t zx_object_signal(zx_handle_t handle, uint32_t clear_mask,
                                        uint32_t set_mask) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Object> object;
  zx_status_t status = LookUpObject(handle, ZX_RIGHT_SIGNAL, &object);
  if (status != ZX_OK) {
    return status;
  }
  return object->UserSignalSelf(clear_mask, set_mask);
}

extern "C" zx_status_t zx_object_signal_peer(zx_handle_t handle, uint32_t clear_mask,
                                             uint32_t set_mask) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Object> object;
  zx_status_t status = LookUpObject(handle, ZX_RIGHT_SIGNAL_PEER, &object);
  if (status != ZX_OK) {
    return status;
  }
  return object->UserSignalPeer(clear_mask, set_mask);
}

namespace {

// Copies one record of `T` out, as Zircon's single-record topics do.
template <typename T>
zx_status_t WriteRecord(const T& record, void* buffer, size_t buffer_size, size_t* actual,
                        size_t* avail) {
  if (buffer_size < sizeof(T)) {
    if (avail != nullptr) {
      *avail = 1;
    }
    if (actual != nullptr) {
      *actual = 0;
    }
    return ZX_ERR_BUFFER_TOO_SMALL;
  }
  if (buffer == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  *static_cast<T*>(buffer) = record;
  if (actual != nullptr) {
    *actual = 1;
  }
  if (avail != nullptr) {
    *avail = 1;
  }
  return ZX_OK;
}

// ZX_INFO_PROCESS: this process, or a Linux child (<zircon/linux/process.h>).
zx_status_t GetProcessInfo(const RefPtr<Object>& object, zx_rights_t rights, void* buffer,
                           size_t buffer_size, size_t* actual, size_t* avail) {
  if ((rights & ZX_RIGHT_INSPECT) == 0) {
    return ZX_ERR_ACCESS_DENIED;
  }
  if (object->type() != zircon::kernel::ObjectTypeOf<zircon::kernel::LinuxProcess>::value) {
    return ZX_ERR_WRONG_TYPE;
  }
  if (zircon::kernel::Process::IsSelf(object.get())) {
    return WriteRecord(
        zircon::kernel::Process::GetInfo(zircon::kernel::exception_ports::DebuggerAttached()),
        buffer, buffer_size, actual, avail);
  }
  auto* process = static_cast<zircon::kernel::LinuxProcess*>(object.get());
  return WriteRecord(process->GetInfo(), buffer, buffer_size, actual, avail);
}

// ZX_INFO_THREAD and ZX_INFO_THREAD_EXCEPTION_REPORT.
zx_status_t GetThreadInfo(const RefPtr<Object>& object, zx_rights_t rights, uint32_t topic,
                          void* buffer, size_t buffer_size, size_t* actual, size_t* avail) {
  if ((rights & ZX_RIGHT_INSPECT) == 0) {
    return ZX_ERR_ACCESS_DENIED;
  }
  if (object->type() != ZX_OBJ_TYPE_THREAD) {
    return ZX_ERR_WRONG_TYPE;
  }
  auto* thread = static_cast<zircon::kernel::Thread*>(object.get());
  if (topic == ZX_INFO_THREAD) {
    return WriteRecord(thread->GetInfo(), buffer, buffer_size, actual, avail);
  }
  zx_exception_report_t report;
  if (buffer_size < sizeof(report)) {
    return WriteRecord(report, buffer, buffer_size, actual, avail);  // reports the size
  }
  zx_status_t status = thread->GetExceptionReport(&report);
  if (status != ZX_OK) {
    return status;
  }
  return WriteRecord(report, buffer, buffer_size, actual, avail);
}

// Topics Zircon defines for objects portloop does not have yet (threads, jobs, VMARs, VMOs)
// or does not report (a process's threads and memory): asking them of another object is a type
// mismatch.
bool IsTopicOfOtherObjectTypes(uint32_t topic) {
  switch (topic) {
    case ZX_INFO_PROCESS_THREADS:
    case ZX_INFO_VMAR:
    case ZX_INFO_JOB_CHILDREN:
    case ZX_INFO_JOB_PROCESSES:
    case ZX_INFO_THREAD:
    case ZX_INFO_THREAD_EXCEPTION_REPORT:
    case ZX_INFO_TASK_STATS:
      return true;
    default:
      return false;
  }
}

}  // namespace

extern "C" zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void* buffer,
                                          size_t buffer_size, size_t* actual,
                                          size_t* avail) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Object> object;
  zx_rights_t rights;
  zx_status_t status = LookUpObject(handle, ZX_RIGHT_NONE, &object, &rights);
  if (status != ZX_OK) {
    return status;
  }
  switch (topic) {
    case ZX_INFO_HANDLE_VALID:
      return ZX_OK;
    case ZX_INFO_HANDLE_BASIC: {
      zx_info_handle_basic_t info = {};
      info.koid = object->koid();
      info.rights = rights;
      info.type = object->type();
      info.related_koid = object->related_koid();
      info.props = object->is_waitable() ? ZX_OBJ_PROP_WAITABLE : ZX_OBJ_PROP_NONE;
      return WriteRecord(info, buffer, buffer_size, actual, avail);
    }
    case ZX_INFO_PROCESS:
      return GetProcessInfo(object, rights, buffer, buffer_size, actual, avail);
    case ZX_INFO_THREAD:
    case ZX_INFO_THREAD_EXCEPTION_REPORT:
      return GetThreadInfo(object, rights, topic, buffer, buffer_size, actual, avail);
    default:
      if (!IsTopicOfOtherObjectTypes(topic)) {
        return ZX_ERR_NOT_SUPPORTED;
      }
      if (object->type() == ZX_OBJ_TYPE_PROCESS &&
          (topic == ZX_INFO_PROCESS_THREADS || topic == ZX_INFO_TASK_STATS)) {
        return ZX_ERR_NOT_SUPPORTED;  // a process topic that Linux children do not report
      }
      return ZX_ERR_WRONG_TYPE;
  }
}
