// <lib/async-testing/dispatcher_stub.h>: a base class for hand-written fake dispatchers.
//
// Also reachable under its 2018 path, <lib/async-testutils/dispatcher_stub.h>.

#ifndef LIB_ASYNC_TESTING_DISPATCHER_STUB_H_
#define LIB_ASYNC_TESTING_DISPATCHER_STUB_H_

#include <lib/async/dispatcher.h>
#include <lib/zx/guest.h>
#include <lib/zx/time.h>

namespace async {

// An `async_dispatcher_t` whose operations are C++ virtual functions. A test derives from it,
// overrides the operations it wants to observe or fake, and passes the object wherever an
// `async_dispatcher_t*` is expected (the conversion is the implicit derived-to-base one).
//
// The constructor points `ops` at a static `ASYNC_OPS_V2` table; each entry of that table turns
// the `async_dispatcher_t*` it receives back into this object and calls the matching virtual
// below. Every operation not overridden answers ZX_ERR_NOT_SUPPORTED and does nothing else,
// except Now(), which answers time 0.
//
// Thread-compatible: the stub adds no locking; an override that is called from several threads
// synchronizes itself. Not copyable or movable (the object's address is the dispatcher).
struct DispatcherStub : public async_dispatcher_t {
 public:
  DispatcherStub();
  virtual ~DispatcherStub();

  DispatcherStub(const DispatcherStub&) = delete;
  DispatcherStub& operator=(const DispatcherStub&) = delete;
  DispatcherStub(DispatcherStub&&) = delete;
  DispatcherStub& operator=(DispatcherStub&&) = delete;

  // Implements async_now(). Returns `zx::time(0)` unless overridden.
  virtual zx::time Now();

  // Implements async_begin_wait(). Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t BeginWait(async_wait_t* wait);

  // Implements async_cancel_wait(). Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t CancelWait(async_wait_t* wait);

  // Implements async_post_task(). Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t PostTask(async_task_t* task);

  // Implements async_cancel_task(). Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t CancelTask(async_task_t* task);

  // Implements async_queue_packet(); `data` may be null. Returns ZX_ERR_NOT_SUPPORTED unless
  // overridden.
  virtual zx_status_t QueuePacket(async_receiver_t* receiver, const zx_packet_user_t* data);

  // Implements async_set_guest_bell_trap(). The C call's guest handle arrives as `guest`, a
  // borrowed wrapper that is valid only during the call and never closes the handle. Returns
  // ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t SetGuestBellTrap(async_guest_bell_trap_t* trap, const zx::guest& guest,
                                       zx_vaddr_t addr, size_t length);

  // Implements async_bind_exception_port(). Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t BindExceptionPort(async_exception_t* exception);

  // Implements async_unbind_exception_port(). Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t UnbindExceptionPort(async_exception_t* exception);

  // Implements async_resume_from_exception(). The C call's `task` handle is not passed on, as
  // in Fuchsia's stub. Returns ZX_ERR_NOT_SUPPORTED unless overridden.
  virtual zx_status_t ResumeFromException(async_exception_t* exception, uint32_t options);
};

}  // namespace async

#endif  // LIB_ASYNC_TESTING_DISPATCHER_STUB_H_
