// <lib/async/dispatcher.h>: the dispatcher interface, a C table of operations that every
// asynchronous dispatcher (a message loop, a test loop, a stub) implements.
//
// Clients never call the table themselves: they call the wrapper functions declared in
// <lib/async/task.h>, <lib/async/wait.h>, <lib/async/receiver.h>, <lib/async/trap.h>,
// <lib/async/exception.h> and <lib/async/time.h>, whose comments give each operation's contract.
//
// Compiles as C11 and as C++. This header also brings in <zircon/types.h> and
// <zircon/syscalls/port.h>, so every packet type, status and signal is visible to the users of
// any lib/async header.

#ifndef LIB_ASYNC_DISPATCHER_H_
#define LIB_ASYNC_DISPATCHER_H_

#include <zircon/compiler.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// An asynchronous dispatcher: anything that runs handlers for tasks, waits and packets. Its
// only public member is its operations table (see `struct async_dispatcher` below). An
// implementation extends it by placing it first in a larger C struct or by deriving from it in
// C++, and recovers its own object from the `async_dispatcher_t*` each operation receives.
typedef struct async_dispatcher async_dispatcher_t;

// The operation records a client hands to a dispatcher. Each is declared in its own header.
typedef struct async_guest_bell_trap async_guest_bell_trap_t;  // <lib/async/trap.h>
typedef struct async_wait async_wait_t;                        // <lib/async/wait.h>
typedef struct async_task async_task_t;                        // <lib/async/task.h>
typedef struct async_receiver async_receiver_t;                // <lib/async/receiver.h>
typedef struct async_exception async_exception_t;              // <lib/async/exception.h>

// Storage that the dispatcher owns inside every operation record (`async_task_t::state` ...),
// so that it can track a pending operation without allocating.
//
// The client zeroes it before the record is first used: with `ASYNC_STATE_INIT` in an
// initializer, or with calloc(), memset() or value-initialization. While the operation is
// pending the client must not touch it; the dispatcher may use both words as it wishes (the
// loop keeps a list node here and reads "linked" as "pending").
typedef struct {
  uintptr_t reserved[2];
} async_state_t;

// Initializer for `async_state_t`: both words zero.
#define ASYNC_STATE_INIT \
  { 0u, 0u }

// The version of an operations table. Versions only ever grow by appending operations, so a
// table of version N is also a valid table of every version below N.
typedef uint32_t async_ops_version_t;

// Version 1: the `v1` operations (time, waits, tasks, packets, guest bell traps).
#define ASYNC_OPS_V1 ((async_ops_version_t)1)
// Version 2: the `v1` operations plus the `v2` ones (exception ports).
#define ASYNC_OPS_V2 ((async_ops_version_t)2)

// A dispatcher's operations table. Each member implements the wrapper function of the same
// name; see that function's comment for the contract.
//
// Rules for implementations:
// - Every member of every version up to `version` is a valid, non-NULL function pointer.
// - An operation the dispatcher does not support returns ZX_ERR_NOT_SUPPORTED and does nothing
//   else.
// - Operations come in groups: wait (begin/cancel), task (post/cancel) and exception
//   (bind/unbind/resume). Supporting one member of a group means supporting the whole group.
// - General-purpose dispatchers should support everything, since many clients assume so.
//
// The table is normally a static constant; the dispatcher keeps a pointer to it.
//
// Linux: this is the layout of Fuchsia's 2018 interface, where version 2 holds the exception
// operations. Later Fuchsia removed them and reused version 2 for interrupt and pager operations
// (`bind_irq` ...); that later layout is not offered, since a table has only one layout.
typedef struct async_ops {
  // The highest version this table implements, e.g. `ASYNC_OPS_V2`.
  async_ops_version_t version;

  // Reserved; set to zero.
  uint32_t reserved;

  // Version 1 operations.
  struct v1 {
    // Implements async_now().
    zx_time_t (*now)(async_dispatcher_t* dispatcher);
    // Implements async_begin_wait().
    zx_status_t (*begin_wait)(async_dispatcher_t* dispatcher, async_wait_t* wait);
    // Implements async_cancel_wait().
    zx_status_t (*cancel_wait)(async_dispatcher_t* dispatcher, async_wait_t* wait);
    // Implements async_post_task().
    zx_status_t (*post_task)(async_dispatcher_t* dispatcher, async_task_t* task);
    // Implements async_cancel_task().
    zx_status_t (*cancel_task)(async_dispatcher_t* dispatcher, async_task_t* task);
    // Implements async_queue_packet().
    zx_status_t (*queue_packet)(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                                const zx_packet_user_t* data);
    // Implements async_set_guest_bell_trap().
    zx_status_t (*set_guest_bell_trap)(async_dispatcher_t* dispatcher,
                                       async_guest_bell_trap_t* trap, zx_handle_t guest,
                                       zx_vaddr_t addr, size_t length);
  } v1;

  // Version 2 operations, present only when `version >= ASYNC_OPS_V2`.
  struct v2 {
    // Implements async_bind_exception_port().
    zx_status_t (*bind_exception_port)(async_dispatcher_t* dispatcher,
                                       async_exception_t* exception);
    // Implements async_unbind_exception_port().
    zx_status_t (*unbind_exception_port)(async_dispatcher_t* dispatcher,
                                         async_exception_t* exception);
    // Implements async_resume_from_exception().
    zx_status_t (*resume_from_exception)(async_dispatcher_t* dispatcher,
                                         async_exception_t* exception, zx_handle_t task,
                                         uint32_t options);
  } v2;
} async_ops_t;

// The public part of every dispatcher: a pointer to its operations table, which must stay
// valid for the dispatcher's lifetime.
struct async_dispatcher {
  const async_ops_t* ops;
};

__END_CDECLS

#endif  // LIB_ASYNC_DISPATCHER_H_
