// Eventfds: the kernel-visible doorbell that wakes a thread blocked in epoll_wait or poll.
#ifndef ZIRCON_SRC_LINUX_EVENTFD_H_
#define ZIRCON_SRC_LINUX_EVENTFD_H_

#include <zircon/types.h>

namespace zircon::linux {

// Creates a non-blocking, close-on-exec eventfd in `*out_fd`. Thread-safe.
// Returns ZX_ERR_NO_RESOURCES if the process is out of fds, ZX_ERR_NO_MEMORY if out of memory.
[[nodiscard]] zx_status_t EventFdCreate(int* out_fd);

// Makes `fd` readable (adds 1 to its counter). Thread-safe; one system call.
void EventFdSignal(int fd);

// Makes `fd` unreadable again (reads and discards its counter). Thread-safe.
void EventFdDrain(int fd);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_EVENTFD_H_
