// The calling Linux process as a Zircon process object (zx_process_self()).
#ifndef ZIRCON_SRC_KERNEL_PROCESS_H_
#define ZIRCON_SRC_KERNEL_PROCESS_H_

#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include "zircon/src/kernel/object.h"

namespace zircon::kernel {

// This process. One object exists, created on first use and never destroyed; it never asserts
// ZX_PROCESS_TERMINATED (nobody is left to see it). Its exception bindings live in the
// exception-port code (exception_ports.h). Thread-safe.
//
// Linux child processes are LinuxProcess objects of the same type; IsSelf tells them apart.
class Process final : public Object {
 public:
  // The process object, created on first call. Thread-safe.
  static Process* Self();

  // Whether `object` is this process's object.
  static bool IsSelf(const Object* object);

  // The handle zx_process_self() returns: created once, owned by portloop (do not close it).
  zx_handle_t self_handle();

  // ZX_INFO_PROCESS: started, not exited; debugger_attached as given.
  static zx_info_process_t GetInfo(bool debugger_attached);

 private:
  Process() : Object(ZX_OBJ_TYPE_PROCESS, 0) {}

  std::atomic<zx_handle_t> self_handle_{ZX_HANDLE_INVALID};
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_PROCESS_H_
