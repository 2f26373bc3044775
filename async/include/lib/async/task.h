// <lib/async/task.h>: tasks, handlers that a dispatcher runs once their deadline has come.
//
// Compiles as C11 and as C++.

#ifndef LIB_ASYNC_TASK_H_
#define LIB_ASYNC_TASK_H_

#include <lib/async/dispatcher.h>

__BEGIN_CDECLS

// Runs a task.
//
// `status` is ZX_OK when the task's deadline has come and the task should do its work, or
// ZX_ERR_CANCELED when the dispatcher shut down before the task could run.
//
// The handler may free, modify or post `task` again: the dispatcher no longer uses it.
typedef void(async_task_handler_t)(async_dispatcher_t* dispatcher, async_task_t* task,
                                   zx_status_t status);

// A task: a handler and the time at which to run it.
//
// Once async_post_task() has returned ZX_OK, the client keeps the record alive and unchanged
// until its handler has been called or async_cancel_task() has returned ZX_OK. After that it
// may post the record again or free it.
struct async_task {
  // Owned by the dispatcher; zero it with `ASYNC_STATE_INIT` before the first post.
  async_state_t state;

  // Called when the task runs or is canceled by a shutdown.
  async_task_handler_t* handler;

  // When to run: an absolute time in the dispatcher's time base (see async_now()). A deadline
  // already in the past means "as soon as possible".
  zx_time_t deadline;
};

// Posts `task` to run on `dispatcher` on or after `task->deadline`.
//
// Tasks run in deadline order; a task runs after every task posted before it whose deadline is
// less than or equal to its own, so tasks with equal deadlines run in posting order. If this
// returns ZX_OK the handler is called exactly once, unless async_cancel_task() cancels it
// first: with ZX_OK when the task runs, or with ZX_ERR_CANCELED if the dispatcher shuts down
// first. If it returns an error the handler is never called.
//
// `task` is borrowed, not copied (see `struct async_task` for how long it must live).
// Thread-safe.
//
// Returns ZX_OK if the task was posted.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks.
zx_status_t async_post_task(async_dispatcher_t* dispatcher, async_task_t* task) __ZX_NOEXCEPT;

// Cancels `task`, posted earlier to `dispatcher`, so that its handler is not called.
//
// A task that has already been taken off the queue to run (perhaps on another thread, or it is
// the task whose handler is calling) can no longer be canceled: its handler runs or is running.
// Also works while the dispatcher is shutting down. Thread-safe.
//
// Returns ZX_OK if the task was pending and is now canceled; its handler will not be called
// and the client may free `task` at once.
// Returns ZX_ERR_NOT_FOUND if the task was not pending: it already ran, was never posted, or
// has been taken off the queue to run.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks.
zx_status_t async_cancel_task(async_dispatcher_t* dispatcher, async_task_t* task) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_TASK_H_
