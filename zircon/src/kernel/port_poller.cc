// A port's epoll set.
//
// Lifetime of what epoll points at: an epoll event carries a raw PollSlot pointer, and the
// thread that polls reads it only after epoll_wait returns, when the slot may have left the set
// (its last record detached). So a slot, and each record, is freed only when no round can still
// hold a pointer to it: Detach removes the fd from the set first (EPOLL_CTL_DEL also drops a
// report Linux has queued but not yet returned), then frees at once if no round is active, or
// marks it retired and leaves it to EndRound. Rounds do not overlap: one thread polls a port at
// a time. A record's owner pointer is read under the poller's lock and cleared by Detach under
// the same lock, before the owner can be destroyed (owners detach in OnZeroHandles, while a
// reference is still held), so the reference a report takes to its owner is always to a live
// object.
//
// Arming: each slot is registered with EPOLLONESHOT for the union of its records' events. A
// report disarms it (Linux does, and Deliver clears `armed` and every record's `events`), and
// each owner re-arms for what its waiters still lack. `armed` may say "armed" while Linux has
// already fired the one shot, but then that report is on its way to Deliver, which re-arms: no
// interest is ever lost, and no re-arm is made for interest already armed.
//
// Kicks: a producer that queues a packet while the polling thread is (or is about to be) in
// epoll_wait writes the eventfd once, after it dropped its locks. `kick_pending_` coalesces:
// a producer that finds it set relies on the write already made, which keeps the eventfd
// readable until the poller drains it and only then clears the flag.
#include "zircon/src/kernel/port_poller.h"

#include <zircon/assert.h>

#include <new>
#include <utility>

#include "zircon/src/kernel/polled_object.h"
#include "zircon/src/linux/epoll.h"
#include "zircon/src/linux/eventfd.h"

