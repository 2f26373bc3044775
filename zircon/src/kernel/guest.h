// Guests: a KVM virtual machine, its guest-physical memory and its traps.
#ifndef ZIRCON_SRC_KERNEL_GUEST_H_
#define ZIRCON_SRC_KERNEL_GUEST_H_

#include <zircon/types.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "zircon/src/kernel/bell_trap.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/port.h"

namespace zircon::kernel {

// A guest: a KVM VM whose guest-physical memory [0, kMemorySize) is one anonymous mapping of
// this process, registered with KVM in memory slots that leave out every BELL and MEM trap, so
// that guest accesses there exit to the vCPU thread. Thread-safe.
class Guest final : public Object {
 public:
  // Linux: the size of every guest's memory (Zircon's comes from a VMO the caller sizes).
  static constexpr size_t kMemorySize = size_t{64} << 20;

  // What a vCPU exit found at a trapped address.
  struct TrapMatch {
    uint32_t kind = 0;  // ZX_GUEST_TRAP_*
    uint64_t key = 0;
    RefPtr<BellTrap> bell;  // for ZX_GUEST_TRAP_BELL
  };

  // Creates a guest. Returns ZX_ERR_NOT_SUPPORTED if there is no usable /dev/kvm,
  // ZX_ERR_NO_MEMORY or ZX_ERR_NO_RESOURCES if Linux refuses the VM or its memory.
  [[nodiscard]] static zx_status_t Create(RefPtr<Guest>* out);
  ~Guest() final;

  // The trap part of zx_guest_set_trap, after the handles were checked: the status codes are
  // those of the call (<zircon/syscalls.h>). `port` is null for MEM and IO traps.
  [[nodiscard]] zx_status_t SetTrap(uint32_t kind, zx_gpaddr_t addr, size_t size, RefPtr<Port> port,
                                    uint64_t key) __TA_EXCLUDES(trap_lock_);

  // Finds the BELL or MEM trap covering the guest-physical `addr`. Returns whether one does.
  bool FindMemTrap(zx_gpaddr_t addr, TrapMatch* out) __TA_EXCLUDES(trap_lock_);

  // Finds the IO trap covering I/O port `port`. Returns whether one does.
  bool FindIoTrap(uint64_t port, TrapMatch* out) __TA_EXCLUDES(trap_lock_);

  // The host mapping of guest-physical address 0; kMemorySize bytes.
  uint8_t* memory() const { return memory_; }

  int kvm_fd() const { return kvm_fd_; }
  int vm_fd() const { return vm_fd_; }

  // Counts memory slot changes: odd while one is in progress. A vCPU that stopped because its
  // memory briefly vanished retries when this moved during its run.
  uint32_t slot_generation() const { return slot_generation_.load(std::memory_order_acquire); }

  // A fresh vCPU id for this guest.
  uint32_t NextVcpuId() { return next_vcpu_id_.fetch_add(1, std::memory_order_relaxed); }

 private:
  struct Trap {
    uint32_t kind;
    zx_gpaddr_t addr;
    size_t size;
    uint64_t key;
    RefPtr<BellTrap> bell;
  };
  // A guest-physical range registered with KVM as memory.
  struct Slot {
    uint32_t id;
    uint64_t addr;
    uint64_t size;
  };
  using TrapMap = std::map<zx_gpaddr_t, Trap>;  // by start address

  Guest(int kvm_fd, int vm_fd, uint8_t* memory);

  // Whether [addr, addr + size) overlaps a trap of `traps`.
  static bool OverlapsLocked(const TrapMap& traps, zx_gpaddr_t addr, size_t size);
  static bool FindLocked(const TrapMap& traps, uint64_t addr, TrapMatch* out);
  // Re-registers guest memory minus the BELL and MEM traps, changing only slots that differ.
  zx_status_t UpdateSlotsLocked() __TA_REQUIRES(trap_lock_);
  // Makes the registered slots cover exactly `wanted`.
  zx_status_t ReplaceSlotsLocked(const std::vector<Slot>& wanted) __TA_REQUIRES(trap_lock_);

  const int kvm_fd_;
  const int vm_fd_;
  uint8_t* const memory_;
  std::atomic<uint32_t> next_vcpu_id_{0};
  std::atomic<uint32_t> slot_generation_{0};
  Mutex trap_lock_;
  TrapMap mem_traps_ __TA_GUARDED(trap_lock_);  // BELL and MEM share one address space
  TrapMap io_traps_ __TA_GUARDED(trap_lock_);
  std::vector<Slot> slots_ __TA_GUARDED(trap_lock_);
};

template <>
struct ObjectTypeOf<Guest> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_GUEST;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_GUEST_H_
