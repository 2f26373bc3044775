#include "zircon/src/kernel/fd_object.h"

#include <new>

#include "zircon/src/linux/epoll.h"

namespace zircon::kernel {
namespace {

// Readiness bits that follow the fd up and down; hang-up and error stay once seen.
constexpr zx_signals_t kLevelSignals =
    ZX_LINUX_FD_READABLE | ZX_LINUX_FD_WRITABLE | ZX_LINUX_FD_PRIORITY;
constexpr zx_signals_t kReadinessSignals =
    kLevelSignals | ZX_LINUX_FD_PEER_CLOSED | ZX_LINUX_FD_ERROR;

static_assert(ZX_LINUX_FD_EPOLLIN == linux::kPollIn && ZX_LINUX_FD_EPOLLOUT == linux::kPollOut &&
              ZX_LINUX_FD_EPOLLPRI == linux::kPollPriority &&
              ZX_LINUX_FD_EPOLLERR == linux::kPollError &&
              ZX_LINUX_FD_EPOLLHUP == linux::kPollHangUp &&
              ZX_LINUX_FD_EPOLLRDHUP == linux::kPollReadHangUp &&
              ZX_LINUX_FD_POLLNVAL == linux::kPollInvalid);

}  // namespace

zx_status_t FdObject::Create(int fd, RefPtr<FdObject>* out) {
  const zx_status_t status = linux::ProbeFd(fd);
  if (status != ZX_OK) {
    return status;
  }
  FdObject* object = new (std::nothrow) FdObject(fd);
  if (object == nullptr) {
    return ZX_ERR_NO_MEMORY;
  }
  *out = AdoptRef(object);
  return ZX_OK;
}

zx_signals_t FdObject::readiness_signals() const { return kReadinessSignals; }

zx_signals_t FdObject::consumable_signals() const { return kLevelSignals; }

uint32_t FdObject::EventsForSignals(zx_signals_t signals) const {
  // Hang-up and error are reported whatever is asked; ERROR alone needs no other event.
  return zx_linux_fd_events_from_signals(signals);
}

void FdObject::ApplyReadinessLocked(uint32_t asked, uint32_t reported) {
  const zx_signals_t ready = zx_linux_fd_signals_from_events(reported) & kReadinessSignals;
  // Level bits that were asked about and not reported are not ready now.
  const zx_signals_t not_ready = zx_linux_fd_signals_from_events(asked) & kLevelSignals & ~ready;
  UpdateStateLocked(not_ready, ready);
}

void FdObject::OnArmFailedLocked() {
  // The fd was closed while its handle lived: no more reports can come. Say so.
  UpdateStateLocked(0, ZX_LINUX_FD_ERROR);
}

void FdObject::OnZeroHandles() {
  StopPolling();  // out of every epoll set first: the fd may be closed only after
  if (adopted_.load(std::memory_order_acquire)) {
    linux::CloseFd(fd());
  }
}

}  // namespace zircon::kernel
