// fsl::FDWaiter on fd handles.
//
// Each Wait() makes a fresh fd handle that borrows the fd and begins one async wait on it. The
// handle, the asked events and the callback are stored before the wait begins, since on a
// multi-threaded loop the handler may run (and even destroy the waiter) before Begin() returns;
// so Wait() touches nothing after a successful Begin(). The handler and Cancel() both end a wait
// the same way (Release()): the handle is closed, which takes the fd out of the loop's epoll set
// and so lets the caller close the fd, and then the callback is called or destroyed with the
// waiter already idle, free to Wait() again or be destroyed. A fresh handle per wait (rather
// than one cached per fd) is what makes closing the fd between waits safe: a cached handle would
// outlive the fd it borrowed, and a later fd with the same number is another file.

#include <lib/fsl/tasks/fd_waiter.h>
#include <zircon/assert.h>
#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>

#include <utility>

#include <poll.h>

namespace fsl {
namespace {

constexpr uint32_t kReadEvents = POLLIN | POLLRDNORM;
constexpr uint32_t kWriteEvents = POLLOUT | POLLWRNORM;
constexpr uint32_t kHangUpEvents = POLLRDHUP | POLLHUP;

// The fd signals whose assertion makes the poll `events` ready. A pipe at end of file shows
// only PEER_CLOSED, so readers wait for it too; writers do not, since after a half-close it
// stays asserted while the fd may still be unwritable. ERROR is always awaited, as poll(2)
// always reports POLLERR.
zx_signals_t TriggerFor(uint32_t events) {
  zx_signals_t trigger = ZX_LINUX_FD_ERROR;
  if ((events & kReadEvents) != 0) {
    trigger |= ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED;
  }
  if ((events & kWriteEvents) != 0) {
    trigger |= ZX_LINUX_FD_WRITABLE;
  }
  if ((events & POLLPRI) != 0) {
    trigger |= ZX_LINUX_FD_PRIORITY;
  }
  if ((events & kHangUpEvents) != 0) {
    trigger |= ZX_LINUX_FD_PEER_CLOSED;
  }
  return trigger;
}

// The poll events, of those `asked`, that the `observed` signals make ready, plus POLLERR.
uint32_t ReadyEvents(zx_signals_t observed, uint32_t asked) {
  uint32_t ready = 0;
  if ((observed & (ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED)) != 0) {
    ready |= kReadEvents;  // after a hang-up a read does not block: it returns 0
  }
  if ((observed & ZX_LINUX_FD_WRITABLE) != 0) {
    ready |= kWriteEvents;
  }
  if ((observed & ZX_LINUX_FD_PRIORITY) != 0) {
    ready |= POLLPRI;
  }
  if ((observed & ZX_LINUX_FD_PEER_CLOSED) != 0) {
    ready |= kHangUpEvents;
  }
  ready &= asked;
  if ((observed & ZX_LINUX_FD_ERROR) != 0) {
    ready |= POLLERR;
  }
  return ready;
}

}  // namespace

FDWaiter::FDWaiter(async_dispatcher_t* dispatcher) : dispatcher_(dispatcher) {
  ZX_ASSERT_MSG(dispatcher_ != nullptr,
                "fsl::FDWaiter needs a dispatcher: pass one, or set the thread's default");
}

FDWaiter::~FDWaiter() { Cancel(); }

bool FDWaiter::Wait(Callback callback, int fd, uint32_t events) {
  if (handle_ != ZX_HANDLE_INVALID) {
    return false;
  }
  zx_handle_t handle = ZX_HANDLE_INVALID;
  if (zx_linux_fd_create(fd, ZX_LINUX_FD_BORROW, &handle) != ZX_OK) {
    return false;  // BAD_HANDLE (negative or closed fd) or NOT_SUPPORTED (not pollable), ...
  }
  handle_ = handle;
  events_ = events;
  callback_ = std::move(callback);
  wait_.set_object(handle);
  wait_.set_trigger(TriggerFor(events));
  if (wait_.Begin(dispatcher_) != ZX_OK) {
    Callback unused = Release();
    return false;
  }
  return true;
}

void FDWaiter::Cancel() {
  if (handle_ == ZX_HANDLE_INVALID) {
    return;
  }
  const zx_status_t status = wait_.Cancel();
  // A pending wait that cannot be canceled has completed on another thread, whose handler is
  // about to use this waiter: the caller broke the threading contract.
  ZX_ASSERT_MSG(status == ZX_OK,
                "fsl::FDWaiter::Cancel raced with its callback on another thread, status=%d",
                status);
  // Destroyed at the end of this scope, with the waiter already idle, so that a callback whose
  // destructor reaches this waiter finds it in a consistent state.
  Callback unused = Release();
}

FDWaiter::Callback FDWaiter::Release() {
  const zx_status_t status = zx_handle_close(std::exchange(handle_, ZX_HANDLE_INVALID));
  ZX_ASSERT_MSG(status == ZX_OK, "fsl::FDWaiter: closing the wait's fd handle, status=%d", status);
  events_ = 0;
  Callback callback = std::move(callback_);
  callback_ = nullptr;
  return callback;
}

void FDWaiter::Handler(async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
                       const zx_packet_signal_t* signal) {
  (void)dispatcher;
  (void)wait;
  const uint32_t events = status == ZX_OK ? ReadyEvents(signal->observed, events_) : 0u;
  Callback callback = Release();
  // Last: the callback may Wait() again or destroy the waiter.
  callback(status, events);
}

}  // namespace fsl
