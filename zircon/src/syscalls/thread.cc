// zx_thread_create, zx_thread_start, zx_thread_self and zx_process_self.
#include "zircon/src/kernel/thread.h"

#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>

#include "zircon/src/kernel/process.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Object;
using zircon::kernel::Process;
using zircon::kernel::RefPtr;
using zircon::kernel::Thread;

extern "C" zx_status_t zx_thread_create(zx_handle_t process, const char* name, size_t name_size,
                                        uint32_t options, zx_handle_t* out) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Object> object;
  zx_status_t status = zircon::syscalls::LookUpObject(process, ZX_RIGHT_MANAGE_THREAD, &object);
  if (status != ZX_OK) {
    return status;
  }
  if (object->type() != ZX_OBJ_TYPE_PROCESS) {
    return ZX_ERR_WRONG_TYPE;
  }
  if (!Process::IsSelf(object.get())) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (options != 0 || out == nullptr || (name == nullptr && name_size != 0)) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Thread> thread = Thread::Create(name, name_size);
  if (!thread) {
    return ZX_ERR_NO_MEMORY;
  }
  return zircon::syscalls::MakeHandle(std::move(thread), ZX_DEFAULT_THREAD_RIGHTS, out);
}

extern "C" zx_status_t zx_thread_start(zx_handle_t handle, uintptr_t entry, uintptr_t stack,
                                       uintptr_t arg1, uintptr_t arg2) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Thread> thread;
  zx_status_t status = zircon::syscalls::LookUp(handle, ZX_RIGHT_WRITE, &thread);
  if (status != ZX_OK) {
    return status;
  }
  return thread->Start(entry, stack, arg1, arg2);
}

extern "C" zx_handle_t zx_thread_self(void) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  Thread* thread = Thread::CurrentOrAdopt();
  return thread == nullptr ? ZX_HANDLE_INVALID : thread->self_handle();
}

extern "C" zx_handle_t _zx_thread_self(void) noexcept { return zx_thread_self(); }

extern "C" zx_handle_t zx_process_self(void) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  return Process::Self()->self_handle();
}

extern "C" zx_handle_t _zx_process_self(void) noexcept { return zx_process_self(); }
