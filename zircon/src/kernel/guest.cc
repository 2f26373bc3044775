// Guests.
//
// A BELL or MEM trap is a hole in the guest's memory slots: a guest access there finds no memory
// and KVM stops the vCPU with KVM_EXIT_MMIO, which the vCPU thread answers (vcpu.cc). Setting a
// trap re-registers only the slots it changes, so vCPUs that are running keep their memory.
#include "zircon/src/kernel/guest.h"

#include <zircon/syscalls/hypervisor.h>

#include <algorithm>
#include <new>

#include "zircon/src/linux/kvm.h"

namespace zircon::kernel {
namespace {

constexpr uint64_t kPageSize = 4096;

bool IsPageAligned(uint64_t value) { return (value & (kPageSize - 1)) == 0; }

}  // namespace

zx_status_t Guest::Create(RefPtr<Guest>* out) {
  int kvm_fd = -1;
  zx_status_t status = linux::KvmOpen(&kvm_fd);
  if (status != ZX_OK) {
    return status;
  }
  int vm_fd = -1;
  status = linux::KvmCreateVm(kvm_fd, &vm_fd);
  if (status != ZX_OK) {
    linux::KvmClose(kvm_fd);
    return status;
  }
  uint8_t* memory = nullptr;
  status = linux::KvmAllocateMemory(kMemorySize, &memory);
  if (status != ZX_OK) {
    linux::KvmClose(vm_fd);
    linux::KvmClose(kvm_fd);
    return status;
  }
  Guest* guest = new (std::nothrow) Guest(kvm_fd, vm_fd, memory);
  if (guest == nullptr) {
    linux::KvmFreeMemory(memory, kMemorySize);
    linux::KvmClose(vm_fd);
    linux::KvmClose(kvm_fd);
    return ZX_ERR_NO_MEMORY;
  }
  RefPtr<Guest> adopted = AdoptRef(guest);
  {
    MutexLock lock(&guest->trap_lock_);
    status = guest->UpdateSlotsLocked();
  }
  if (status != ZX_OK) {
    return status;
  }
  *out = std::move(adopted);
  return ZX_OK;
}

Guest::Guest(int kvm_fd, int vm_fd, uint8_t* memory)
    : Object(ZX_OBJ_TYPE_GUEST, ZX_SIGNAL_NONE), kvm_fd_(kvm_fd), vm_fd_(vm_fd), memory_(memory) {}

Guest::~Guest() {
  // No vCPU is left (each holds a reference), so no bell can ring any more.
  TrapMap traps;
  {
    MutexLock lock(&trap_lock_);
    traps.swap(mem_traps_);
  }
  for (auto& [addr, trap] : traps) {
    if (trap.bell) {
      trap.bell->CancelQueued();
    }
  }
  traps.clear();
  linux::KvmClose(vm_fd_);
  linux::KvmClose(kvm_fd_);
  linux::KvmFreeMemory(memory_, kMemorySize);
}

bool Guest::OverlapsLocked(const TrapMap& traps, zx_gpaddr_t addr, size_t size) {
  auto next = traps.lower_bound(addr);
  if (next != traps.end() && next->first < addr + size) {
    return true;
  }
  if (next != traps.begin()) {
    const Trap& previous = std::prev(next)->second;
    if (previous.addr + previous.size > addr) {
      return true;
    }
  }
  return false;
}

bool Guest::FindLocked(const TrapMap& traps, uint64_t addr, TrapMatch* out) {
  auto next = traps.upper_bound(addr);
  if (next == traps.begin()) {
    return false;
  }
  const Trap& trap = std::prev(next)->second;
  if (addr - trap.addr >= trap.size) {
    return false;
  }
  out->kind = trap.kind;
  out->key = trap.key;
  out->bell = trap.bell;
  return true;
}

zx_status_t Guest::SetTrap(uint32_t kind, zx_gpaddr_t addr, size_t size, RefPtr<Port> port,
                           uint64_t key) {
  // Zircon's order: size, overflow, then the kind and its port, then alignment.
  if (size == 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (UINT64_MAX - size < addr) {
    return ZX_ERR_OUT_OF_RANGE;
  }
  switch (kind) {
    case ZX_GUEST_TRAP_BELL:
      if (!port) {
        return ZX_ERR_INVALID_ARGS;
      }
      break;
    case ZX_GUEST_TRAP_MEM:
    case ZX_GUEST_TRAP_IO:
      if (port) {
        return ZX_ERR_INVALID_ARGS;
      }
      break;
    default:
      return ZX_ERR_INVALID_ARGS;
  }
  Trap trap = {.kind = kind, .addr = addr, .size = size, .key = key, .bell = nullptr};
  MutexLock lock(&trap_lock_);
  if (kind == ZX_GUEST_TRAP_IO) {
    if (OverlapsLocked(io_traps_, addr, size)) {
      return ZX_ERR_ALREADY_EXISTS;
    }
    io_traps_.emplace(addr, std::move(trap));
    return ZX_OK;
  }
  if (!IsPageAligned(addr) || !IsPageAligned(size)) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (OverlapsLocked(mem_traps_, addr, size)) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  if (kind == ZX_GUEST_TRAP_BELL) {
    trap.bell = BellTrap::Create(std::move(port), key);
    if (!trap.bell) {
      return ZX_ERR_NO_MEMORY;
    }
  }
  mem_traps_.emplace(addr, std::move(trap));
  zx_status_t status = UpdateSlotsLocked();
  if (status != ZX_OK) {
    mem_traps_.erase(addr);
    (void)UpdateSlotsLocked();
  }
  return status;
}

bool Guest::FindMemTrap(zx_gpaddr_t addr, TrapMatch* out) {
  MutexLock lock(&trap_lock_);
  return FindLocked(mem_traps_, addr, out);
}

bool Guest::FindIoTrap(uint64_t port, TrapMatch* out) {
  MutexLock lock(&trap_lock_);
  return FindLocked(io_traps_, port, out);
}

zx_status_t Guest::UpdateSlotsLocked() {
  // The memory ranges wanted: [0, kMemorySize) minus the traps.
  std::vector<Slot> wanted;
  uint64_t start = 0;
  for (const auto& [addr, trap] : mem_traps_) {
    if (addr >= kMemorySize) {
      break;
    }
    if (addr > start) {
      wanted.push_back({0, start, addr - start});
    }
    start = std::max<uint64_t>(start, addr + trap.size);
  }
  if (start < kMemorySize) {
    wanted.push_back({0, start, kMemorySize - start});
  }
  slot_generation_.fetch_add(1, std::memory_order_acq_rel);  // odd: changing
  zx_status_t status = ReplaceSlotsLocked(wanted);
  slot_generation_.fetch_add(1, std::memory_order_acq_rel);  // even: done
  return status;
}

zx_status_t Guest::ReplaceSlotsLocked(const std::vector<Slot>& wanted) {
  auto same_range = [](const Slot& a, const Slot& b) {
    return a.addr == b.addr && a.size == b.size;
  };
  // Delete the slots no longer wanted, keeping their ids for reuse.
  std::vector<uint32_t> free_ids;
  std::vector<Slot> kept;
  for (const Slot& slot : slots_) {
    if (std::any_of(wanted.begin(), wanted.end(),
                    [&](const Slot& want) { return same_range(slot, want); })) {
      kept.push_back(slot);
      continue;
    }
    zx_status_t status = linux::KvmSetMemoryRegion(vm_fd_, slot.id, slot.addr, 0, nullptr);
    if (status != ZX_OK) {
      return status;
    }
    free_ids.push_back(slot.id);
  }
  uint32_t next_id = 0;
  for (const Slot& slot : slots_) {
    next_id = std::max(next_id, slot.id + 1);
  }
  slots_ = std::move(kept);
  for (Slot want : wanted) {
    if (std::any_of(slots_.begin(), slots_.end(),
                    [&](const Slot& slot) { return same_range(slot, want); })) {
      continue;
    }
    if (free_ids.empty()) {
      want.id = next_id++;
    } else {
      want.id = free_ids.back();
      free_ids.pop_back();
    }
    zx_status_t status =
        linux::KvmSetMemoryRegion(vm_fd_, want.id, want.addr, want.size, memory_ + want.addr);
    if (status != ZX_OK) {
      return status;
    }
    slots_.push_back(want);
  }
  return ZX_OK;
}

}  // namespace zircon::kernel
