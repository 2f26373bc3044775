#include "zircon/src/linux/eventfd.h"

#include <cerrno>
#include <cstdint>

#include <sys/eventfd.h>
#include <unistd.h>

#include "zircon/src/linux/errno.h"

namespace zircon::linux {

zx_status_t EventFdCreate(int* out_fd) {
  const int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) {
    return StatusFromErrno(errno);
  }
  *out_fd = fd;
  return ZX_OK;
}

void EventFdSignal(int fd) {
  const uint64_t one = 1;
  // EAGAIN (the counter is at its maximum) leaves the fd readable, which is all we want.
  while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR) {
  }
}

void EventFdDrain(int fd) {
  uint64_t count;
  // EAGAIN: already drained.
  while (read(fd, &count, sizeof(count)) < 0 && errno == EINTR) {
  }
}

}  // namespace zircon::linux
