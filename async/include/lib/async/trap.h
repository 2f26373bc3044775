// <lib/async/trap.h>: guest bell traps, handlers that a dispatcher runs when a virtual machine
// guest writes to a trapped range of its physical memory.
//
// Compiles as C11 and as C++.

#ifndef LIB_ASYNC_TRAP_H_
#define LIB_ASYNC_TRAP_H_

#include <lib/async/dispatcher.h>

__BEGIN_CDECLS

// Handles one guest access to a trapped range.
//
// `status` is ZX_OK when a bell arrived; `bell` then describes the access and is valid only
// during the call. For any other status `bell` is NULL.
typedef void(async_guest_bell_trap_handler_t)(async_dispatcher_t* dispatcher,
                                              async_guest_bell_trap_t* trap, zx_status_t status,
                                              const zx_packet_guest_bell_t* bell);

// A guest bell trap and its handler.
//
// A trap cannot be removed once set, so after async_set_guest_bell_trap() has returned ZX_OK the
// client keeps the record alive and unchanged until the guest has been destroyed or the
// dispatcher has shut down.
struct async_guest_bell_trap {
  // Owned by the dispatcher; zero it with `ASYNC_STATE_INIT` before use.
  async_state_t state;

  // Called once for every bell.
  async_guest_bell_trap_handler_t* handler;
};

// Sets a bell trap on the guest physical range [`addr`, `addr + length`) of `guest`: from then
// on, every guest write to the range makes `dispatcher` call the trap's handler once.
//
// `guest` is borrowed; `trap` is borrowed for as long as `struct async_guest_bell_trap` says.
// Thread-safe.
//
// Returns ZX_OK if the trap was set.
// Returns ZX_ERR_ACCESS_DENIED if `guest` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_ALREADY_EXISTS if a bell trap at `addr` already exists.
// Returns ZX_ERR_INVALID_ARGS if `addr` or `length` is invalid (e.g. unaligned or zero).
// Returns ZX_ERR_OUT_OF_RANGE if the range lies outside the guest's physical address space.
// Returns ZX_ERR_WRONG_TYPE if `guest` is not a guest.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support guest bell traps.
//
// Linux: guests are KVM virtual machines (zx_guest_create() in <zircon/syscalls.h>); where
// /dev/kvm is missing no guest can be created, so no handle is a guest.
zx_status_t async_set_guest_bell_trap(async_dispatcher_t* dispatcher, async_guest_bell_trap_t* trap,
                                      zx_handle_t guest, zx_vaddr_t addr,
                                      size_t length) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_TRAP_H_
