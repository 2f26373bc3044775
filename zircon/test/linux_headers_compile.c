// Builds the Linux-only public headers (<zircon/linux/*.h>) as C11 and runs their inline
// functions; LinuxHeadersRunChecks() is called from fd_test.cc.

#include <zircon/linux/fd.h>
#include <zircon/linux/guest.h>
#include <zircon/linux/port.h>
#include <zircon/linux/process.h>

#include <poll.h>
#include <stddef.h>

#ifdef __cplusplus
#error "linux_headers_compile.c must be compiled as C"
#endif

_Static_assert(ZX_OBJ_TYPE_LINUX_FD == 0x4c460001u, "");
_Static_assert(ZX_LINUX_FD_BORROW == 0u && ZX_LINUX_FD_ADOPT == 1u, "");
_Static_assert(ZX_LINUX_FD_READABLE == 0x1u && ZX_LINUX_FD_WRITABLE == 0x2u, "");
_Static_assert(ZX_LINUX_FD_PEER_CLOSED == 0x4u && ZX_LINUX_FD_ERROR == 0x10u, "");
_Static_assert(ZX_LINUX_FD_PRIORITY == 0x20u, "");
_Static_assert(ZX_LINUX_FD_SIGNAL_MASK == 0xFF000037u, "");
_Static_assert(ZX_DEFAULT_LINUX_FD_RIGHTS == 0xD00Fu, "");
_Static_assert(ZX_LINUX_FD_EPOLLIN == POLLIN && ZX_LINUX_FD_EPOLLOUT == POLLOUT, "");
_Static_assert(ZX_LINUX_FD_EPOLLPRI == POLLPRI && ZX_LINUX_FD_EPOLLERR == POLLERR, "");
_Static_assert(ZX_LINUX_FD_EPOLLHUP == POLLHUP && ZX_LINUX_FD_POLLNVAL == POLLNVAL, "");
_Static_assert(ZX_LINUX_PROCESS_RETURN_CODE_UNKNOWN < 0, "");
_Static_assert(ZX_LINUX_GUEST_MEMORY_SIZE == 64u * 1024u * 1024u, "");

int LinuxHeadersRunChecks(void);

int LinuxHeadersRunChecks(void) {
  zx_status_t (*create_fd)(int, uint32_t, zx_handle_t*) = zx_linux_fd_create;
  zx_status_t (*get_fd)(zx_handle_t, int*) = zx_linux_fd_get;
  zx_status_t (*guest_memory)(zx_handle_t, void**, size_t*) = zx_linux_guest_memory;
  zx_status_t (*create_process)(pid_t, uint32_t, zx_handle_t*) = zx_linux_process_create;
  int failures =
      (create_fd == NULL) + (get_fd == NULL) + (guest_memory == NULL) + (create_process == NULL);
  failures += zx_linux_fd_signals_from_events(POLLIN | POLLHUP) !=
              (ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED);
  failures += zx_linux_fd_events_from_signals(ZX_LINUX_FD_WRITABLE) != POLLOUT;
  return failures;
}
