// Objects whose signals mirror a Linux fd's readiness: the common part of fd handles and child
// process handles.
#ifndef ZIRCON_SRC_KERNEL_POLLED_OBJECT_H_
#define ZIRCON_SRC_KERNEL_POLLED_OBJECT_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

#include <cstdint>

#include "zircon/src/kernel/intrusive_list.h"
#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/port_poller.h"

namespace zircon::kernel {

// An object backed by a pollable Linux fd. Its signal word caches the fd's last known
// readiness, so a wait that the cache satisfies completes with no system call; otherwise the
// wait's port arms the fd in its epoll set (PortPoller) for what its waiters lack, and the
// report updates the cache. Thread-safe.
//
// The cache is a hint that errs towards asking Linux again: readiness bits that a waiter was
// handed (a packet was queued, or a blocking wait ended, because of them) are cleared again,
// since the waiter is expected to act on them (read until EAGAIN, ...), so the next wait asks
// Linux. Bits that nobody was waiting for stay cached; if the fd stopped being ready meanwhile,
// the next wait for them completes once spuriously and clears them. Subclasses say which bits
// are such level bits and which stay set for good (hang-up, error, exit).
class PolledObject : public Object {
 public:
  ~PolledObject() override;

  PolledObject* AsPolledObject() final { return this; }

  int fd() const { return fd_; }

  // For blocking waits, which poll(2) the fd themselves: the poll events that can satisfy
  // `trigger` (0 if none, e.g. only user signals).
  uint32_t PollEventsFor(zx_signals_t trigger) const;

  // Records a readiness report from poll(2): `asked` the events asked for, `reported` those
  // Linux reported. Observers are told as for any change. No-op once the last handle is gone.
  void ApplyPollResult(uint32_t asked, uint32_t reported) __TA_EXCLUDES(lock());

  // Called by a PortPoller, with no lock held, when the fd reported `reported` after being
  // armed for `asked` in its set: records the readiness, and re-arms every port's record for
  // what its waiters still lack (a report may change that for other ports too).
  void OnPollEvents(uint32_t asked, uint32_t reported) __TA_EXCLUDES(lock());

 protected:
  PolledObject(zx_obj_type_t type, int fd);

  // The signals that mirror the fd's readiness.
  virtual zx_signals_t readiness_signals() const = 0;
  // Of those, the level bits that a delivery consumes (see the class comment).
  virtual zx_signals_t consumable_signals() const = 0;
  // The epoll/poll events to ask for so as to learn about `signals` (readiness signals only).
  virtual uint32_t EventsForSignals(zx_signals_t signals) const = 0;
  // Updates the signal word from a report: `reported` of the `asked` events are ready.
  virtual void ApplyReadinessLocked(uint32_t asked, uint32_t reported) __TA_REQUIRES(lock()) = 0;

  // Called when re-arming after a report failed (the fd was closed under its handle, or Linux
  // is out of memory), so the waiters would never hear from the fd: a subclass may assert an
  // error signal.
  virtual void OnArmFailedLocked() __TA_REQUIRES(lock()) {}

  // Takes the fd out of every port's epoll set and ignores later reports. Subclasses call it
  // from OnZeroHandles, before they close the fd.
  void StopPolling() __TA_EXCLUDES(lock());

 private:
  zx_status_t OnObserverAddedLocked(Observer* observer, bool registered) final
      __TA_REQUIRES(lock());
  // Records a report and consumes what waiters were handed; re-arms unless Linux reported a
  // hang-up or error, which every later arming would report again at once.
  void ApplyLocked(uint32_t asked, uint32_t reported) __TA_REQUIRES(lock());
  // Clears the level bits of `delivered`, and re-arms the ports whose waiters want them.
  void ConsumeLocked(zx_signals_t delivered) __TA_REQUIRES(lock());
  // Lets go of the records of ports whose last handle has closed. Such a port may be gone, and
  // its address reused by a new port, so a record must be forgotten before it could match.
  void ForgetClosedPortsLocked() __TA_REQUIRES(lock());
  // The record for waits through `port`, made on first use; null (with ZX_OK) if the port is
  // closed and can deliver nothing.
  zx_status_t RecordForLocked(Port* port, PollRecord** out) __TA_REQUIRES(lock());
  // Arms `record` for what the waits through its port lack.
  zx_status_t ArmLocked(PollRecord* record) __TA_REQUIRES(lock());
  // Re-arms every record, and lets go of those whose port has closed.
  void RearmAllLocked() __TA_REQUIRES(lock());

  const int fd_;
  bool stopped_ __TA_GUARDED(lock()) = false;
  IntrusiveList<PollRecord, PolledObjectRecordsTag> records_ __TA_GUARDED(lock());
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_POLLED_OBJECT_H_
