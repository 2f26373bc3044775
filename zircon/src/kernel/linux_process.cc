#include "zircon/src/kernel/linux_process.h"

#include <zircon/linux/process.h>

#include <new>

#include "zircon/src/linux/epoll.h"
#include "zircon/src/linux/pidfd.h"

namespace zircon::kernel {

zx_status_t LinuxProcess::Create(int pid, RefPtr<LinuxProcess>* out) {
  int pidfd = -1;
  const zx_status_t status = linux::PidfdOpenChild(pid, &pidfd);
  if (status != ZX_OK) {
    return status;
  }
  LinuxProcess* process = new (std::nothrow) LinuxProcess(pidfd);
  if (process == nullptr) {
    linux::CloseFd(pidfd);
    return ZX_ERR_NO_MEMORY;
  }
  *out = AdoptRef(process);
  return ZX_OK;
}

zx_info_process_t LinuxProcess::GetInfo() {
  MutexLock lock(this->lock());
  if (!exited_) {
    TryReapLocked();
  }
  zx_info_process_t info = {};
  info.return_code = exited_ ? return_code_ : 0;
  info.started = true;
  info.exited = exited_;
  info.debugger_attached = false;
  return info;
}

uint32_t LinuxProcess::EventsForSignals(zx_signals_t signals) const {
  // A pidfd becomes readable when its process exits.
  return (signals & ZX_PROCESS_TERMINATED) != 0 ? linux::kPollIn : 0u;
}

void LinuxProcess::ApplyReadinessLocked(uint32_t asked, uint32_t reported) {
  (void)asked;
  if (!exited_ && reported != 0) {
    TryReapLocked();
  }
}

void LinuxProcess::TryReapLocked() {
  bool exited = false;
  int64_t code = 0;
  const zx_status_t status = linux::PidfdTryReap(fd(), &exited, &code);
  if (status == ZX_OK && !exited) {
    return;
  }
  exited_ = true;
  // Anything else: someone else collected the status (or the pidfd broke); it has ended anyway.
  return_code_ = status == ZX_OK ? code : ZX_LINUX_PROCESS_RETURN_CODE_UNKNOWN;
  UpdateStateLocked(0, ZX_PROCESS_TERMINATED);
}

void LinuxProcess::OnZeroHandles() {
  StopPolling();
  linux::CloseFd(fd());
}

}  // namespace zircon::kernel
