// <lib/async/exception.h>: exception receivers, handlers that a dispatcher runs for the exception
// reports of a task (job, process or thread) whose exception port it has bound.
//
// These are version 2 operations of the dispatcher interface: a dispatcher whose table is only
// `ASYNC_OPS_V1` answers every call here with ZX_ERR_NOT_SUPPORTED without doing anything.
//
// Compiles as C11 and as C++. (Fuchsia removed this header later, when exception ports gave way
// to exception channels.)
//
// Linux: portloop has no task objects yet (TODO(#6)), so the kernel calls behind these
// operations answer ZX_ERR_WRONG_TYPE for every valid handle, and a dispatcher that forwards to
// them returns that.

#ifndef LIB_ASYNC_EXCEPTION_H_
#define LIB_ASYNC_EXCEPTION_H_

#include <lib/async/dispatcher.h>

__BEGIN_CDECLS

// Receives one exception report.
//
// `status` is ZX_OK when a report arrived; `report` is then the whole port packet (its `type`
// is the ZX_EXCP_* kind, `exception.pid` and `exception.tid` name the faulting thread) and is
// valid only during the call. `status` is ZX_ERR_CANCELED when the dispatcher shut down while
// the port was bound; `report` is then NULL.
typedef void(async_exception_handler_t)(async_dispatcher_t* dispatcher,
                                        async_exception_t* exception, zx_status_t status,
                                        const zx_port_packet_t* report);

// An exception-port binding for one task, and its handler.
//
// While the port is bound, the client keeps the record alive and unchanged; the binding lasts
// until async_unbind_exception_port() or the dispatcher's shutdown, and reports keep arriving,
// one per exception, in the meantime. Several reports for the same record may be handled at the
// same time on different threads.
struct async_exception {
  // Owned by the dispatcher; zero it with `ASYNC_STATE_INIT` before the first bind.
  async_state_t state;

  // Called once for every report, and with ZX_ERR_CANCELED at shutdown.
  async_exception_handler_t* handler;

  // The task whose exceptions are received. The handle stays owned by the client.
  zx_handle_t task;

  // Options for zx_task_bind_exception_port(): 0, or ZX_EXCEPTION_PORT_DEBUGGER to bind the
  // debugger port of a process.
  uint32_t options;
};

// Binds the dispatcher's port as the exception port of `exception->task`, with
// `exception->options`. Each exception of the task then makes the dispatcher call the handler.
//
// `exception` is borrowed while bound (see `struct async_exception`). Thread-safe.
//
// Returns ZX_OK if the port was bound.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support exceptions.
// Returns any other status of zx_task_bind_exception_port(), e.g. ZX_ERR_ALREADY_BOUND if the
// task already has a port in that slot.
zx_status_t async_bind_exception_port(async_dispatcher_t* dispatcher,
                                      async_exception_t* exception) __ZX_NOEXCEPT;

// Unbinds the dispatcher's port from `exception->task`. No report arrives after it returns
// ZX_OK, although handlers already running may still be running. Also works while the
// dispatcher is shutting down. Thread-safe.
//
// Returns ZX_OK if the port was unbound; the client may then free `exception`.
// Returns ZX_ERR_NOT_FOUND if `exception` is not bound through this dispatcher.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support exceptions.
// Returns any other status of zx_task_bind_exception_port().
zx_status_t async_unbind_exception_port(async_dispatcher_t* dispatcher,
                                        async_exception_t* exception) __ZX_NOEXCEPT;

// Answers an exception reported through `exception`: resumes the thread `task` (the thread the
// report named, which differs from `exception->task` when a process or job is bound) with
// `options`, 0 to retry the faulting instruction or ZX_RESUME_TRY_NEXT to pass the exception to
// the next handler. Thread-safe.
//
// Returns ZX_OK if the thread was resumed.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support exceptions.
// Returns any other status of zx_task_resume_from_exception().
zx_status_t async_resume_from_exception(async_dispatcher_t* dispatcher,
                                        async_exception_t* exception, zx_handle_t task,
                                        uint32_t options) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_EXCEPTION_H_
