// Ports: the queue of packets that threads block on, and the observers that fill it.
#ifndef ZIRCON_SRC_KERNEL_PORT_H_
#define ZIRCON_SRC_KERNEL_PORT_H_

#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <atomic>
#include <cstdint>

#include "zircon/src/kernel/intrusive_list.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/observer.h"

namespace zircon::kernel {

class PortObserver;
class PortPoller;
struct PortQueueTag {};

struct PortPacket;

// The owner of packets queued with Port::QueueOwned (a guest bell trap's pool): it gets each
// packet back once it has left the queue.
class PortPacketOwner {
 public:
  // Takes back `packet`, which a waiter dequeued (its contents already copied out) or which was
  // removed unread. Called with no port lock held; may run on any thread.
  virtual void ReturnPacket(PortPacket* packet) = 0;

 protected:
  ~PortPacketOwner() = default;
};

// One packet in a port's queue. User packets come from the port's own pool; a signal packet is
// embedded in the PortObserver that queues it, so a wait never allocates when it fires; an owned
// packet belongs to a PortPacketOwner.
struct PortPacket : ListNode<PortQueueTag> {
  zx_port_packet_t packet = {};
  PortObserver* observer = nullptr;  // the owner of a signal packet; null for the others
  PortPacketOwner* owner = nullptr;  // the owner of an owned packet; null for the others
};

// A port. Thread-safe.
//
// Any thread may queue; each packet goes to exactly one waiter, in FIFO order. A waiter sleeps on
// a futex and a producer pays a futex wake only when it finds a thread asleep. Once an fd or a
// child process has been waited on through the port, it also has an epoll set (PortPoller), and
// one of its waiters at a time blocks in epoll_wait instead of on the futex.
class Port final : public Object {
 public:
  // zx_port_queue is refused once a port holds more than this many user packets, as in Zircon.
  // Signal packets do not count: each lives in its observer and is never refused (later Zircon;
  // the 2018 kernel counted them too and silently lost the wait).
  static constexpr size_t kMaxQueuedPackets = 2048;

  static RefPtr<Port> Create();
  ~Port() final;

  bool is_waitable() const final { return false; }

  // zx_port_queue: queues a copy of `packet` as a ZX_PKT_TYPE_USER packet.
  // Returns ZX_ERR_SHOULD_WAIT if the port already holds more than kMaxQueuedPackets user packets.
  // Returns ZX_ERR_NO_MEMORY if no packet could be allocated.
  zx_status_t QueueUser(const zx_port_packet_t& packet) __TA_EXCLUDES(lock());

  // Queues a copy of `packet`, keeping its type: an exception packet for an exception port. Not
  // refused when the port is full (the faulting thread waits for the answer, so it is bounded
  // by the number of threads).
  // Returns ZX_ERR_BAD_HANDLE if the port has no handles left.
  // Returns ZX_ERR_NO_MEMORY if no packet could be allocated.
  zx_status_t QueueException(const zx_port_packet_t& packet) __TA_EXCLUDES(lock());

  // Sets the function every port calls, without locks held, once its last handle has closed
  // and its queue is emptied (exception ports unbind it). Null clears it. Thread-safe.
  static void SetZeroHandlesHook(void (*hook)(Port* port));

  // Queues `observer`'s signal packet reporting `observed`, or, if that packet is still queued,
  // ORs `observed` into it. Called by the observer with its object's lock held.
  // Returns ZX_ERR_BAD_STATE if the port has no handles left.
  zx_status_t QueueSignal(PortObserver* observer, zx_signals_t observed, uint64_t count)
      __TA_EXCLUDES(lock());

  // Queues `packet`, whose `owner` is set and which is in no queue, as it is. The owner gets it
  // back through ReturnPacket once a waiter took it or it was removed.
  // Returns ZX_ERR_BAD_STATE if the port has no handles left (the packet is not queued).
  zx_status_t QueueOwned(PortPacket* packet) __TA_EXCLUDES(lock());

  // Removes the queued packets of `owner` and hands them back to it.
  void CancelOwned(const PortPacketOwner* owner) __TA_EXCLUDES(lock());

  // zx_port_wait: takes the oldest packet, sleeping until the absolute `deadline` if there is
  // none. Returns ZX_ERR_TIMED_OUT at the deadline.
  zx_status_t Wait(zx_time_t deadline, zx_port_packet_t* out) __TA_EXCLUDES(lock());

  // Removes the queued signal packets of observers made through `handle` with `key`.
  // Returns whether any was removed.
  bool CancelQueued(zx_handle_t handle, uint64_t key) __TA_EXCLUDES(lock());

  // The port's epoll set, created on first use (by an fd or process wait through the port).
  // Stores null with ZX_OK once the port's last handle has closed: nothing can be delivered.
  // Returns ZX_ERR_NO_RESOURCES or ZX_ERR_NO_MEMORY if the set could not be created.
  [[nodiscard]] zx_status_t GetOrCreatePoller(RefPtr<PortPoller>* out) __TA_EXCLUDES(lock());

  // zx_linux_port_set_idle_spin: how long a waiter that finds the queue empty watches it
  // before it sleeps. 0 (the default) sleeps at once.
  void SetIdleSpin(zx_duration_t spin);

