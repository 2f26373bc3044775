// Ports.
//
// Waking: a waiter that finds the queue empty counts itself in `sleepers_`, samples
// `wake_sequence_` and sleeps on it outside the lock. A producer that queues a packet while
// `sleepers_ > pending_wakeups_` bumps the sequence and wakes one thread once it holds no kernel
// lock (a signal packet is queued under the signalled object's lock); a thread
// that re-locks consumes one pending wake-up. So pending_wakeups_ <= sleepers_ always, a producer
// never pays a system call when nobody sleeps, and a queued packet is never left behind while a
// thread sleeps unwoken: a wake issued to a thread that already left the futex (timed out) is
// covered by that thread, which re-checks the queue before returning.
//
// Fds (PortPoller): once something pollable has been waited on through the port, a waiter that
// finds the queue empty and nobody polling becomes the *poller*: it drops the lock and blocks in
// epoll_wait, and turns what Linux reports into signal changes (and so packets) with no port
// lock held. Other waiters sleep on the futex as before. A producer wakes a futex sleeper if
// there is one, else kicks the poller's eventfd (once, coalesced). Packets the poller itself
// produces while handing out a report wake nobody: it re-takes the lock and takes one, then
// WakeHelpersLocked wakes a sleeper per remaining packet and one to poll in its place. So a
// report wakes one thread, the set always has a poller while anyone waits, and a port with no
// fds never touches epoll.
//
// A waiter being killed (KillPending) takes no packet: it leaves at the top of its loop, its Linux
// sleeps being interrupted, and wakes helpers for what is queued, since the wake-up it consumed may
// have been meant for a packet.
#include "zircon/src/kernel/port.h"

#include <zircon/assert.h>
#include <zircon/time.h>

#include <algorithm>
#include <new>

#include "zircon/src/kernel/port_poller.h"
#include "zircon/src/kernel/thread_block_cache.h"
#include "zircon/src/linux/clock.h"
#include "zircon/src/linux/cpu.h"
#include "zircon/src/linux/futex.h"

