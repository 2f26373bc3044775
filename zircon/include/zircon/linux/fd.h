// <zircon/linux/fd.h>: Linux file descriptors as waitable handles.
//
// Linux: this whole header is a portloop addition; Zircon has no such objects (Fuchsia reaches
// fds through fdio). It lets any pollable fd (socket, pipe, eventfd, timerfd, signalfd, inotify,
// epoll set, tty, ...) be waited on like a Zircon object: with zx_object_wait_async() on a port
// (and so with async_begin_wait() and async::Wait on a loop), zx_object_wait_one() and
// zx_object_wait_many().
//
// Signals. An fd handle's signals mirror the fd's readiness:
//
//   signal                   bit   epoll events           poll events
//   -----------------------  ----  ---------------------  --------------------
//   ZX_LINUX_FD_READABLE     0     EPOLLIN                POLLIN
//   ZX_LINUX_FD_WRITABLE     1     EPOLLOUT               POLLOUT
//   ZX_LINUX_FD_PEER_CLOSED  2     EPOLLRDHUP, EPOLLHUP   POLLRDHUP, POLLHUP
//   ZX_LINUX_FD_ERROR        4     EPOLLERR               POLLERR, POLLNVAL
//   ZX_LINUX_FD_PRIORITY     5     EPOLLPRI               POLLPRI
//   ZX_USER_SIGNAL_0..7      24-31 -                      -  (zx_object_signal() only)
//
// READABLE: a read would not block (data, end of stream on a socket, a connection to accept).
// WRITABLE: a write would not block. PEER_CLOSED: the peer shut down its writing side, or hung
// up (a pipe's last writer or reader closed). ERROR: an error is pending (or the fd was closed
// under its handle). PRIORITY: urgent data or another exceptional condition.
//
// Waiting for a signal asks Linux for the matching events (ZX_LINUX_FD_PEER_CLOSED asks for
// EPOLLRDHUP; EPOLLHUP and EPOLLERR are always reported). zx_linux_fd_signals_from_events()
// and zx_linux_fd_events_from_signals() below apply this table.
//
// Semantics.
// - Level-triggered, like every Zircon signal: a wait begun on an fd that is already ready
//   completes at once. With zx_object_wait_async() the port learns of it when it is next waited
//   on, even with a deadline of 0 (or at once, if a thread is already waiting on the port).
// - The signal word caches the last readiness Linux reported, and a wait that the cache
//   satisfies completes without a system call. READABLE, WRITABLE and PRIORITY are cleared from
//   the cache again as soon as a wait has been given them (a packet was queued, or a blocking
//   wait returned, because of them): the waiter is expected to act on the readiness, so the next
//   wait asks Linux again. A cached bit that nobody waited for may have gone stale by the time
//   someone does; that wait then completes once spuriously (a read returns EAGAIN), and the
//   next one asks Linux. Read until EAGAIN, or be ready for EAGAIN, as with any poller.
// - PEER_CLOSED and ERROR stay asserted once seen, as Zircon's PEER_CLOSED does.
// - End of file on a pipe shows as PEER_CLOSED (Linux reports POLLHUP without POLLIN once the
//   data is read): to learn that a read would return 0, wait for READABLE | PEER_CLOSED.
// - A ZX_WAIT_ASYNC_REPEATING wait gets a packet for each readiness report; it is re-armed after
//   each, so while the fd stays ready and the previous packet has been taken, the next port wait
//   gets another (as a level-triggered epoll registration would).
// - After Linux reports a hang-up or an error, which it then reports at once whatever is asked,
//   a port asks again about that fd only when a new wait registers (a repeating wait then gets
//   no further packets on its own).
// - No thread is woken for an fd that nobody waits on: a port asks Linux about an fd only while
//   a wait through it lacks something, and each report wakes one thread.
// - zx_object_wait_one()/_many() on fd handles poll(2) the fd, so they always see the current
//   readiness (and refresh the cache).
// - Closing a handle cancels the waits made through it, as for any object.
// - zx_object_wait_async() on an fd handle may also return ZX_ERR_NO_RESOURCES (the port could
//   not make its epoll set, or the user's epoll watch limit is reached), ZX_ERR_NO_MEMORY, or
//   ZX_ERR_BAD_STATE (a borrowed fd was closed under its handle). The blocking waits may return
//   ZX_ERR_NO_RESOURCES if the waiting thread could not make its eventfd.
//
// Ownership. With ZX_LINUX_FD_BORROW the caller keeps the fd and must keep it open until every
// handle to the object is closed; closing it earlier is a bug (waits may then fail or assert
// ZX_LINUX_FD_ERROR, and a new file that reuses the number may be watched instead). With
// ZX_LINUX_FD_ADOPT the object owns the fd: closing its last handle closes the fd, after the fd
// has left every epoll set. Either way, the caller may read and write the fd at any time.
//
// Handles are valid only in the process that made them; after fork() the child must not use
// them (nor the ports that watched fds).

#ifndef ZIRCON_LINUX_FD_H_
#define ZIRCON_LINUX_FD_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

#include <stdint.h>

__BEGIN_CDECLS

// clang-format off

// The object type of fd handles (zx_info_handle_basic_t::type). Far from Zircon's values, so
// that it can never collide with a type Zircon adds.
#define ZX_OBJ_TYPE_LINUX_FD ((zx_obj_type_t)0x4c460001u)

// Options of zx_linux_fd_create(): who owns the fd.
#define ZX_LINUX_FD_BORROW ((uint32_t)0u)  // the caller; the fd must outlive every handle
#define ZX_LINUX_FD_ADOPT  ((uint32_t)1u)  // the object; the last handle's close closes the fd