  // How many packets are queued, published after every change for lock-free readers (see
  // zx_linux_port_get_queue_length). A hint: it may change at any moment.
  const std::atomic<uint32_t>& queue_length() const { return queue_length_; }

 private:
  using PacketQueue = IntrusiveList<PortPacket, PortQueueTag>;

  Port();
  void OnZeroHandles() final;
  // Appends `packet` and wakes a sleeping waiter, if there is one, once unlocked; otherwise
  // kicks the thread blocked in epoll_wait, if there is one.
  void EnqueueLocked(PortPacket* packet) __TA_REQUIRES(lock());
  // Stores queue_.size() in queue_length_; called after every change to the queue.
  void PublishQueueLengthLocked() __TA_REQUIRES(lock());
  // Wakes one futex sleeper not already being woken, once unlocked. Returns whether it did.
  bool WakeOneSleeperLocked() __TA_REQUIRES(lock());
  // With an epoll set: wakes sleepers until one is on its way per queued packet, plus one to
  // take over epoll_wait if nobody is in it.
  void WakeHelpersLocked() __TA_REQUIRES(lock());
  // Becomes the thread that polls: drops the lock, runs one poll round until `deadline`, and
  // re-takes the lock. Returns whether the deadline passed with nothing reported.
  bool PollLocked(zx_time_t deadline) __TA_REQUIRES(lock());
  // The idle spin of a waiter: until `spin_end`, or until the queue (or, with an epoll set
  // nobody polls, the fds) has something. Drops the lock while it watches the queue.
  void SpinLocked(zx_time_t spin_end) __TA_REQUIRES(lock());
  // Queues a copy of `packet` of type `type` from the user-packet pool; `limit` refuses it past
  // kMaxQueuedPackets.
  zx_status_t QueuePooled(const zx_port_packet_t& packet, uint32_t type, bool limit)
      __TA_EXCLUDES(lock());
  // Returns a packet's storage after it left the queue.
  void RecycleLocked(PortPacket* packet) __TA_REQUIRES(lock());
  // Hands a dequeued signal or owned packet back to its observer or owner. No lock held.
  static void ReleaseNonUserPacket(PortPacket* packet);

  PacketQueue queue_ __TA_GUARDED(lock());
  std::atomic<uint32_t> queue_length_{0};    // queue_.size(), for lock-free readers
  std::atomic<zx_duration_t> idle_spin_{0};  // see SetIdleSpin
  PacketQueue free_user_packets_ __TA_GUARDED(lock());
  size_t queued_user_packets_ __TA_GUARDED(lock()) = 0;
  bool zero_handles_ __TA_GUARDED(lock()) = false;
  uint32_t sleepers_ __TA_GUARDED(lock()) = 0;         // threads between sleep and re-lock
  uint32_t pending_wakeups_ __TA_GUARDED(lock()) = 0;  // wakes issued to them, not yet seen
  // The futex sleepers block on; bumped under the lock on every wake. Atomic because the
  // kernel reads it without our lock.
  std::atomic<uint32_t> wake_sequence_{0};
  // The epoll set, once an fd or process has been waited on through the port; null again
  // after the last handle closes.
  RefPtr<PortPoller> poller_ __TA_GUARDED(lock());
  bool polling_ __TA_GUARDED(lock()) = false;  // a thread is in (or about to enter) a poll round
};

// The observer behind zx_object_wait_async: queues a signal packet on its port when any of its
// trigger signals is asserted.
//
// Lifetime: reference counted by its two owners, the observed object (while registered) and the
// port (while its packet is queued). Thread-safe.
class PortObserver final : public Observer {
 public:
  // Creates an observer for `port` with `key`; `options` is ZX_WAIT_ASYNC_ONCE or _REPEATING.
  // Returns null if out of memory.
  static PortObserver* Create(zx_handle_t handle, zx_signals_t trigger, uint32_t options,
                              RefPtr<Port> port, uint64_t key);

  ObserverAction OnInitialize(zx_signals_t signals, uint64_t count) final;
  ObserverAction OnStateChange(zx_signals_t signals) final;
  ObserverAction OnCancel(zx_handle_t handle) final;
  ObserverAction OnCancelByKey(zx_handle_t handle, const Port* port, uint64_t key) final;
  void OnRemoved() final { Release(); }
  Port* port() const final { return port_.get(); }

  uint64_t key() const { return key_; }

  // Observers come from a per-thread cache: a loop begins a wait (and frees the observer of the
  // last one) on every round trip, and the cache keeps that free of allocator calls.
  static void* operator new(size_t size, const std::nothrow_t&) noexcept;
  static void operator delete(void* block) noexcept;

 private:
  friend class Port;
  PortObserver(zx_handle_t handle, zx_signals_t trigger, uint32_t options, RefPtr<Port> port,
               uint64_t key);
  ~PortObserver() final = default;

  ObserverAction MaybeQueue(zx_signals_t signals, uint64_t count);
  void AddRef() { ref_count_.fetch_add(1, std::memory_order_relaxed); }
  void Release();

  const uint32_t options_;
  const RefPtr<Port> port_;
  const uint64_t key_;
  std::atomic<int32_t> ref_count_{1};  // the object's registration
  // Owned by the port while queued; guarded by the port's lock.
  PortPacket packet_;
};

template <>
struct ObjectTypeOf<Port> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_PORT;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_PORT_H_
