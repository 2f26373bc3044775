// Linux readiness: epoll sets, poll(2) on a few fds, and the checks an fd gets before it is
// wrapped in a handle.
#ifndef ZIRCON_SRC_LINUX_EPOLL_H_
#define ZIRCON_SRC_LINUX_EPOLL_H_

#include <zircon/types.h>

#include <cstddef>
#include <cstdint>

namespace zircon::linux {

// Readiness bits, with Linux's values: the same for epoll (EPOLL*) and poll (POLL*).
inline constexpr uint32_t kPollIn = 0x001u;
inline constexpr uint32_t kPollPriority = 0x002u;
inline constexpr uint32_t kPollOut = 0x004u;
inline constexpr uint32_t kPollError = 0x008u;    // always reported, never needs asking
inline constexpr uint32_t kPollHangUp = 0x010u;   // always reported, never needs asking
inline constexpr uint32_t kPollInvalid = 0x020u;  // poll only: the fd is not open
inline constexpr uint32_t kPollReadHangUp = 0x2000u;
// epoll only: report the fd once, then keep it disabled until EpollOp::kModify re-arms it.
inline constexpr uint32_t kEpollOneShot = 1u << 30;

// One ready fd reported by EpollWait: its readiness bits and the pointer it was registered with.
struct EpollEvent {
  uint32_t events;
  void* data;
};

enum class EpollOp : uint8_t { kAdd, kModify, kDelete };

// Creates an epoll set (close-on-exec) in `*out_fd`. Thread-safe.
// Returns ZX_ERR_NO_RESOURCES if the process is out of fds, ZX_ERR_NO_MEMORY if out of memory.
[[nodiscard]] zx_status_t EpollCreate(int* out_fd);

// epoll_ctl: adds, re-arms or removes `fd` in the set `epoll_fd`, reporting `events` with
// `data`. `events` and `data` are ignored by kDelete. Thread-safe.
// Returns ZX_ERR_NOT_SUPPORTED if `fd` cannot be polled (a regular file or directory).
// Returns ZX_ERR_BAD_HANDLE if `fd` or `epoll_fd` is not open.
// Returns ZX_ERR_NOT_FOUND if kModify or kDelete names an fd not in the set.
// Returns ZX_ERR_ALREADY_EXISTS if kAdd names an fd already in the set.
// Returns ZX_ERR_NO_MEMORY or ZX_ERR_NO_RESOURCES (the user's epoll watch limit) on exhaustion.
[[nodiscard]] zx_status_t EpollControl(int epoll_fd, EpollOp op, int fd, uint32_t events,
                                       void* data);

// epoll_wait: stores up to `capacity` ready fds in `out` and their number in `*out_count`,
// sleeping until one is ready or the absolute monotonic `deadline` (ZX_TIME_INFINITE: never; a
// past deadline only checks). Thread-safe.
// Returns ZX_OK with `*out_count` >= 1, or 0 if a Linux signal interrupted the sleep.
// Returns ZX_ERR_TIMED_OUT at the deadline, with `*out_count` 0, or at once once the thread's
// sleeps are interrupted (InterruptSleeps in linux/futex.h).
[[nodiscard]] zx_status_t EpollWait(int epoll_fd, EpollEvent* out, size_t capacity,
                                    zx_time_t deadline, size_t* out_count);

// One fd of a PollFds call. `fd` < 0 is skipped, as poll(2) does.
struct PollItem {
  int fd = -1;
  uint32_t events = 0;   // kPollIn, kPollOut, kPollPriority, kPollReadHangUp
  uint32_t revents = 0;  // out: what is ready, plus kPollError, kPollHangUp, kPollInvalid
};

// poll(2) on `count` items, sleeping until one is ready or the absolute monotonic `deadline`.
// Thread-safe.
// Returns ZX_OK if an item is ready, or none is because a Linux signal interrupted the sleep.
// Returns ZX_ERR_TIMED_OUT at the deadline, or at once once the thread's sleeps are interrupted
// (InterruptSleeps in linux/futex.h).
[[nodiscard]] zx_status_t PollFds(PollItem* items, size_t count, zx_time_t deadline);

// Checks that `fd` is open and can be polled. Sockets and pipes pass with one fstat; other kinds
// are tried in a private epoll set. Thread-safe.
// Returns ZX_ERR_BAD_HANDLE if `fd` is negative or not open.
// Returns ZX_ERR_NOT_SUPPORTED if `fd` cannot be polled (a regular file or directory).
// Returns ZX_ERR_NO_RESOURCES if the private epoll set could not be created.
[[nodiscard]] zx_status_t ProbeFd(int fd);

// Closes `fd`. EINTR is not retried: Linux releases the fd even then. Thread-safe.
void CloseFd(int fd);

}  // namespace zircon::linux

#endif  // ZIRCON_SRC_LINUX_EPOLL_H_