// Signals of fd handles (see the table above).
#define ZX_LINUX_FD_READABLE    __ZX_OBJECT_READABLE
#define ZX_LINUX_FD_WRITABLE    __ZX_OBJECT_WRITABLE
#define ZX_LINUX_FD_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED
#define ZX_LINUX_FD_ERROR       __ZX_OBJECT_SIGNAL_4
#define ZX_LINUX_FD_PRIORITY    __ZX_OBJECT_SIGNAL_5
#define ZX_LINUX_FD_SIGNAL_MASK \
    (ZX_LINUX_FD_READABLE | ZX_LINUX_FD_WRITABLE | ZX_LINUX_FD_PEER_CLOSED | ZX_LINUX_FD_ERROR | \
     ZX_LINUX_FD_PRIORITY | ZX_USER_SIGNAL_ALL)

// The rights of a handle from zx_linux_fd_create(): 0xD00F. User signals may be set.
#define ZX_DEFAULT_LINUX_FD_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_SIGNAL)

// Linux's epoll/poll event bits, with Linux's values (the same in <sys/epoll.h> and <poll.h>),
// so that this header needs neither.
#define ZX_LINUX_FD_EPOLLIN    ((uint32_t)0x001u)
#define ZX_LINUX_FD_EPOLLPRI   ((uint32_t)0x002u)
#define ZX_LINUX_FD_EPOLLOUT   ((uint32_t)0x004u)
#define ZX_LINUX_FD_EPOLLERR   ((uint32_t)0x008u)
#define ZX_LINUX_FD_EPOLLHUP   ((uint32_t)0x010u)
#define ZX_LINUX_FD_POLLNVAL   ((uint32_t)0x020u)
#define ZX_LINUX_FD_EPOLLRDHUP ((uint32_t)0x2000u)

// clang-format on

// Returns the fd signals that epoll or poll `events` (EPOLLIN, POLLOUT, ...) stand for, by the
// table above. Other bits are ignored.
static inline zx_signals_t zx_linux_fd_signals_from_events(uint32_t events) {
  zx_signals_t signals = 0;
  if (events & ZX_LINUX_FD_EPOLLIN) {
    signals |= ZX_LINUX_FD_READABLE;
  }
  if (events & ZX_LINUX_FD_EPOLLOUT) {
    signals |= ZX_LINUX_FD_WRITABLE;
  }
  if (events & ZX_LINUX_FD_EPOLLPRI) {
    signals |= ZX_LINUX_FD_PRIORITY;
  }
  if (events & (ZX_LINUX_FD_EPOLLRDHUP | ZX_LINUX_FD_EPOLLHUP)) {
    signals |= ZX_LINUX_FD_PEER_CLOSED;
  }
  if (events & (ZX_LINUX_FD_EPOLLERR | ZX_LINUX_FD_POLLNVAL)) {
    signals |= ZX_LINUX_FD_ERROR;
  }
  return signals;
}

// Returns the epoll or poll events to ask for so as to learn about the fd `signals`, by the
// table above. ZX_LINUX_FD_ERROR needs no event (Linux always reports errors and hang-ups);
// user signals have none.
static inline uint32_t zx_linux_fd_events_from_signals(zx_signals_t signals) {
  uint32_t events = 0;
  if (signals & ZX_LINUX_FD_READABLE) {
    events |= ZX_LINUX_FD_EPOLLIN;
  }
  if (signals & ZX_LINUX_FD_WRITABLE) {
    events |= ZX_LINUX_FD_EPOLLOUT;
  }
  if (signals & ZX_LINUX_FD_PRIORITY) {
    events |= ZX_LINUX_FD_EPOLLPRI;
  }
  if (signals & ZX_LINUX_FD_PEER_CLOSED) {
    events |= ZX_LINUX_FD_EPOLLRDHUP;
  }
  return events;
}

// Creates a handle for the Linux fd `fd`, with ZX_DEFAULT_LINUX_FD_RIGHTS, in `*out`. `options`
// says who owns the fd: ZX_LINUX_FD_BORROW (the caller) or ZX_LINUX_FD_ADOPT (the object; see
// "Ownership" above). On failure the caller keeps the fd, whatever `options` said. Each call
// makes a new object (its own koid and signal word), even for an fd that already has one; use
// zx_handle_duplicate() to share one. Thread-safe.
//
// Linux: a portloop addition.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is neither option or `out` is NULL.
// Returns ZX_ERR_BAD_HANDLE if `fd` is negative or not an open fd.
// Returns ZX_ERR_NOT_SUPPORTED if `fd` cannot be polled (a regular file or a directory, which
// Linux always reports ready and epoll refuses).
// Returns ZX_ERR_NO_MEMORY if the object could not be allocated.
// Returns ZX_ERR_NO_RESOURCES if the handle table is full.
zx_status_t zx_linux_fd_create(int fd, uint32_t options, zx_handle_t* out) __ZX_NOEXCEPT;

// Stores in `*out_fd` the fd that the fd handle `handle` stands for. The fd stays owned as
// zx_linux_fd_create() arranged: with ZX_LINUX_FD_ADOPT it is closed with the last handle, so
// use it only while a handle is open. Needs no rights. Thread-safe.
//
// Linux: a portloop addition.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` is not a valid handle.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not an fd handle.
// Returns ZX_ERR_INVALID_ARGS if `out_fd` is NULL.
zx_status_t zx_linux_fd_get(zx_handle_t handle, int* out_fd) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_LINUX_FD_H_
