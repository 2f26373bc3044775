// vCPUs: one KVM vCPU of a guest, run by the thread that resumes it.
#ifndef ZIRCON_SRC_KERNEL_VCPU_H_
#define ZIRCON_SRC_KERNEL_VCPU_H_

#include <zircon/syscalls/hypervisor.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <atomic>
#include <cstddef>

#include "zircon/src/kernel/guest.h"
#include "zircon/src/kernel/object.h"

struct kvm_run;

namespace zircon::kernel {

// A vCPU. It starts in 16-bit real mode with CS based at its entry point and IP 0. Resume runs
// it on the calling thread; one thread at a time. Thread-safe.
class Vcpu final : public Object {
 public:
  // Creates vCPU of `guest` entering at guest-physical `entry`.
  // Returns ZX_ERR_INVALID_ARGS if `entry` is outside guest memory or not 16-byte aligned
  // (Linux: real mode needs CS = entry / 16), ZX_ERR_NO_RESOURCES if KVM refuses another vCPU.
  [[nodiscard]] static zx_status_t Create(RefPtr<Guest> guest, zx_gpaddr_t entry,
                                          RefPtr<Vcpu>* out);
  ~Vcpu() final;

  // zx_vcpu_resume: runs the guest until an exit the caller must handle, described in `*packet`;
  // bell writes are queued on their ports and the guest continues. See <zircon/syscalls.h>.
  [[nodiscard]] zx_status_t Resume(zx_port_packet_t* packet);

  // zx_vcpu_read_state / zx_vcpu_write_state with ZX_VCPU_STATE.
  [[nodiscard]] zx_status_t ReadState(zx_vcpu_state_t* state);
  [[nodiscard]] zx_status_t WriteState(const zx_vcpu_state_t& state);

  // zx_vcpu_write_state with ZX_VCPU_IO: the value of the last trapped input instruction.
  // Returns ZX_ERR_BAD_STATE if the vCPU did not stop on a trapped input.
  [[nodiscard]] zx_status_t WriteIo(const zx_vcpu_io_t& io);

 private:
  Vcpu(RefPtr<Guest> guest, int fd, struct kvm_run* run, size_t run_size);

  // Handles a KVM_EXIT_MMIO. Returns ZX_ERR_NEXT to re-enter the guest, else what Resume returns.
  zx_status_t HandleMmio(zx_port_packet_t* packet);
  // Handles a KVM_EXIT_IO likewise.
  zx_status_t HandleIo(zx_port_packet_t* packet);

  const RefPtr<Guest> guest_;
  const int fd_;
  struct kvm_run* const run_;
  const size_t run_size_;
  std::atomic<bool> running_{false};  // a thread is in Resume
  bool pending_input_ = false;        // stopped on a trapped IN; only touched by the resumer
};

template <>
struct ObjectTypeOf<Vcpu> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_VCPU;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_VCPU_H_
