// <lib/fsl/tasks/fd_waiter.h>: fsl::FDWaiter, a one-shot asynchronous wait for poll(2) events on
// a file descriptor, delivered on an async dispatcher.
//
// Linux: Fuchsia's FDWaiter reaches the fd through fdio; portloop's wraps it for the wait in an
// fd handle (<zircon/linux/fd.h>), so it works with any pollable Linux fd (socket, pipe,
// eventfd, timerfd, signalfd, inotify, tty, ...) on any dispatcher that supports waits
// (async::Loop, async::TestLoop).

#ifndef LIB_FSL_TASKS_FD_WAITER_H_
#define LIB_FSL_TASKS_FD_WAITER_H_

#include <lib/async/cpp/wait.h>
#include <lib/async/default.h>
#include <lib/fit/function.h>
#include <zircon/types.h>

#include <cstdint>

namespace fsl {

// Waits, once per Wait(), for poll(2) events on a file descriptor, and calls back on a
// dispatcher when one is ready. At most one wait is pending at a time; a callback may begin the
// next one.
//
// The waiter does not own the fd. For each Wait() it makes an fd handle that borrows the fd
// (zx_linux_fd_create() with ZX_LINUX_FD_BORROW), and closes that handle before it calls the
// callback or when the wait is canceled; so the fd must stay open while a wait is pending, and
// may be closed from the callback or after Cancel().
//
// Linux: on Fuchsia, closing the fd during a wait ends it with an error status. Here that is a
// caller error, as for any borrowed fd handle: Linux forgets a closed fd, so the wait may never
// complete, or complete with POLLERR.
//
// Thread-compatible. The callback runs on a dispatcher thread. With a single-threaded
// dispatcher, use the waiter on that thread, as on Fuchsia. With a multi-threaded async::Loop,
// the callback may run on any loop thread, even before Wait() returns; so call Wait(), Cancel()
// and the destructor only where the callback cannot be running: in the callback itself, on any
// thread while no wait is pending, or once the loop has shut down. (A Cancel() that loses the
// race with the callback may abort.)
//
// Each Wait() costs a few system calls (checking the fd, adding it to and removing it from the
// loop's epoll set). On a hot path, keep one fd handle for the fd's lifetime and wait on it with
// async::Wait, which completes without a system call when the fd's readiness is known.
class FDWaiter {
 public:
  // The callback of a wait. With `status` ZX_OK, `events` holds the poll events that are ready
  // (see Wait()). With an error status, `events` is 0: ZX_ERR_CANCELED means that the dispatcher
  // shut down before an event was ready.
  using Callback = fit::function<void(zx_status_t status, uint32_t events)>;

  // Creates an idle waiter whose callbacks run on `dispatcher`, by default the calling thread's
  // default dispatcher. `dispatcher` must not be null (asserted) and must outlive the waiter, or
  // shut down first.
  FDWaiter(async_dispatcher_t* dispatcher = async_get_default_dispatcher());

  // Cancels the pending wait, if any (see Cancel()).
  ~FDWaiter();

  FDWaiter(const FDWaiter&) = delete;
  FDWaiter& operator=(const FDWaiter&) = delete;
  FDWaiter(FDWaiter&&) = delete;
  FDWaiter& operator=(FDWaiter&&) = delete;

  // Begins a one-shot wait for any of `events` on `fd`. When one is ready (at once if one
  // already is: waits are level-triggered), `callback` is called once on the dispatcher, with
  // ZX_OK and the ready events; or with ZX_ERR_CANCELED and 0 if the dispatcher shuts down
  // first. Cancel() and destruction prevent the call.
  //
  // `events` are poll(2) events. POLLIN (or POLLRDNORM), POLLOUT (or POLLWRNORM), POLLPRI and
  // POLLRDHUP are waited for as poll(2) would; POLLERR is always waited for and reported, as
  // poll(2) does; POLLHUP is waited for only when asked (see below). Other bits are ignored.
  // The callback's events are those of `events` that are ready, plus POLLERR:
  // - POLLIN (POLLRDNORM): a read would not block. The peer's hang-up or shutdown makes it
  //   ready too (a read then returns the rest of the data, then 0), as on Fuchsia.
  // - POLLOUT (POLLWRNORM): a write would not block.
  // - POLLPRI: urgent data or another exceptional condition.
  // - POLLRDHUP, and POLLHUP if asked for: the peer hung up or shut down its writing side.
  // - POLLERR: an error is pending (a pipe's last reader closed, a connection was reset, ...).
  //
  // Linux: poll(2) also reports POLLHUP unasked; an fd handle's ZX_LINUX_FD_PEER_CLOSED signal
  // does not tell a hang-up from a half-close, so the waiter reports either as POLLIN (a read
  // will not block) and reports POLLHUP only to callers that ask for it.
  //
  // `callback` is stored in the waiter until it is called or the wait is canceled, and
  // destroyed uncalled if Wait() returns false.
  //
  // Returns true if the wait began.
  // Returns false if a wait is already pending (it stays pending, with its own callback), if
  // `fd` is negative or not an open fd, if `fd` cannot be polled (a regular file, a directory),
  // or if the dispatcher refused the wait (it is shutting down).
  //
  // Linux: Fuchsia treats a Wait() while a wait is pending as a caller error (a debug assert);
  // portloop returns false.
  bool Wait(Callback callback, int fd, uint32_t events);

  // Cancels the pending wait, so that its callback is not called, and destroys the callback.
  // Does nothing if no wait is pending, so it may be called any number of times; the waiter may
  // then Wait() again.
  void Cancel();

 private:
  // Ends the pending wait: closes its fd handle and returns its callback.
  Callback Release();

  void Handler(async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
               const zx_packet_signal_t* signal);

  async_dispatcher_t* const dispatcher_;
  // The fd handle of the pending wait; ZX_HANDLE_INVALID while no wait is pending.
  zx_handle_t handle_ = ZX_HANDLE_INVALID;
  uint32_t events_ = 0;  // the poll events the pending wait asked for
  Callback callback_;
  async::WaitMethod<FDWaiter, &FDWaiter::Handler> wait_{this};
};

}  // namespace fsl

#endif  // LIB_FSL_TASKS_FD_WAITER_H_
