#include "zircon/src/kernel/process.h"

#include <zircon/rights.h>

#include <mutex>

#include "zircon/src/kernel/handle_table.h"

namespace zircon::kernel {

Process* Process::Self() {
  // Leaked on purpose: handles to it may be used until the very end of the process.
  static Process* const process = new Process();
  return process;
}

bool Process::IsSelf(const Object* object) { return object == Self(); }

zx_handle_t Process::self_handle() {
  static std::once_flag once;
  std::call_once(once, [this] {
    AddRef();  // the handle's reference
    zx_handle_t value = ZX_HANDLE_INVALID;
    if (HandleTable::Get().Add(Handle::Make(AdoptRef<Object>(this), ZX_DEFAULT_PROCESS_RIGHTS),
                               &value) == ZX_OK) {
      self_handle_.store(value, std::memory_order_release);
    }
  });
  return self_handle_.load(std::memory_order_acquire);
}

zx_info_process_t Process::GetInfo(bool debugger_attached) {
  zx_info_process_t info = {};
  info.started = true;
  info.exited = false;
  info.debugger_attached = debugger_attached;
  return info;
}

}  // namespace zircon::kernel
