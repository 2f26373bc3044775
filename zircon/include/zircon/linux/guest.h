// <zircon/linux/guest.h>: the host's view of a guest's memory.
//
// Linux: this whole header is a portloop addition. Zircon hands out a guest's physical memory as
// a VMAR from zx_guest_create(); portloop has no VMOs or VMARs, so the host reaches guest memory
// through a plain mapping in its own address space instead.

#ifndef ZIRCON_LINUX_GUEST_H_
#define ZIRCON_LINUX_GUEST_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// The size in bytes of every guest's memory: guest-physical [0, ZX_LINUX_GUEST_MEMORY_SIZE).
#define ZX_LINUX_GUEST_MEMORY_SIZE ((size_t)64u << 20)

// Stores in `*out_addr` the host address at which guest-physical address 0 of `guest` is mapped,
// readable and writable, and in `*out_size` its size (ZX_LINUX_GUEST_MEMORY_SIZE). The mapping
// stays valid while the guest object exists (while a handle to it or to one of its vCPUs is
// open). Bytes in a BELL or MEM trap's range are not seen by the guest. Thread-safe; the host
// and the guest share the memory without any synchronisation.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `out_addr` or `out_size` is null.
// Returns ZX_ERR_BAD_HANDLE if `guest` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `guest` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_WRONG_TYPE if `guest` is not a guest.
zx_status_t zx_linux_guest_memory(zx_handle_t guest, void** out_addr,
                                  size_t* out_size) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_LINUX_GUEST_H_
