// A guest bell trap's packets: a fixed pool queued on a port, with back-pressure.
#ifndef ZIRCON_SRC_KERNEL_BELL_TRAP_H_
#define ZIRCON_SRC_KERNEL_BELL_TRAP_H_

#include <zircon/types.h>

#include <atomic>
#include <cstdint>

#include "zircon/src/kernel/intrusive_list.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/port.h"
#include "zircon/src/kernel/ref_counted.h"

namespace zircon::kernel {

// The packets of one ZX_GUEST_TRAP_BELL trap. Ringing takes a packet from the pool and queues it
// on the trap's port; a waiter dequeuing it hands it back. When every packet is in flight, the
// ringing vCPU thread sleeps until one comes back: back-pressure, never loss.
//
// Lifetime: reference counted by its guest and by each queued packet, so a packet handed back
// after the guest went still finds its pool. Thread-safe.
class BellTrap final : public RefCounted, public PortPacketOwner {
 public:
  // Packets per trap, as in Zircon.
  static constexpr size_t kPacketCount = 256;

  // Creates a trap queueing {key = `key`, ZX_PKT_TYPE_GUEST_BELL} packets on `port`.
  // Returns null if out of memory.
  static RefPtr<BellTrap> Create(RefPtr<Port> port, uint64_t key);

  // Queues one bell for the guest-physical `addr`, first sleeping until a packet is free if all
  // are in flight. A port whose handles are all closed drops the bell, as Zircon's does.
  void Ring(zx_gpaddr_t addr);

  // Removes this trap's packets still queued on its port (the trap is being destroyed).
  void CancelQueued();

  void ReturnPacket(PortPacket* packet) final;

  // Runs when the last reference goes: every packet is back by then.
  ~BellTrap();

  void Release() {
    if (ReleaseRef()) {
      delete this;
    }
  }

 private:
  using PacketList = IntrusiveList<PortPacket, PortQueueTag>;

  BellTrap(RefPtr<Port> port, uint64_t key);

  const RefPtr<Port> port_;
  const uint64_t key_;
  PortPacket packets_[kPacketCount];
  Mutex lock_;
  PacketList free_ __TA_GUARDED(lock_);
  uint32_t sleepers_ __TA_GUARDED(lock_) = 0;
  // The futex a ringing thread sleeps on while the pool is empty; bumped when a packet returns.
  std::atomic<uint32_t> returned_sequence_{0};
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_BELL_TRAP_H_
