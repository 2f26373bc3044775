// `zx::guest`: a hypervisor guest, as far as the async library needs one (bell traps).

#ifndef LIB_ZX_GUEST_H_
#define LIB_ZX_GUEST_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>
#include <lib/zx/port.h>
#include <lib/zx/resource.h>
#include <lib/zx/vmar.h>
#include <lib/zx/vmo.h>

namespace zx {

// An owned handle to a hypervisor guest: a virtual machine whose guest-physical address space
// can hold traps that report guest accesses as port packets. Move-only; thread-compatible (the
// const operations are thread-safe).
class guest : public object<guest> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_GUEST;

  // An empty wrapper.
  constexpr guest() = default;

  // Takes ownership of `value`, which should be a guest handle; nothing checks it.
  explicit guest(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit guest(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  guest(guest&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  guest& operator=(guest&& other) {
    reset(other.release());
    return *this;
  }

  // Creates a guest, authorised by the hypervisor `resource`, and stores it in `*out_guest` and
  // its guest-physical address space in `*out_vmar`. On failure both are left invalid.
  // Thread-safe.
  //
  // Returns ZX_OK if `*out_guest` holds the new guest.
  // Returns ZX_ERR_INVALID_ARGS if `options` is not 0.
  // Returns ZX_ERR_NOT_SUPPORTED if the host has no usable /dev/kvm.
  //
  // Linux: a KVM guest. `resource` is ignored (pass an empty one) and `*out_vmar` is left
  // invalid: the host reaches guest memory with zx_linux_guest_memory() (<zircon/linux/guest.h>).
  static zx_status_t create(const resource& resource, uint32_t options, guest* out_guest,
                            vmar* out_vmar);

  // Installs a trap of `kind` over the guest-physical range [`addr`, `addr + len`). For
  // `ZX_GUEST_TRAP_BELL`, every guest write in the range queues a `ZX_PKT_TYPE_GUEST_BELL`
  // packet with `key` on `port` without stopping the guest; `ZX_GUEST_TRAP_MEM` and
  // `ZX_GUEST_TRAP_IO` traps take an invalid `port`. Thread-safe.
  //
  // Returns ZX_OK if the trap is installed.
  // Returns ZX_ERR_INVALID_ARGS if `kind` is unknown, `addr` or `len` is not page-aligned,
  // `len` is 0, or `port` is missing for a bell trap (or given for another kind).
  // Returns ZX_ERR_OUT_OF_RANGE if the range overflows the address space.
  // Returns ZX_ERR_ALREADY_EXISTS if a trap of this kind already starts at `addr`.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper or a given `port` holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if this handle or `port` lacks `ZX_RIGHT_WRITE`.
  // Returns ZX_ERR_WRONG_TYPE if the handle is not a guest or `port` is not a port.
  zx_status_t set_trap(uint32_t kind, zx_gpaddr_t addr, size_t len, const port& port,
                       uint64_t key) const {
    return zx_guest_set_trap(get(), kind, addr, len, port.get(), key);
  }
};

// A non-owning view of a guest handle.
using unowned_guest = unowned<guest>;

}  // namespace zx

#endif  // LIB_ZX_GUEST_H_
