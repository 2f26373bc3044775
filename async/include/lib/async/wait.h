// <lib/async/wait.h>: waits, handlers that a dispatcher runs when an object asserts signals.
//
// Compiles as C11 and as C++.

#ifndef LIB_ASYNC_WAIT_H_
#define LIB_ASYNC_WAIT_H_

#include <lib/async/dispatcher.h>

__BEGIN_CDECLS

// Completes a wait.
//
// `status` is ZX_OK when the wait was satisfied; `signal` then describes the signals observed
// and is valid only during the call. `status` is ZX_ERR_CANCELED when the dispatcher shut down
// before the wait completed; `signal` is then NULL.
//
// The handler may free, modify or begin `wait` again: the dispatcher no longer uses it.
typedef void(async_wait_handler_t)(async_dispatcher_t* dispatcher, async_wait_t* wait,
                                   zx_status_t status, const zx_packet_signal_t* signal);

// A one-shot wait for signals on an object, and its handler.
//
// Once async_begin_wait() has returned ZX_OK, the client keeps the record alive and unchanged
// until its handler has been called or async_cancel_wait() has returned ZX_OK. After that it
// may begin the wait again or free the record.
struct async_wait {
  // Owned by the dispatcher; zero it with `ASYNC_STATE_INIT` before the first begin.
  async_state_t state;

  // Called when the wait completes or is canceled by a shutdown.
  async_wait_handler_t* handler;

  // The object whose signals are watched. The handle stays owned by the client and must stay
  // open while the wait is pending.
  zx_handle_t object;

  // The signals to wait for: the wait completes when any of them is asserted.
  zx_signals_t trigger;
};

// Begins waiting, on `dispatcher`, for `wait->object` to assert any signal of `wait->trigger`.
// If one is already asserted, the wait completes promptly.
//
// If this returns ZX_OK the handler is called exactly once, unless async_cancel_wait() cancels
// the wait first: with ZX_OK when the wait completes, or with ZX_ERR_CANCELED if the dispatcher
// shuts down first. If it returns an error the handler is never called.
//
// `wait` is borrowed, not copied (see `struct async_wait` for how long it must live).
// Thread-safe.
//
// Returns ZX_OK if the wait was begun.
// Returns ZX_ERR_ACCESS_DENIED if `wait->object` lacks ZX_RIGHT_WAIT.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support waits.
zx_status_t async_begin_wait(async_dispatcher_t* dispatcher, async_wait_t* wait) __ZX_NOEXCEPT;

// Cancels `wait`, begun earlier on `dispatcher`, so that its handler is not called.
//
// A wait whose completion has already been taken from the dispatcher's queue (perhaps on
// another thread, or it is the wait whose handler is calling) can no longer be canceled: its
// handler runs or is running. Also works while the dispatcher is shutting down. Thread-safe.
//
// Returns ZX_OK if the wait was pending and is now canceled, together with any completion
// already queued for it; its handler will not be called and the client may free `wait` at
// once.
// Returns ZX_ERR_NOT_FOUND if the wait was not pending: it already completed, was never begun,
// or its completion has been taken from the queue for delivery.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support waits.
zx_status_t async_cancel_wait(async_dispatcher_t* dispatcher, async_wait_t* wait) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_WAIT_H_