namespace zircon::kernel {
namespace {

// Reports fetched per epoll_wait.
constexpr size_t kMaxReportsPerRound = 64;

}  // namespace

zx_status_t PortPoller::Create(RefPtr<PortPoller>* out) {
  int epoll_fd = -1;
  zx_status_t status = linux::EpollCreate(&epoll_fd);
  if (status != ZX_OK) {
    return status;
  }
  int event_fd = -1;
  status = linux::EventFdCreate(&event_fd);
  if (status != ZX_OK) {
    linux::CloseFd(epoll_fd);
    return status;
  }
  // Level-triggered: a kick stays visible until drained, even to a later epoll_wait.
  status = linux::EpollControl(epoll_fd, linux::EpollOp::kAdd, event_fd, linux::kPollIn, nullptr);
  PortPoller* poller =
      status == ZX_OK ? new (std::nothrow) PortPoller(epoll_fd, event_fd) : nullptr;
  if (poller == nullptr) {
    linux::CloseFd(event_fd);
    linux::CloseFd(epoll_fd);
    return status == ZX_OK ? ZX_ERR_NO_MEMORY : status;
  }
  *out = AdoptRef(poller);
  return ZX_OK;
}

PortPoller::PortPoller(int epoll_fd, int event_fd) : event_fd_(event_fd), epoll_fd_(epoll_fd) {}

PortPoller::~PortPoller() {
  // Records keep their poller alive, so every record, and with them every slot, is gone.
  MutexLock lock(&lock_);
  ZX_DEBUG_ASSERT(slots_.empty());
  ZX_DEBUG_ASSERT(retired_slots_.empty() && retired_records_.empty());
  if (epoll_fd_ >= 0) {
    linux::CloseFd(epoll_fd_);
  }
  linux::CloseFd(event_fd_);
}

PollRecord* PortPoller::Attach(PolledObject* owner, const Port* port, int fd) {
  auto* record = new (std::nothrow) PollRecord(owner, port, RefPtr<PortPoller>(this));
  auto* spare_slot = new (std::nothrow) PollSlot(fd);  // allocated outside the lock
  if (record == nullptr || spare_slot == nullptr) {
    delete spare_slot;
    delete record;  // never the last reference: the caller holds one
    return nullptr;
  }
  {
    MutexLock lock(&lock_);
    PollSlot*& slot = slots_[fd];
    if (slot == nullptr) {
      slot = std::exchange(spare_slot, nullptr);
    }
    slot->records.push_back(record);
    record->slot = slot;
  }
  delete spare_slot;
  return record;
}

zx_status_t PortPoller::Arm(PollRecord* record, uint32_t events) {
  MutexLock lock(&lock_);
  record->events = events;
  if (closed()) {
    return ZX_OK;
  }
  PollSlot* slot = record->slot;
  uint32_t wanted = 0;
  slot->records.ForEach([&wanted](const PollRecord* each) { wanted |= each->events; });
  if (wanted == 0 || (slot->armed & wanted) == wanted) {
    return ZX_OK;
  }
  linux::EpollOp op = slot->in_set ? linux::EpollOp::kModify : linux::EpollOp::kAdd;
  zx_status_t status =
      linux::EpollControl(epoll_fd_, op, slot->fd, wanted | linux::kEpollOneShot, slot);
  if (status == ZX_ERR_NOT_FOUND && op == linux::EpollOp::kModify) {
    // The fd was closed, which took it out of the set, and its number reused: a borrowed fd
    // closed while its handle lived. Register what the number names now.
    status = linux::EpollControl(epoll_fd_, linux::EpollOp::kAdd, slot->fd,
                                 wanted | linux::kEpollOneShot, slot);
  }
  switch (status) {
    case ZX_OK:
      slot->in_set = true;
      slot->armed = wanted;
      return ZX_OK;
    case ZX_ERR_NO_MEMORY:
    case ZX_ERR_NO_RESOURCES:
      return status;
    default:
      return ZX_ERR_BAD_STATE;  // the fd is no longer open (or no longer pollable)
  }
}

void PortPoller::Detach(PollRecord* record) {
  PollSlot* free_slot = nullptr;
  PollRecord* free_record = nullptr;
  {
    MutexLock lock(&lock_);
    PollSlot* slot = record->slot;
    slot->records.erase(record);
    record->owner = nullptr;
    if (slot->records.empty()) {
      if (slot->in_set && epoll_fd_ >= 0) {
        // Before the owner may close the fd. NOT_FOUND: the fd was closed already.
        (void)linux::EpollControl(epoll_fd_, linux::EpollOp::kDelete, slot->fd, 0, nullptr);
      }
      slots_.erase(slot->fd);
      if (round_active_) {
        slot->retired = true;
        retired_slots_.push_back(slot);
      } else {
        free_slot = slot;
      }
    }
    if (round_active_) {
      retired_records_.push_back(record);
    } else {
      free_record = record;
    }
  }
  delete free_slot;
  // Last: the record may hold the last reference to `this`.
  delete free_record;
}

void PortPoller::KickWhenUnlocked() {
  if (kick_pending_.exchange(true, std::memory_order_acq_rel)) {
    return;
  }
  AddRef();  // dropped by KickNow
  RunWhenUnlocked(&PortPoller::KickNow, this);
}

void PortPoller::KickNow(void* raw_poller) {
  auto* poller = static_cast<PortPoller*>(raw_poller);
  // The eventfd is closed only by the destructor, which our reference holds off.
  linux::EventFdSignal(poller->event_fd_);
  if (poller->ReleaseRef()) {
    delete poller;
  }
}

bool PortPoller::Poll(zx_time_t deadline) {
  int epoll_fd;
  {
    MutexLock lock(&lock_);
    if (epoll_fd_ < 0) {
      // Shut down: the port has dropped this poller and falls back to its futex.
      waiting_.store(false, std::memory_order_release);
      return false;
    }
    round_active_ = true;
    epoll_fd = epoll_fd_;  // stays open until EndRound, even if Shutdown runs meanwhile
  }
  linux::EpollEvent reports[kMaxReportsPerRound];
  size_t count = 0;
  const zx_status_t status =
      linux::EpollWait(epoll_fd, reports, kMaxReportsPerRound, deadline, &count);
  waiting_.store(false, std::memory_order_release);
  ZX_ASSERT_MSG(status == ZX_OK || status == ZX_ERR_TIMED_OUT, "epoll_wait failed: status=%d",
                status);
  for (size_t i = 0; i < count; ++i) {
    Deliver(reports[i].events, reports[i].data);
  }
  EndRound();
  return status == ZX_ERR_TIMED_OUT;
}

void PortPoller::Deliver(uint32_t events, void* data) {
  if (data == nullptr) {
    linux::EventFdDrain(event_fd_);
    // release: pairs with the kicker's exchange; a kick after this point writes again.
    kick_pending_.store(false, std::memory_order_release);
    return;
  }
  auto* slot = static_cast<PollSlot*>(data);
  uint32_t asked;
  {
    MutexLock lock(&lock_);
    if (slot->retired) {
      return;
    }
    asked = slot->armed;
    slot->armed = 0;  // the one shot has fired
    slot->records.ForEach([this](PollRecord* record) {
      record->events = 0;
      if (record->owner != nullptr) {
        deliveries_.emplace_back(record->owner);
      }
    });
  }
  for (const RefPtr<PolledObject>& owner : deliveries_) {
    owner->OnPollEvents(asked, events);
  }
  deliveries_.clear();
}

void PortPoller::EndRound() {
  std::vector<PollSlot*> slots;
  std::vector<PollRecord*> records;
  int close_fd = -1;
  {
    MutexLock lock(&lock_);
    round_active_ = false;
    slots.swap(retired_slots_);
    records.swap(retired_records_);
    if (closed() && epoll_fd_ >= 0) {
      close_fd = std::exchange(epoll_fd_, -1);
    }
  }
  for (PollSlot* slot : slots) {
    delete slot;
  }
  // The caller (the port's Wait) holds a reference to `this`, so these never free it.
  for (PollRecord* record : records) {
    delete record;
  }
  if (close_fd >= 0) {
    linux::CloseFd(close_fd);
  }
}

void PortPoller::Shutdown() {
  int close_fd = -1;
  {
    MutexLock lock(&lock_);
    closed_.store(true, std::memory_order_release);
    if (!round_active_ && epoll_fd_ >= 0) {
      close_fd = std::exchange(epoll_fd_, -1);
    }
  }
  if (close_fd >= 0) {
    linux::CloseFd(close_fd);
  } else if (waiting()) {
    linux::EventFdSignal(event_fd_);  // let the thread in epoll_wait close the set promptly
  }
}

}  // namespace zircon::kernel
