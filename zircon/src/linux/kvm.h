// KVM: the Linux hypervisor interface behind guests and vCPUs.
#ifndef ZIRCON_SRC_LINUX_KVM_H_
#define ZIRCON_SRC_LINUX_KVM_H_

#include <zircon/types.h>

#include <cstddef>
#include <cstdint>

#include <linux/kvm.h>

namespace zircon::linux {

// Opens /dev/kvm (close-on-exec) in `*out_fd` and checks its API version. Thread-safe.
// Returns ZX_ERR_NOT_SUPPORTED if there is no usable /dev/kvm.
[[nodiscard]] zx_status_t KvmOpen(int* out_fd);

// Creates a virtual machine on the /dev/kvm fd `kvm_fd`, returning its fd in `*out_fd`.
// Returns ZX_ERR_NO_RESOURCES or ZX_ERR_NO_MEMORY if Linux refuses.
[[nodiscard]] zx_status_t KvmCreateVm(int kvm_fd, int* out_fd);

// Maps `size` bytes at `host` to the guest-physical `gpa` as memory slot `slot`; a `size` of 0
// deletes the slot. Safe while vCPUs run (KVM switches slots atomically for them).
[[nodiscard]] zx_status_t KvmSetMemoryRegion(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size,
                                             void* host);

// Creates vCPU `id` of `vm_fd`, returning its fd and its mapped shared run area.
[[nodiscard]] zx_status_t KvmCreateVcpu(int kvm_fd, int vm_fd, uint32_t id, int* out_fd,
                                        struct kvm_run** out_run, size_t* out_run_size);

// Unmaps a run area returned by KvmCreateVcpu.
void KvmUnmapRun(struct kvm_run* run, size_t run_size);

// Reads and writes a vCPU's general and segment registers. Return the status of the ioctl.
[[nodiscard]] zx_status_t KvmGetRegs(int vcpu_fd, struct kvm_regs* regs);
[[nodiscard]] zx_status_t KvmSetRegs(int vcpu_fd, const struct kvm_regs* regs);
[[nodiscard]] zx_status_t KvmGetSregs(int vcpu_fd, struct kvm_sregs* sregs);
[[nodiscard]] zx_status_t KvmSetSregs(int vcpu_fd, const struct kvm_sregs* sregs);

// Runs the vCPU on the calling thread until it exits to user space; the reason is in the run
// area. Retries when a signal interrupts it.
// Returns ZX_ERR_INTERNAL if KVM refuses to run the vCPU.
[[nodiscard]] zx_status_t KvmRun(int vcpu_fd);

// Maps `size` bytes of zeroed, lazily allocated anonymous memory for a guest in `*out`.
// Returns ZX_ERR_NO_MEMORY if Linux refuses.
[[nodiscard]] zx_status_t KvmAllocateMemory(size_t size, uint8_t** out);

// Unmaps memory from KvmAllocateMemory.
void KvmFreeMemory(uint8_t* memory, size_t size);

// Closes an fd returned above, if it is not -1.
void KvmClose(int fd);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_KVM_H_
