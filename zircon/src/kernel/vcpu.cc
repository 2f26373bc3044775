// vCPUs.
//
// KVM_RUN returns to the resuming thread at every exit KVM does not handle itself. A write into
// a bell trap is one such exit (KVM_EXIT_MMIO, since the range has no memory): the thread queues
// the bell and re-enters the guest at once. Exits the caller must see become the packet or
// status of zx_vcpu_resume.
#include "zircon/src/kernel/vcpu.h"

#include <zircon/syscalls/hypervisor.h>

#include <cstring>
#include <new>

#include "zircon/src/linux/kvm.h"

namespace zircon::kernel {

zx_status_t Vcpu::Create(RefPtr<Guest> guest, zx_gpaddr_t entry, RefPtr<Vcpu>* out) {
  if (entry >= Guest::kMemorySize || (entry & 0xF) != 0 || entry > 0xFFFF0) {
    return ZX_ERR_INVALID_ARGS;
  }
  int fd = -1;
  struct kvm_run* run = nullptr;
  size_t run_size = 0;
  zx_status_t status = linux::KvmCreateVcpu(guest->kvm_fd(), guest->vm_fd(), guest->NextVcpuId(),
                                            &fd, &run, &run_size);
  if (status != ZX_OK) {
    return status == ZX_ERR_NO_MEMORY ? status : ZX_ERR_NO_RESOURCES;
  }
  Vcpu* vcpu = new (std::nothrow) Vcpu(std::move(guest), fd, run, run_size);
  if (vcpu == nullptr) {
    linux::KvmUnmapRun(run, run_size);
    linux::KvmClose(fd);
    return ZX_ERR_NO_MEMORY;
  }
  RefPtr<Vcpu> adopted = AdoptRef(vcpu);
  struct kvm_sregs sregs;
  status = linux::KvmGetSregs(fd, &sregs);
  if (status != ZX_OK) {
    return status;
  }
  sregs.cs.base = entry;
  sregs.cs.selector = static_cast<uint16_t>(entry >> 4);
  status = linux::KvmSetSregs(fd, &sregs);
  if (status != ZX_OK) {
    return status;
  }
  struct kvm_regs regs = {};
  regs.rip = 0;
  regs.rflags = 0x2;  // bit 1 is always set
  status = linux::KvmSetRegs(fd, &regs);
  if (status != ZX_OK) {
    return status;
  }
  *out = std::move(adopted);
  return ZX_OK;
}

Vcpu::Vcpu(RefPtr<Guest> guest, int fd, struct kvm_run* run, size_t run_size)
    : Object(ZX_OBJ_TYPE_VCPU, ZX_SIGNAL_NONE),
      guest_(std::move(guest)),
      fd_(fd),
      run_(run),
      run_size_(run_size) {}

Vcpu::~Vcpu() {
  linux::KvmUnmapRun(run_, run_size_);
  linux::KvmClose(fd_);
}

zx_status_t Vcpu::Resume(zx_port_packet_t* packet) {
  if (running_.exchange(true, std::memory_order_acquire)) {
    return ZX_ERR_BAD_STATE;
  }
  pending_input_ = false;
  zx_status_t status;
  for (;;) {
    const uint32_t generation = guest_->slot_generation();
    status = linux::KvmRun(fd_);
    if (status != ZX_OK) {
      break;
    }
    switch (run_->exit_reason) {
      case KVM_EXIT_MMIO:
        status = HandleMmio(packet);
        break;
      case KVM_EXIT_IO:
        status = HandleIo(packet);
        break;
      case KVM_EXIT_HLT:
        status = ZX_ERR_STOP;
        break;
      case KVM_EXIT_INTR:
        status = ZX_ERR_NEXT;
        break;
      case KVM_EXIT_INTERNAL_ERROR:
        // KVM could not emulate an access, as when the guest fetched an instruction from memory
        // whose slot a trap being set had just taken away: retry if slots changed meanwhile.
        status = (generation & 1) != 0 || guest_->slot_generation() != generation ? ZX_ERR_NEXT
                                                                                  : ZX_ERR_INTERNAL;
        break;
      case KVM_EXIT_SHUTDOWN:
      case KVM_EXIT_FAIL_ENTRY:
        status = ZX_ERR_INTERNAL;
        break;
      default:
        status = ZX_ERR_NOT_SUPPORTED;
        break;
    }
    if (status != ZX_ERR_NEXT) {
      break;
    }
  }
  running_.store(false, std::memory_order_release);
  return status;
}

zx_status_t Vcpu::HandleMmio(zx_port_packet_t* packet) {
  const uint64_t addr = run_->mmio.phys_addr;
  const uint32_t len = run_->mmio.len;
  Guest::TrapMatch trap;
  if (!guest_->FindMemTrap(addr, &trap)) {
    if (addr < Guest::kMemorySize && len <= Guest::kMemorySize - addr) {
      // Plain memory whose slot was being re-registered: do the access on KVM's behalf.
      if (run_->mmio.is_write) {
        memcpy(guest_->memory() + addr, run_->mmio.data, len);
      } else {
        memcpy(run_->mmio.data, guest_->memory() + addr, len);
      }
      return ZX_ERR_NEXT;
    }
    return ZX_ERR_NOT_FOUND;
  }
  if (trap.kind == ZX_GUEST_TRAP_BELL) {
    if (!run_->mmio.is_write) {
      return ZX_ERR_NOT_SUPPORTED;  // a bell range cannot be read, as in Zircon
    }
    trap.bell->Ring(addr);
    return ZX_ERR_NEXT;
  }
  // ZX_GUEST_TRAP_MEM. Linux: KVM has already decoded the instruction, so the packet carries the
  // address only; a read returns zeros to the guest.
  if (!run_->mmio.is_write) {
    memset(run_->mmio.data, 0, sizeof(run_->mmio.data));
  }
  *packet = {};
  packet->key = trap.key;
  packet->type = ZX_PKT_TYPE_GUEST_MEM;
  packet->status = ZX_OK;
  packet->guest_mem.addr = addr;
  return ZX_OK;
}

zx_status_t Vcpu::HandleIo(zx_port_packet_t* packet) {
  const uint16_t port = run_->io.port;
  Guest::TrapMatch trap;
  if (!guest_->FindIoTrap(port, &trap) || run_->io.count != 1 || run_->io.size > 4) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  uint8_t* data = reinterpret_cast<uint8_t*>(run_) + run_->io.data_offset;
  *packet = {};
  packet->key = trap.key;
  packet->type = ZX_PKT_TYPE_GUEST_IO;
  packet->status = ZX_OK;
  packet->guest_io.port = port;
  packet->guest_io.access_size = run_->io.size;
  packet->guest_io.input = run_->io.direction == KVM_EXIT_IO_IN;
  if (packet->guest_io.input) {
    memset(data, 0, run_->io.size);
    pending_input_ = true;
  } else {
    memcpy(packet->guest_io.data, data, run_->io.size);
  }
  return ZX_OK;
}

zx_status_t Vcpu::ReadState(zx_vcpu_state_t* state) {
  struct kvm_regs regs;
  zx_status_t status = linux::KvmGetRegs(fd_, &regs);
  if (status != ZX_OK) {
    return status;
  }
  *state = {
      .rax = regs.rax,
      .rcx = regs.rcx,
      .rdx = regs.rdx,
      .rbx = regs.rbx,
      .rsp = regs.rsp,
      .rbp = regs.rbp,
      .rsi = regs.rsi,
      .rdi = regs.rdi,
      .r8 = regs.r8,
      .r9 = regs.r9,
      .r10 = regs.r10,
      .r11 = regs.r11,
      .r12 = regs.r12,
      .r13 = regs.r13,
      .r14 = regs.r14,
      .r15 = regs.r15,
      .rflags = regs.rflags & 0xFFFFFFFFu,
  };
  return ZX_OK;
}

zx_status_t Vcpu::WriteState(const zx_vcpu_state_t& state) {
  struct kvm_regs regs;
  zx_status_t status = linux::KvmGetRegs(fd_, &regs);
  if (status != ZX_OK) {
    return status;
  }
  regs.rax = state.rax;
  regs.rcx = state.rcx;
  regs.rdx = state.rdx;
  regs.rbx = state.rbx;
  regs.rsp = state.rsp;
  regs.rbp = state.rbp;
  regs.rsi = state.rsi;
  regs.rdi = state.rdi;
  regs.r8 = state.r8;
  regs.r9 = state.r9;
  regs.r10 = state.r10;
  regs.r11 = state.r11;
  regs.r12 = state.r12;
  regs.r13 = state.r13;
  regs.r14 = state.r14;
  regs.r15 = state.r15;
  regs.rflags = (regs.rflags & ~uint64_t{0xFFFFFFFF}) | (state.rflags & 0xFFFFFFFFu) | 0x2;
  return linux::KvmSetRegs(fd_, &regs);
}

zx_status_t Vcpu::WriteIo(const zx_vcpu_io_t& io) {
  if (!pending_input_ || io.access_size != run_->io.size) {
    return ZX_ERR_BAD_STATE;
  }
  uint8_t* data = reinterpret_cast<uint8_t*>(run_) + run_->io.data_offset;
  memcpy(data, io.data, io.access_size);
  return ZX_OK;
}

}  // namespace zircon::kernel