namespace zircon::kernel {
namespace {

// Freed user packets kept for reuse, so a steady queue/wait cycle does not touch the heap.
constexpr size_t kMaxRecycledUserPackets = 256;

// The port whose reports this thread is handing out, if any: its packets need no wake-up.
thread_local const Port* t_polled_port = nullptr;

// Called when a port's last handle closes; set by the exception-port code.
std::atomic<void (*)(Port*)> g_zero_handles_hook{nullptr};

}  // namespace

RefPtr<Port> Port::Create() {
  Port* port = new (std::nothrow) Port();
  return port == nullptr ? nullptr : AdoptRef(port);
}

Port::Port() : Object(ZX_OBJ_TYPE_PORT, ZX_SIGNAL_NONE) {}

Port::~Port() {
  // OnZeroHandles emptied the queue, and nothing can queue after it.
  MutexLock lock(this->lock());
  ZX_DEBUG_ASSERT(queue_.empty());
  while (PortPacket* packet = free_user_packets_.pop_front()) {
    delete packet;
  }
}

void Port::PublishQueueLengthLocked() {
  queue_length_.store(static_cast<uint32_t>(queue_.size()), std::memory_order_relaxed);
}

void Port::EnqueueLocked(PortPacket* packet) {
  queue_.push_back(packet);
  PublishQueueLengthLocked();
  if (t_polled_port == this) {
    return;  // the poller takes it when it re-locks, and wakes helpers for the rest
  }
  if (WakeOneSleeperLocked()) {
    return;
  }
  if (poller_ && poller_->waiting()) {
    poller_->KickWhenUnlocked();
  }
}

bool Port::WakeOneSleeperLocked() {
  if (sleepers_ <= pending_wakeups_) {
    return false;
  }
  ++pending_wakeups_;
  // release: pairs with the sleeper's futex read; the packet itself is published by the lock.
  wake_sequence_.fetch_add(1, std::memory_order_release);
  WakeWhenUnlocked(&wake_sequence_);
  return true;
}

void Port::WakeHelpersLocked() {
  const size_t wanted = queue_.size() + (polling_ ? 0u : 1u);
  while (pending_wakeups_ < wanted && WakeOneSleeperLocked()) {
  }
}

zx_status_t Port::GetOrCreatePoller(RefPtr<PortPoller>* out) {
  {
    MutexLock lock(this->lock());
    if (zero_handles_ || poller_) {
      *out = poller_;
      return ZX_OK;
    }
  }
  RefPtr<PortPoller> created;  // destroyed after the lock, if another thread won
  zx_status_t status = PortPoller::Create(&created);
  if (status != ZX_OK) {
    return status;
  }
  MutexLock lock(this->lock());
  if (!zero_handles_ && !poller_) {
    poller_ = std::move(created);
    WakeOneSleeperLocked();  // a thread asleep on the futex must now poll instead
  }
  *out = poller_;
  return ZX_OK;
}

void Port::SpinLocked(zx_time_t spin_end) {
  if (poller_ && !polling_) {
    // Nobody polls the fds: poll them without blocking until something is reported.
    while (queue_.empty() && poller_ && !polling_ && !KillPending() &&
           linux::MonotonicNow() < spin_end) {
      if (!PollLocked(0)) {
        break;  // the poll reported readiness
      }
      linux::YieldCpu();  // the fd's writer may be waiting for this CPU
    }
    return;
  }
  // Watch the queue length without the lock; producers find no sleeper and skip the wake-up.
  this->lock()->Release();
  for (uint32_t round = 1; queue_length_.load(std::memory_order_relaxed) == 0; ++round) {
    if (round % 64 == 0) {
      if (KillPending() || linux::MonotonicNow() >= spin_end) {
        break;  // (a killed thread leaves at the top of the wait loop)
      }
      // The producer may be waiting for this very CPU: spinning on without a break would only
      // delay it (two threads pinned to one CPU). A yield costs a system call, so not too often.
      if (round % 128 == 0) {
        linux::YieldCpu();
      }
    }
    linux::CpuRelax();
  }
  this->lock()->Acquire();
}

void Port::SetIdleSpin(zx_duration_t spin) { idle_spin_.store(spin, std::memory_order_relaxed); }

bool Port::PollLocked(zx_time_t deadline) {
  RefPtr<PortPoller> poller = poller_;
  polling_ = true;
  poller->MarkWaiting();
  this->lock()->Release();
  t_polled_port = this;
  const bool timed_out = poller->Poll(deadline);
  t_polled_port = nullptr;
  this->lock()->Acquire();
  polling_ = false;
  return timed_out;
}

zx_status_t Port::QueueUser(const zx_port_packet_t& packet) {
  return QueuePooled(packet, ZX_PKT_TYPE_USER, /*limit=*/true);
}

zx_status_t Port::QueueException(const zx_port_packet_t& packet) {
  return QueuePooled(packet, packet.type, /*limit=*/false);
}

zx_status_t Port::QueuePooled(const zx_port_packet_t& packet, uint32_t type, bool limit) {
  {
    MutexLock lock(this->lock());
    if (zero_handles_) {
      return ZX_ERR_BAD_HANDLE;  // the last handle was closed while the caller used it
    }
    if (limit && queued_user_packets_ > kMaxQueuedPackets) {
      return ZX_ERR_SHOULD_WAIT;
    }
    PortPacket* entry = free_user_packets_.pop_front();
    if (entry == nullptr) {
      entry = new (std::nothrow) PortPacket();
      if (entry == nullptr) {
        return ZX_ERR_NO_MEMORY;
      }
    }
    entry->packet = packet;
    entry->packet.type = type;
    ++queued_user_packets_;
    EnqueueLocked(entry);
  }
  return ZX_OK;
}

zx_status_t Port::QueueSignal(PortObserver* observer, zx_signals_t observed, uint64_t count) {
  {
    MutexLock lock(this->lock());
    if (zero_handles_) {
      return ZX_ERR_BAD_STATE;
    }
    PortPacket& entry = observer->packet_;
    if (entry.InList()) {
      entry.packet.signal.observed |= observed;
      return ZX_OK;
    }
    // No limit here: the packet lives in its observer, so queueing it allocates nothing, and
    // refusing it would lose the wait.
    entry.packet.key = observer->key_;
    entry.packet.type = (observer->options_ & ZX_WAIT_ASYNC_REPEATING) ? ZX_PKT_TYPE_SIGNAL_REP
                                                                       : ZX_PKT_TYPE_SIGNAL_ONE;
    entry.packet.status = ZX_OK;
    entry.packet.signal = {
        .trigger = observer->trigger(),
        .observed = observed,
        .count = count,
        .reserved0 = 0,
        .reserved1 = 0,
    };
    observer->AddRef();  // the queue's reference
    EnqueueLocked(&entry);
  }
  return ZX_OK;
}

void Port::RecycleLocked(PortPacket* packet) {
  --queued_user_packets_;
  if (free_user_packets_.size() < kMaxRecycledUserPackets) {
    free_user_packets_.push_front(packet);
  } else {
    delete packet;
  }
}

void Port::ReleaseNonUserPacket(PortPacket* packet) {
  if (packet->owner != nullptr) {
    packet->owner->ReturnPacket(packet);
  } else {
    packet->observer->Release();
  }
}

zx_status_t Port::QueueOwned(PortPacket* packet) {
  ZX_DEBUG_ASSERT(packet->owner != nullptr);
  MutexLock lock(this->lock());
  if (zero_handles_) {
    return ZX_ERR_BAD_STATE;
  }
  EnqueueLocked(packet);
  return ZX_OK;
}

void Port::CancelOwned(const PortPacketOwner* owner) {
  IntrusiveList<PortPacket, PortQueueTag> removed;
  {
    MutexLock lock(this->lock());
    queue_.EraseIf([owner](PortPacket* packet) { return packet->owner == owner; },
                   [&removed](PortPacket* packet) { removed.push_back(packet); });
    PublishQueueLengthLocked();
  }
  while (PortPacket* packet = removed.pop_front()) {
    ReleaseNonUserPacket(packet);
  }
}

zx_status_t Port::Wait(zx_time_t deadline, zx_port_packet_t* out) {
  PortPacket* taken = nullptr;
  {
    MutexLock lock(this->lock());
    bool polled_at_deadline = false;  // a past deadline still gets one look at the fds
    bool spun = false;                // the idle spin comes once per wait, before sleeping
    for (;;) {
      if (KillPending()) {
        WakeHelpersLocked();  // without a poller, may wake one sleeper more than needed: harmless
        return ZX_ERR_CANCELED;  // never seen: the thread ends as the call returns
      }
      taken = queue_.pop_front();
      if (taken != nullptr) {
        PublishQueueLengthLocked();
        break;
      }
      const zx_time_t now = linux::MonotonicNow();
      const bool expired = deadline != ZX_TIME_INFINITE && deadline <= now;
      const zx_duration_t spin = idle_spin_.load(std::memory_order_relaxed);
      if (!expired && !spun && spin > 0) {
        spun = true;
        SpinLocked(std::min(deadline, zx_time_add_duration(now, spin)));
        continue;
      }
      if (poller_ && !polling_ && !polled_at_deadline) {
        polled_at_deadline = PollLocked(expired ? 0 : deadline) || expired;
        continue;
      }
      if (expired) {
        if (poller_) {
          WakeHelpersLocked();
        }
        return ZX_ERR_TIMED_OUT;
      }
      ++sleepers_;
      const uint32_t sequence = wake_sequence_.load(std::memory_order_acquire);
      this->lock()->Release();
      const zx_status_t status = linux::FutexWait(&wake_sequence_, sequence, deadline);
      this->lock()->Acquire();
      --sleepers_;
      if (pending_wakeups_ > 0) {
        --pending_wakeups_;
      }
      if (status == ZX_ERR_TIMED_OUT && queue_.empty()) {
        if (poller_) {
          WakeHelpersLocked();  // a wake-up to poll may have been ours
        }
        return ZX_ERR_TIMED_OUT;
      }
    }
    if (poller_) {
      WakeHelpersLocked();
    }
    *out = taken->packet;
    if (taken->observer == nullptr && taken->owner == nullptr) {
      RecycleLocked(taken);
      return ZX_OK;
    }
  }
  ReleaseNonUserPacket(taken);
  return ZX_OK;
}

bool Port::CancelQueued(zx_handle_t handle, uint64_t key) {
  IntrusiveList<PortPacket, PortQueueTag> removed;
  {
    MutexLock lock(this->lock());
    queue_.EraseIf(
        [&](PortPacket* packet) {
          return packet->observer != nullptr && packet->observer->handle() == handle &&
                 packet->packet.key == key;
        },
        [&removed](PortPacket* packet) { removed.push_back(packet); });
    PublishQueueLengthLocked();
  }
  const bool any = !removed.empty();
  while (PortPacket* packet = removed.pop_front()) {
    ReleaseNonUserPacket(packet);
  }
  return any;
}

void Port::OnZeroHandles() {
  // Zircon drops a port's packets when its last handle goes; observers still aimed at it find
  // it closed at their next trigger and unregister.
  IntrusiveList<PortPacket, PortQueueTag> signal_packets;
  RefPtr<PortPoller> poller;
  {
    MutexLock lock(this->lock());
    zero_handles_ = true;
    poller = std::move(poller_);
    while (PortPacket* packet = queue_.pop_front()) {
      if (packet->observer == nullptr && packet->owner == nullptr) {
        RecycleLocked(packet);
      } else {
        signal_packets.push_back(packet);
      }
    }
    PublishQueueLengthLocked();
  }
  while (PortPacket* packet = signal_packets.pop_front()) {
    ReleaseNonUserPacket(packet);
  }
  if (poller) {
    poller->Shutdown();  // closes the epoll set; fd objects let go of it as they notice
  }
  if (auto* hook = g_zero_handles_hook.load(std::memory_order_acquire)) {
    hook(this);
  }
}

void Port::SetZeroHandlesHook(void (*hook)(Port* port)) {
  g_zero_handles_hook.store(hook, std::memory_order_release);
}

PortObserver* PortObserver::Create(zx_handle_t handle, zx_signals_t trigger, uint32_t options,
                                   RefPtr<Port> port, uint64_t key) {
  return new (std::nothrow) PortObserver(handle, trigger, options, std::move(port), key);
}

PortObserver::PortObserver(zx_handle_t handle, zx_signals_t trigger, uint32_t options,
                           RefPtr<Port> port, uint64_t key)
    : Observer(handle, trigger), options_(options), port_(std::move(port)), key_(key) {
  packet_.observer = this;
}

using ObserverBlocks = ThreadBlockCache<sizeof(PortObserver)>;

void* PortObserver::operator new(size_t size, const std::nothrow_t&) noexcept {
  ZX_DEBUG_ASSERT(size == sizeof(PortObserver));
  return ObserverBlocks::Allocate();
}

void PortObserver::operator delete(void* block) noexcept { ObserverBlocks::Free(block); }

void PortObserver::Release() {
  // acq_rel: the last owner sees every write the other owner made to the packet.
  if (ref_count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete this;
  }
}

ObserverAction PortObserver::MaybeQueue(zx_signals_t signals, uint64_t count) {
  if ((signals & trigger()) == 0) {
    return ObserverAction::kKeep;
  }
  if (port_->QueueSignal(this, signals, count) != ZX_OK) {
    // A full or closed port loses the wait, as in Zircon.
    return ObserverAction::kRemove;
  }
  return (options_ & ZX_WAIT_ASYNC_REPEATING) ? ObserverAction::kKeep : ObserverAction::kRemove;
}

ObserverAction PortObserver::OnInitialize(zx_signals_t signals, uint64_t count) {
  return MaybeQueue(signals, count);
}

ObserverAction PortObserver::OnStateChange(zx_signals_t signals) { return MaybeQueue(signals, 1); }

ObserverAction PortObserver::OnCancel(zx_handle_t handle) {
  return handle == this->handle() ? ObserverAction::kRemove : ObserverAction::kKeep;
}

ObserverAction PortObserver::OnCancelByKey(zx_handle_t handle, const Port* port, uint64_t key) {
  return (handle == this->handle() && port == port_.get() && key == key_) ? ObserverAction::kRemove
                                                                          : ObserverAction::kKeep;
}

}  // namespace zircon::kernel
