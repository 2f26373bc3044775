// Guest bell trap packets.
#include "zircon/src/kernel/bell_trap.h"

#include <new>

#include "zircon/src/linux/futex.h"

namespace zircon::kernel {

RefPtr<BellTrap> BellTrap::Create(RefPtr<Port> port, uint64_t key) {
  BellTrap* trap = new (std::nothrow) BellTrap(std::move(port), key);
  return trap == nullptr ? nullptr : AdoptRef(trap);
}

BellTrap::BellTrap(RefPtr<Port> port, uint64_t key) : port_(std::move(port)), key_(key) {
  MutexLock lock(&lock_);
  for (PortPacket& packet : packets_) {
    packet.owner = this;
    free_.push_back(&packet);
  }
}

BellTrap::~BellTrap() {
  // Every queued packet held a reference, so all are back.
  MutexLock lock(&lock_);
  while (free_.pop_front() != nullptr) {
  }
}

void BellTrap::Ring(zx_gpaddr_t addr) {
  PortPacket* packet = nullptr;
  {
    MutexLock lock(&lock_);
    while ((packet = free_.pop_front()) == nullptr) {
      ++sleepers_;
      const uint32_t sequence = returned_sequence_.load(std::memory_order_acquire);
      lock_.Release();
      (void)linux::FutexWait(&returned_sequence_, sequence, ZX_TIME_INFINITE);
      lock_.Acquire();
      --sleepers_;
    }
  }
  packet->packet = {};
  packet->packet.key = key_;
  packet->packet.type = ZX_PKT_TYPE_GUEST_BELL;
  packet->packet.status = ZX_OK;
  packet->packet.guest_bell.addr = addr;
  AddRef();  // the queued packet's reference
  if (port_->QueueOwned(packet) != ZX_OK) {
    ReturnPacket(packet);  // the port is closed: the bell goes nowhere
  }
}

void BellTrap::CancelQueued() { port_->CancelOwned(this); }

void BellTrap::ReturnPacket(PortPacket* packet) {
  bool wake = false;
  {
    MutexLock lock(&lock_);
    free_.push_front(packet);
    if (sleepers_ > 0) {
      returned_sequence_.fetch_add(1, std::memory_order_release);
      wake = true;
    }
  }
  if (wake) {
    linux::FutexWake(&returned_sequence_, 1);
  }
  Release();  // the queued packet's reference
}

}  // namespace zircon::kernel
