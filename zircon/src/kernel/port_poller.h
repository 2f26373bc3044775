// A port's epoll set: how Linux fd readiness reaches a port without a helper thread.
#ifndef ZIRCON_SRC_KERNEL_PORT_POLLER_H_
#define ZIRCON_SRC_KERNEL_PORT_POLLER_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "zircon/src/kernel/intrusive_list.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/ref_counted.h"

namespace zircon::kernel {

class PolledObject;
class Port;
class PortPoller;
struct PollSlot;
struct PollSlotRecordsTag {};
struct PolledObjectRecordsTag {};

// One object's registration in one port's epoll set: the link between a PolledObject (an fd
// or a child process) and a PortPoller. Created by PortPoller::Attach; the object keeps it in
// its list while it has waits on that port, and gives it back with PortPoller::Detach, after
// which the poller frees it once no epoll event can still point at it.
//
// Fields are guarded by two locks, as marked: the owner's object lock and the poller's lock.
struct PollRecord : ListNode<PollSlotRecordsTag>, ListNode<PolledObjectRecordsTag> {
  PollRecord(PolledObject* owner, const Port* port, RefPtr<PortPoller> poller)
      : port(port), poller(std::move(poller)), owner(owner) {}

  const Port* const port;           // identity only; compared, never dereferenced
  const RefPtr<PortPoller> poller;  // kept alive while the record exists
  PolledObject* owner;              // poller's lock; null once detached
  PollSlot* slot = nullptr;         // poller's lock
  uint32_t events = 0;              // poller's lock: epoll events the owner wants armed
};

// The epoll set behind one port, and the eventfd that wakes the thread blocked in it. Created
// by the port when an fd or process is first waited on through it, and shut down when the
// port's last handle closes. Thread-safe.
//
// Each fd appears in the set once per port (a *slot*), with EPOLLONESHOT: it reports once and
// stays disabled until an owner re-arms it for what its waiters still need, so Linux wakes no
// thread for an fd that nobody waits on. Several objects for one fd share its slot.
//
// Lock order: an object's lock, then the port's lock, then the poller's lock. Owners' hooks
// (PolledObject::OnPollEvents) run with no lock held.
class PortPoller final : public RefCounted {
 public:
  // Creates an epoll set with the eventfd in it.
  // Returns ZX_ERR_NO_RESOURCES if the process is out of fds, ZX_ERR_NO_MEMORY if out of memory.
  [[nodiscard]] static zx_status_t Create(RefPtr<PortPoller>* out);
  ~PortPoller();

  // ---- Used by PolledObject, with its object lock held ----

  // Registers `owner`'s `fd` for waits through `port`. Nothing is armed yet. Returns null if
  // out of memory.
  PollRecord* Attach(PolledObject* owner, const Port* port, int fd) __TA_EXCLUDES(lock_);

  // Asks for the epoll `events` of `record` (0: none). The fd's slot is re-armed with the union
  // of what its records want unless what is armed already covers it, so repeated waits for the
  // same readiness cost no system call until the fd reports.
  // Returns ZX_OK, also once the poller is shut down (the port can deliver nothing any more).
  // Returns ZX_ERR_NO_MEMORY or ZX_ERR_NO_RESOURCES (the epoll watch limit) on exhaustion.
  // Returns ZX_ERR_BAD_STATE if the fd is no longer open.
  [[nodiscard]] zx_status_t Arm(PollRecord* record, uint32_t events) __TA_EXCLUDES(lock_);

  // Unregisters `record`, taking it back: the fd leaves the epoll set before this returns if no
  // other record shares its slot, so the fd may then be closed. The record is freed now or at
  // the end of the poll round in progress.
  void Detach(PollRecord* record) __TA_EXCLUDES(lock_);

  // Whether Shutdown has run.
  bool closed() const { return closed_.load(std::memory_order_acquire); }

  // ---- Used by Port ----

  // Marks that a thread is about to block in Poll; called under the port's lock, so that a
  // producer holding that lock knows whether to Kick.
  void MarkWaiting() { waiting_.store(true, std::memory_order_release); }
  bool waiting() const { return waiting_.load(std::memory_order_acquire); }

  // Wakes the thread blocked in Poll, once the caller holds no kernel lock. Kicks coalesce:
  // while one is pending, more cost nothing.
  void KickWhenUnlocked();

  // One poll round: blocks in epoll_wait until an fd reports, a Kick, or the absolute
  // `deadline` (0: only checks), then hands each report to its objects' OnPollEvents. One
  // thread at a time (the port ensures it). Called with no lock held. Returns whether the
  // deadline passed with nothing to report.
  bool Poll(zx_time_t deadline) __TA_EXCLUDES(lock_);

  // The port's last handle is gone: closes the epoll set (at once, or when the round in
  // progress ends) and ignores later Arm and Poll calls. Called with no lock held.
  void Shutdown() __TA_EXCLUDES(lock_);

 private:
  PortPoller(int epoll_fd, int event_fd);
  // Hands one reported fd (or the eventfd) to the owners of its slot.
  void Deliver(uint32_t events, void* data) __TA_EXCLUDES(lock_);
  // Ends a round: frees what was retired during it, closes the set if shut down meanwhile.
  void EndRound() __TA_EXCLUDES(lock_);
  static void KickNow(void* poller);

  const int event_fd_;                // in the set with a null pointer; closed by the destructor
  Mutex lock_;                        // after objects' and ports' locks
  int epoll_fd_ __TA_GUARDED(lock_);  // -1 once closed
  // Slots by fd number. Each slot is the `data` of its fd's epoll registration.
  std::unordered_map<int, PollSlot*> slots_ __TA_GUARDED(lock_);
  // True from the start of epoll_wait until the reports are handed out: what a round may still
  // point at is retired here instead of freed, and freed by EndRound.
  bool round_active_ __TA_GUARDED(lock_) = false;
  std::vector<PollSlot*> retired_slots_ __TA_GUARDED(lock_);
  std::vector<PollRecord*> retired_records_ __TA_GUARDED(lock_);
  std::atomic<bool> closed_{false};  // release in Shutdown, acquire in closed()
  // Set under the port's lock before epoll_wait, cleared when it returns: pairs with the
  // producer's read under that same lock (a stale true only costs a spurious kick).
  std::atomic<bool> waiting_{false};
  // A kick was sent and not yet drained: set by the kicker, cleared by the poller after it
  // drained the eventfd (acq_rel exchange / release store).
  std::atomic<bool> kick_pending_{false};
  // The owners of one report, referenced under lock_ and called without it. Reused by the one
  // thread that polls (rounds are ordered by the port's lock), to hand out a report without
  // allocating.
  std::vector<RefPtr<PolledObject>> deliveries_;
};

// One fd's place in a port's epoll set, shared by every record for that fd. Guarded by its
// poller's lock.
struct PollSlot {
  explicit PollSlot(int fd) : fd(fd) {}
  const int fd;
  IntrusiveList<PollRecord, PollSlotRecordsTag> records;
  uint32_t armed = 0;    // events armed and not yet reported (oneshot)
  bool in_set = false;   // added to the epoll set
  bool retired = false;  // left the set during a round; freed when the round ends
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_PORT_POLLER_H_
