// KVM ioctls.
#include "zircon/src/linux/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zircon/src/linux/errno.h"

namespace zircon::linux {
namespace {

// The KVM API version every kernel since 2.6.22 reports.
constexpr int kKvmApiVersion = 12;

zx_status_t IoctlStatus(int result) { return result < 0 ? StatusFromErrno(errno) : ZX_OK; }

}  // namespace

zx_status_t KvmOpen(int* out_fd) {
  const int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (ioctl(fd, KVM_GET_API_VERSION, 0) != kKvmApiVersion) {
    close(fd);
    return ZX_ERR_NOT_SUPPORTED;
  }
  *out_fd = fd;
  return ZX_OK;
}

zx_status_t KvmCreateVm(int kvm_fd, int* out_fd) {
  const int fd = ioctl(kvm_fd, KVM_CREATE_VM, 0UL);
  if (fd < 0) {
    return errno == ENOMEM ? ZX_ERR_NO_MEMORY : ZX_ERR_NO_RESOURCES;
  }
  // Intel CPUs without unrestricted guest support need three pages for real mode; place them
  // just below 4 GiB, far above guest memory. Other CPUs ignore it.
  (void)ioctl(fd, KVM_SET_TSS_ADDR, 0xFFFBD000UL);
  *out_fd = fd;
  return ZX_OK;
}

zx_status_t KvmSetMemoryRegion(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size, void* host) {
  struct kvm_userspace_memory_region region = {};
  region.slot = slot;
  region.guest_phys_addr = gpa;
  region.memory_size = size;
  region.userspace_addr = reinterpret_cast<uint64_t>(host);
  return IoctlStatus(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region));
}

zx_status_t KvmCreateVcpu(int kvm_fd, int vm_fd, uint32_t id, int* out_fd, struct kvm_run** out_run,
                          size_t* out_run_size) {
  const int run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (run_size <= 0) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  const int fd = ioctl(vm_fd, KVM_CREATE_VCPU, static_cast<unsigned long>(id));
  if (fd < 0) {
    return StatusFromErrno(errno);
  }
  void* run =
      mmap(nullptr, static_cast<size_t>(run_size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (run == MAP_FAILED) {
    close(fd);
    return ZX_ERR_NO_MEMORY;
  }
  *out_fd = fd;
  *out_run = static_cast<struct kvm_run*>(run);
  *out_run_size = static_cast<size_t>(run_size);
  return ZX_OK;
}

void KvmUnmapRun(struct kvm_run* run, size_t run_size) { munmap(run, run_size); }

zx_status_t KvmGetRegs(int vcpu_fd, struct kvm_regs* regs) {
  return IoctlStatus(ioctl(vcpu_fd, KVM_GET_REGS, regs));
}

zx_status_t KvmSetRegs(int vcpu_fd, const struct kvm_regs* regs) {
  return IoctlStatus(ioctl(vcpu_fd, KVM_SET_REGS, regs));
}

zx_status_t KvmGetSregs(int vcpu_fd, struct kvm_sregs* sregs) {
  return IoctlStatus(ioctl(vcpu_fd, KVM_GET_SREGS, sregs));
}

zx_status_t KvmSetSregs(int vcpu_fd, const struct kvm_sregs* sregs) {
  return IoctlStatus(ioctl(vcpu_fd, KVM_SET_SREGS, sregs));
}

zx_status_t KvmRun(int vcpu_fd) {
  for (;;) {
    if (ioctl(vcpu_fd, KVM_RUN, 0) == 0) {
      return ZX_OK;
    }
    if (errno != EINTR && errno != EAGAIN) {
      return ZX_ERR_INTERNAL;
    }
  }
}

zx_status_t KvmAllocateMemory(size_t size, uint8_t** out) {
  void* memory = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) {
    return ZX_ERR_NO_MEMORY;
  }
  *out = static_cast<uint8_t*>(memory);
  return ZX_OK;
}

void KvmFreeMemory(uint8_t* memory, size_t size) { munmap(memory, size); }

void KvmClose(int fd) {
  if (fd >= 0) {
    close(fd);
  }
}

}  // namespace zircon::linux
