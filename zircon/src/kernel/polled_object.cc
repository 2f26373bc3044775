// Objects backed by a pollable fd.
//
// Waits through ports: when an observer that needs readiness bits the cache lacks registers,
// the object finds (or makes) its record in that port's PortPoller and arms it for the union of
// what the observers on that port lack. When the fd reports, the port's polling thread calls
// OnPollEvents with no lock held; the object updates its signal word under its own lock (so
// observers queue packets as for any signal), consumes the level bits it handed out, and re-arms
// every record for what is still missing. Blocking waits poll(2) the fd themselves and report
// through ApplyPollResult, which follows the same rules.
//
// Why a report that includes a hang-up or an error re-arms nothing: Linux reports EPOLLHUP and
// EPOLLERR whatever was asked, so re-arming a waiter for, say, readability of a pipe whose
// writers are gone would report the hang-up again at once, forever. After such a report a
// record is re-armed only when a new wait registers, and that costs one report.
#include "zircon/src/kernel/polled_object.h"

#include <zircon/assert.h>

#include "zircon/src/kernel/port.h"
#include "zircon/src/linux/epoll.h"

namespace zircon::kernel {

PolledObject::PolledObject(zx_obj_type_t type, int fd) : Object(type, ZX_SIGNAL_NONE), fd_(fd) {}

PolledObject::~PolledObject() {
  // OnZeroHandles ran StopPolling: an object gets records only through its handles.
  MutexLock lock(this->lock());
  ZX_DEBUG_ASSERT(records_.empty());
}

uint32_t PolledObject::PollEventsFor(zx_signals_t trigger) const {
  const zx_signals_t wanted = trigger & readiness_signals();
  return wanted == 0 ? 0u : EventsForSignals(wanted);
}

void PolledObject::ApplyPollResult(uint32_t asked, uint32_t reported) {
  MutexLock lock(this->lock());
  if (!stopped_) {
    ApplyLocked(asked, reported);
  }
}

void PolledObject::OnPollEvents(uint32_t asked, uint32_t reported) {
  MutexLock lock(this->lock());
  if (!stopped_) {
    ApplyLocked(asked, reported);
  }
}

void PolledObject::StopPolling() {
  IntrusiveList<PollRecord, PolledObjectRecordsTag> records;
  {
    MutexLock lock(this->lock());
    stopped_ = true;
    while (PollRecord* record = records_.pop_front()) {
      records.push_back(record);
    }
  }
  // Without our lock: a report in flight takes it, and finds `stopped_`.
  while (PollRecord* record = records.pop_front()) {
    PortPoller* poller = record->poller.get();
    poller->Detach(record);  // may free `record`
  }
}

zx_status_t PolledObject::OnObserverAddedLocked(Observer* observer, bool registered) {
  if (stopped_) {
    return ZX_OK;
  }
  // The observer was handed what it waited for, if the cache had it: consume it.
  const zx_signals_t delivered = signals_locked() & observer->trigger() & consumable_signals();
  if (delivered != 0) {
    UpdateStateLocked(delivered, 0);
  }
  zx_status_t status = ZX_OK;
  Port* port = observer->port();
  if (registered && port != nullptr && (observer->trigger() & readiness_signals()) != 0) {
    PollRecord* record = nullptr;
    status = RecordForLocked(port, &record);
    if (status == ZX_OK && record != nullptr) {
      status = ArmLocked(record);
    }
  }
  if (delivered != 0) {
    RearmAllLocked();
  }
  return status;
}

void PolledObject::ApplyLocked(uint32_t asked, uint32_t reported) {
  const zx_signals_t wanted = ObservedTriggersLocked(nullptr);
  ApplyReadinessLocked(asked, reported);
  ConsumeLocked(signals_locked() & wanted);
  if ((reported & (linux::kPollHangUp | linux::kPollError | linux::kPollInvalid)) != 0) {
    return;
  }
  RearmAllLocked();
}

void PolledObject::ConsumeLocked(zx_signals_t delivered) {
  delivered &= consumable_signals();
  if (delivered != 0) {
    UpdateStateLocked(delivered, 0);
  }
}

void PolledObject::ForgetClosedPortsLocked() {
  records_.EraseIf([](PollRecord* record) { return record->poller->closed(); },
                   [](PollRecord* record) {
                     PortPoller* poller = record->poller.get();
                     poller->Detach(record);  // may free `record`
                   });
}

zx_status_t PolledObject::RecordForLocked(Port* port, PollRecord** out) {
  ForgetClosedPortsLocked();
  PollRecord* found = nullptr;
  records_.ForEach([&](PollRecord* record) {
    if (found == nullptr && record->port == port) {
      found = record;
    }
  });
  if (found != nullptr) {
    *out = found;
    return ZX_OK;
  }
  RefPtr<PortPoller> poller;
  zx_status_t status = port->GetOrCreatePoller(&poller);
  if (status != ZX_OK) {
    return status;
  }
  if (!poller) {
    *out = nullptr;  // the port is closed: nothing it could deliver needs arming
    return ZX_OK;
  }
  PollRecord* record = poller->Attach(this, port, fd_);
  if (record == nullptr) {
    return ZX_ERR_NO_MEMORY;
  }
  records_.push_back(record);
  *out = record;
  return ZX_OK;
}

zx_status_t PolledObject::ArmLocked(PollRecord* record) {
  const zx_signals_t wanted = ObservedTriggersLocked(record->port) & readiness_signals();
  const zx_signals_t missing = wanted & ~signals_locked();
  return record->poller->Arm(record, missing == 0 ? 0u : EventsForSignals(missing));
}

void PolledObject::RearmAllLocked() {
  ForgetClosedPortsLocked();
  bool failed = false;
  records_.ForEach([&](PollRecord* record) {
    lock()->AssertHeld();  // held by our caller, around this call
    failed |= ArmLocked(record) != ZX_OK;
  });
  if (failed) {
    OnArmFailedLocked();
  }
}

}  // namespace zircon::kernel
