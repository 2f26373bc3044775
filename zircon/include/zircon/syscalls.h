// <zircon/syscalls.h>: the Zircon system calls that portloop implements.
//
// Each call behaves as the Zircon call of the same name: same arguments, same statuses, same
// order of checks. portloop implements them in user space on Linux, on objects that live in the
// calling process; a handle is valid only inside the process that created it.
//
// Common rules, not repeated below:
// - Every call is thread-safe and may be made from any thread.
// - A handle argument is checked in this order: it must name a handle (ZX_ERR_BAD_HANDLE), the
//   handle must have the rights the call needs (ZX_ERR_ACCESS_DENIED), and its object must have
//   the type the call needs (ZX_ERR_WRONG_TYPE).
// - Out parameters are written only when the call returns ZX_OK, unless stated otherwise.
// - In C++ every call is declared noexcept: none of them throws.
// - Deadlines are absolute times on the monotonic clock; ZX_TIME_INFINITE never arrives and any
//   deadline at or before now has already passed.
//
// Linux: pointer arguments are not probed. A NULL pointer where one is required returns
// ZX_ERR_INVALID_ARGS as on Zircon; any other invalid pointer is undefined behaviour, where Zircon
// would return ZX_ERR_INVALID_ARGS.

#ifndef ZIRCON_SYSCALLS_H_
#define ZIRCON_SYSCALLS_H_

#include <zircon/compiler.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/time.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// ---- Time ----

// Returns the current time of clock `clock_id` in nanoseconds: ZX_CLOCK_MONOTONIC (time since
// boot, never decreasing), ZX_CLOCK_UTC (wall-clock time) or ZX_CLOCK_THREAD (CPU time used by
// the calling thread). Returns 0 for any other clock id.
//
// Linux: the clocks are CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_THREAD_CPUTIME_ID.
zx_time_t zx_clock_get(zx_clock_t clock_id) __ZX_NOEXCEPT;

// Stores the current time of clock `clock_id` (see zx_clock_get()) in `*out`.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `clock_id` is not a known clock or `out` is NULL.
zx_status_t zx_clock_get_new(zx_clock_t clock_id, zx_time_t* out) __ZX_NOEXCEPT;

// Returns the current monotonic time in nanoseconds: never decreases. Same as
// zx_clock_get(ZX_CLOCK_MONOTONIC).
zx_time_t zx_clock_get_monotonic(void) __ZX_NOEXCEPT;

// Blocks the calling thread until `deadline`. A `deadline` of 0 or less only yields the CPU.
//
// Returns ZX_OK (always).
zx_status_t zx_nanosleep(zx_time_t deadline) __ZX_NOEXCEPT;

// Returns the deadline `nanoseconds` from now: zx_time_add_duration(zx_clock_get_monotonic(),
// nanoseconds), so it saturates at ZX_TIME_INFINITE / ZX_TIME_INFINITE_PAST.
zx_time_t zx_deadline_after(zx_duration_t nanoseconds) __ZX_NOEXCEPT;

// Returns a monotonically increasing tick count; zx_ticks_per_second() gives its rate.
//
// Linux: ticks are nanoseconds of the monotonic clock, so zx_ticks_per_second() is 1e9.
zx_ticks_t zx_ticks_get(void) __ZX_NOEXCEPT;

// Returns the number of zx_ticks_get() ticks per second. Constant for the life of the process.
zx_ticks_t zx_ticks_per_second(void) __ZX_NOEXCEPT;

// ---- Handles ----

// Closes `handle`. Closing a handle:
// - removes every async wait registered through this handle (packets already queued on a port
//   stay there and are still delivered);
// - ends zx_object_wait_one()/zx_object_wait_many() calls waiting through it, which return
//   ZX_ERR_CANCELED with ZX_SIGNAL_HANDLE_CLOSED observed;
// - when it was the object's last handle, destroys the object: a peer gets PEER_CLOSED, a port
//   drops its queued packets and unbinds its exception ports, a timer is canceled.
// Closing ZX_HANDLE_INVALID does nothing.
//
// Returns ZX_OK if the handle was closed or was ZX_HANDLE_INVALID.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
zx_status_t zx_handle_close(zx_handle_t handle) __ZX_NOEXCEPT;

// Closes each of the `num_handles` handles in `handles` as zx_handle_close() does, skipping
// entries equal to ZX_HANDLE_INVALID. An entry that names no handle does not stop the others from
// being closed.
//
// Returns ZX_OK if every entry was closed or was ZX_HANDLE_INVALID.
// Returns ZX_ERR_BAD_HANDLE if any entry names no handle.
// Returns ZX_ERR_INVALID_ARGS if `handles` is NULL and `num_handles` is not 0.
zx_status_t zx_handle_close_many(const zx_handle_t* handles, size_t num_handles) __ZX_NOEXCEPT;

// Creates in `*out` a second handle to the object of `handle`, with `rights`, or with the same
// rights as `handle` if `rights` is ZX_RIGHT_SAME_RIGHTS. `handle` stays valid. Needs
// ZX_RIGHT_DUPLICATE.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_DUPLICATE.
// Returns ZX_ERR_INVALID_ARGS if `rights` is not a subset of `handle`'s rights, or `out` is NULL.
// Returns ZX_ERR_NO_MEMORY if the new handle could not be allocated.
zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights,
                                zx_handle_t* out) __ZX_NOEXCEPT;

// Replaces `handle` by a new handle in `*out` to the same object, with `rights` (or the same
// rights, for ZX_RIGHT_SAME_RIGHTS). Needs no right. `handle` is invalidated whether or not the
// call succeeds, unless it named no handle. ZX_RIGHT_NONE is allowed and yields a handle that can
// do almost nothing.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_INVALID_ARGS if `rights` is not a subset of `handle`'s rights, or `out` is NULL.
// Returns ZX_ERR_NO_MEMORY if the new handle could not be allocated.
zx_status_t zx_handle_replace(zx_handle_t handle, zx_rights_t rights,
                              zx_handle_t* out) __ZX_NOEXCEPT;

// ---- Objects: waiting and signaling ----

// Blocks until any of `signals` is asserted on the object of `handle` or `deadline` passes.
// Returns at once if one already is, even with a past deadline. `observed`, if not NULL, receives
// the object's whole signal state when the wait ended (also on ZX_ERR_TIMED_OUT and
// ZX_ERR_CANCELED). Needs ZX_RIGHT_WAIT.
//
// Returns ZX_OK if one of `signals` is asserted.
// Returns ZX_ERR_TIMED_OUT if `deadline` passed first.
// Returns ZX_ERR_CANCELED if `handle` was closed during the wait (`observed` then includes
// ZX_SIGNAL_HANDLE_CLOSED).
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WAIT.
// Returns ZX_ERR_NOT_SUPPORTED if the object cannot be waited on.
zx_status_t zx_object_wait_one(zx_handle_t handle, zx_signals_t signals, zx_time_t deadline,
                               zx_signals_t* observed) __ZX_NOEXCEPT;

// Blocks until, for any of the `count` items, one of `items[i].waitfor` is asserted on the
// object of `items[i].handle`, or `deadline` passes. Stores each object's whole signal state in
// `items[i].pending` when the wait ends (also on ZX_ERR_TIMED_OUT and ZX_ERR_CANCELED). A `count`
// of 0 just sleeps until `deadline`. Needs ZX_RIGHT_WAIT on every handle.
//
// Returns ZX_OK if some item's signals are asserted.
// Returns ZX_ERR_TIMED_OUT if `deadline` passed first (always, when `count` is 0).
// Returns ZX_ERR_CANCELED if one of the handles was closed during the wait (its `pending` then
// includes ZX_SIGNAL_HANDLE_CLOSED).
// Returns ZX_ERR_OUT_OF_RANGE if `count` exceeds ZX_WAIT_MANY_MAX_ITEMS.
// Returns ZX_ERR_INVALID_ARGS if `items` is NULL and `count` is not 0.
// Returns ZX_ERR_BAD_HANDLE if an item's handle names no handle.
// Returns ZX_ERR_ACCESS_DENIED if an item's handle lacks ZX_RIGHT_WAIT.
// Returns ZX_ERR_NOT_SUPPORTED if an item's object cannot be waited on.
zx_status_t zx_object_wait_many(zx_wait_item_t* items, size_t count,
                                zx_time_t deadline) __ZX_NOEXCEPT;

// Registers an asynchronous wait: when any of `signals` is asserted on the object of `handle`,
// a packet {key = `key`, type = ZX_PKT_TYPE_SIGNAL_ONE (or _SIGNAL_REP), status = ZX_OK,
// signal = {trigger = `signals`, observed = the object's whole state, count = 1}} is queued on
// `port`. If a signal is already asserted, the packet is queued before this call returns.
// - ZX_WAIT_ASYNC_ONCE: one packet, then the wait is removed.
// - ZX_WAIT_ASYNC_REPEATING: the wait stays; each later state change with a `signals` bit
//   asserted queues a new packet, or, while the previous packet is still queued, ORs the new
//   state into its `observed` (it keeps its place in the queue).
// The wait is removed by zx_port_cancel(port, handle, key), by closing `handle` (queued packets
// stay), or silently when its packet cannot be queued (port full or closed).
// Needs ZX_RIGHT_WAIT on `handle` and ZX_RIGHT_WRITE on `port`.
//
// Returns ZX_OK if the wait was registered.
// Returns ZX_ERR_BAD_HANDLE if `port` or `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `port` lacks ZX_RIGHT_WRITE or `handle` lacks ZX_RIGHT_WAIT.
// Returns ZX_ERR_WRONG_TYPE if `port` is not a port.
// Returns ZX_ERR_NOT_SUPPORTED if the object of `handle` cannot be waited on.
// Returns ZX_ERR_INVALID_ARGS if `options` is neither ZX_WAIT_ASYNC_ONCE nor
// ZX_WAIT_ASYNC_REPEATING.
// Returns ZX_ERR_NO_MEMORY if the wait could not be allocated.
zx_status_t zx_object_wait_async(zx_handle_t handle, zx_handle_t port, uint64_t key,
                                 zx_signals_t signals, uint32_t options) __ZX_NOEXCEPT;

// Sets the object's signal state to (state & ~`clear_mask`) | `set_mask`. Only user signals
// (ZX_USER_SIGNAL_ALL) may be changed, plus ZX_EVENT_SIGNALED on events and event pairs. Waiters
// and async waits are notified only if the state actually changed. Needs ZX_RIGHT_SIGNAL.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_SIGNAL.
// Returns ZX_ERR_INVALID_ARGS if either mask has a bit this object does not let callers change.
// Returns ZX_ERR_NOT_SUPPORTED if the object has no signals (for example a port).
zx_status_t zx_object_signal(zx_handle_t handle, uint32_t clear_mask,
                             uint32_t set_mask) __ZX_NOEXCEPT;

// Like zx_object_signal(), applied to the peer of the object of `handle` (the other end of an
// event pair or channel). Needs ZX_RIGHT_SIGNAL_PEER.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_SIGNAL_PEER.
// Returns ZX_ERR_INVALID_ARGS if either mask has a bit the peer does not let callers change.
// Returns ZX_ERR_NOT_SUPPORTED if the object has no peer (event, timer, port, ...).
// Returns ZX_ERR_PEER_CLOSED if the peer has been destroyed.
zx_status_t zx_object_signal_peer(zx_handle_t handle, uint32_t clear_mask,
                                  uint32_t set_mask) __ZX_NOEXCEPT;

// Copies information of kind `topic` (ZX_INFO_*, see <zircon/syscalls/object.h>) about the
// object of `handle` into `buffer` of `buffer_size` bytes. `actual_count` and `avail_count`, if
// not NULL, receive the number of records written and available; they are written also when the
// buffer is too small. ZX_INFO_HANDLE_VALID only checks the handle; ZX_INFO_HANDLE_BASIC needs no
// right; the task topics (ZX_INFO_THREAD, ...) need ZX_RIGHT_INSPECT.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks the right the topic needs.
// Returns ZX_ERR_WRONG_TYPE if the topic does not apply to the object's type.
// Returns ZX_ERR_BUFFER_TOO_SMALL if a fixed-size record does not fit in `buffer_size`.
// Returns ZX_ERR_INVALID_ARGS if `buffer` is NULL while a record has to be written.
// Returns ZX_ERR_NOT_SUPPORTED if `topic` is unknown or not implemented.
//
// Returns ZX_ERR_BAD_STATE for ZX_INFO_THREAD_EXCEPTION_REPORT if the thread is not in an
// exception.
//
// Linux: implemented are ZX_INFO_HANDLE_VALID, ZX_INFO_HANDLE_BASIC, ZX_INFO_PROCESS (this
// process, and child processes of <zircon/linux/process.h>), ZX_INFO_THREAD and
// ZX_INFO_THREAD_EXCEPTION_REPORT (x86-64 vector, error code and faulting address, from the
// fault signal's context). The other task topics return ZX_ERR_NOT_SUPPORTED on a process and
// ZX_ERR_WRONG_TYPE on other objects.
zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void* buffer, size_t buffer_size,
                               size_t* actual_count, size_t* avail_count) __ZX_NOEXCEPT;

// ---- Events and event pairs ----

// Creates an event: a waitable object with no state but its signals, initially all clear.
// `*out` receives a handle with ZX_DEFAULT_EVENT_RIGHTS.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0 or `out` is NULL.
// Returns ZX_ERR_NO_MEMORY if the event could not be allocated.
zx_status_t zx_event_create(uint32_t options, zx_handle_t* out) __ZX_NOEXCEPT;

// Creates a pair of events, each able to signal itself and its peer. When the last handle to one
// end closes, the other end gets ZX_EVENTPAIR_PEER_CLOSED, permanently. `*out0` and `*out1`
// receive handles with ZX_DEFAULT_EVENTPAIR_RIGHTS.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_NOT_SUPPORTED if `options` is not 0 (Zircon's status here, unlike the other
// create calls).
// Returns ZX_ERR_INVALID_ARGS if `out0` or `out1` is NULL.
// Returns ZX_ERR_NO_MEMORY if the pair could not be allocated.
zx_status_t zx_eventpair_create(uint32_t options, zx_handle_t* out0,
                                zx_handle_t* out1) __ZX_NOEXCEPT;

// ---- Channels ----

// Creates a channel: two endpoints, each with a FIFO of messages written by the other. Both start
// with ZX_CHANNEL_WRITABLE asserted. `*out0` and `*out1` receive handles with
// ZX_DEFAULT_CHANNEL_RIGHTS (which exclude ZX_RIGHT_DUPLICATE).
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0, or `out0` or `out1` is NULL.
// Returns ZX_ERR_NO_MEMORY if the channel could not be allocated.
zx_status_t zx_channel_create(uint32_t options, zx_handle_t* out0, zx_handle_t* out1) __ZX_NOEXCEPT;

// Reads the next message of the endpoint `handle`: up to `num_bytes` bytes into `bytes` and up
// to `num_handles` handles into `handles`, which become the caller's. `actual_bytes` and
// `actual_handles`, if not NULL, receive the message's sizes, also on ZX_ERR_BUFFER_TOO_SMALL.
// ZX_CHANNEL_READABLE is cleared when the queue becomes empty. Needs ZX_RIGHT_READ.
// `options` is 0 or ZX_CHANNEL_READ_MAY_DISCARD (drop a message that does not fit).
//
// Returns ZX_OK if a message was read.
// Returns ZX_ERR_SHOULD_WAIT if no message is queued and the peer is open.
// Returns ZX_ERR_PEER_CLOSED if no message is queued and the peer is closed (queued messages
// stay readable after the peer closes).
// Returns ZX_ERR_BUFFER_TOO_SMALL if the next message does not fit; it stays queued unless
// ZX_CHANNEL_READ_MAY_DISCARD was given.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_READ.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a channel.
// Returns ZX_ERR_NOT_SUPPORTED if `options` has an unknown bit.
// Returns ZX_ERR_INVALID_ARGS if `bytes` or `handles` is NULL while its part must be written.
zx_status_t zx_channel_read(zx_handle_t handle, uint32_t options, void* bytes, zx_handle_t* handles,
                            uint32_t num_bytes, uint32_t num_handles, uint32_t* actual_bytes,
                            uint32_t* actual_handles) __ZX_NOEXCEPT;

// Like zx_channel_read(), but each received handle comes with its object type and rights.
zx_status_t zx_channel_read_etc(zx_handle_t handle, uint32_t options, void* bytes,
                                zx_handle_info_t* handles, uint32_t num_bytes, uint32_t num_handles,
                                uint32_t* actual_bytes, uint32_t* actual_handles) __ZX_NOEXCEPT;

// Writes a message of `num_bytes` bytes and `num_handles` handles to the peer of the endpoint
// `handle`, and asserts the peer's ZX_CHANNEL_READABLE. Every handle in `handles` is consumed
// (moved into the message, or closed) whether the write succeeds or fails. Needs ZX_RIGHT_WRITE,
// and ZX_RIGHT_TRANSFER on each handle sent. There is no queue limit.
//
// Returns ZX_OK if the message was queued.
// Returns ZX_ERR_PEER_CLOSED if the peer is closed.
// Returns ZX_ERR_OUT_OF_RANGE if `num_bytes` exceeds ZX_CHANNEL_MAX_MSG_BYTES or `num_handles`
// exceeds ZX_CHANNEL_MAX_MSG_HANDLES.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0, or `bytes`/`handles` is NULL with a nonzero
// count.
// Returns ZX_ERR_BAD_HANDLE if `handle` or a handle to send names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WRITE or a handle to send lacks
// ZX_RIGHT_TRANSFER.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a channel.
// Returns ZX_ERR_NOT_SUPPORTED if `handle` itself is among the handles to send.
// Returns ZX_ERR_NO_MEMORY if the message could not be allocated.
zx_status_t zx_channel_write(zx_handle_t handle, uint32_t options, const void* bytes,
                             uint32_t num_bytes, const zx_handle_t* handles,
                             uint32_t num_handles) __ZX_NOEXCEPT;

// ---- Ports ----

// Creates a port: a thread-safe FIFO of zx_port_packet_t. `*out` receives a handle with
// ZX_DEFAULT_PORT_RIGHTS (no ZX_RIGHT_WAIT: ports cannot be waited on).
// `options` is 0 or ZX_PORT_BIND_TO_INTERRUPT.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` has an unknown bit or `out` is NULL.
// Returns ZX_ERR_NO_MEMORY if the port could not be allocated.
zx_status_t zx_port_create(uint32_t options, zx_handle_t* out) __ZX_NOEXCEPT;

// Queues a copy of `*packet` on the port, with `type` forced to ZX_PKT_TYPE_USER; `key`,
// `status` and the 32 payload bytes are kept. The caller keeps ownership of `packet`.
// Needs ZX_RIGHT_WRITE.
//
// Returns ZX_OK if the packet was queued.
// Returns ZX_ERR_SHOULD_WAIT if the port already holds more than 2048 user packets (as in Zircon,
// the 2049th is still accepted).
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a port.
// Returns ZX_ERR_INVALID_ARGS if `packet` is NULL.
// Returns ZX_ERR_NO_MEMORY if the packet could not be allocated.
zx_status_t zx_port_queue(zx_handle_t handle, const zx_port_packet_t* packet) __ZX_NOEXCEPT;

// Dequeues the oldest packet of the port into `*packet`, blocking until one is queued or
// `deadline` passes. Each packet goes to exactly one waiter, so many threads may wait on one port.
// Needs ZX_RIGHT_READ.
//
// Returns ZX_OK if a packet was dequeued.
// Returns ZX_ERR_TIMED_OUT if `deadline` passed with the port empty (at once for a past deadline).
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_READ.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a port.
// Returns ZX_ERR_INVALID_ARGS if `packet` is NULL.
zx_status_t zx_port_wait(zx_handle_t handle, zx_time_t deadline,
                         zx_port_packet_t* packet) __ZX_NOEXCEPT;

// Removes the async waits registered on the port through the handle `source` with `key`, and the
// packets they queued that have not been dequeued yet. Matching is by handle, not by object: waits
// registered through another handle to the same object are untouched. User packets are never
// removed. Needs ZX_RIGHT_WRITE on `handle` and ZX_RIGHT_WAIT on `source`.
//
// Returns ZX_OK if a wait or packet was removed.
// Returns ZX_ERR_NOT_FOUND if nothing matched (for example the packet was already dequeued).
// Returns ZX_ERR_BAD_HANDLE if `handle` or `source` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WRITE or `source` lacks ZX_RIGHT_WAIT.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a port.
// Returns ZX_ERR_NOT_SUPPORTED if the object of `source` cannot be waited on.
zx_status_t zx_port_cancel(zx_handle_t handle, zx_handle_t source, uint64_t key) __ZX_NOEXCEPT;

// ---- Timers ----

// Creates a timer on clock `clock_id`, initially disarmed with ZX_TIMER_SIGNALED clear.
// `options` (ZX_TIMER_SLACK_CENTER, _EARLY or _LATE) says in which direction a deadline may be
// moved by its slack. `*out` receives a handle with ZX_DEFAULT_TIMER_RIGHTS.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not a ZX_TIMER_SLACK_* value, `clock_id` is not
// ZX_CLOCK_MONOTONIC, or `out` is NULL.
// Returns ZX_ERR_NO_MEMORY if the timer could not be allocated.
zx_status_t zx_timer_create(uint32_t options, zx_clock_t clock_id, zx_handle_t* out) __ZX_NOEXCEPT;

// Arms the timer for `deadline`, replacing any earlier deadline and clearing ZX_TIMER_SIGNALED.
// If `deadline` has already passed, ZX_TIMER_SIGNALED is asserted before the call returns;
// otherwise it is asserted when `deadline` (moved by at most `slack` as the creation option
// allows) is reached, and stays asserted until the next zx_timer_set() or zx_timer_cancel().
// Needs ZX_RIGHT_WRITE.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_OUT_OF_RANGE if `slack` is negative.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a timer.
zx_status_t zx_timer_set(zx_handle_t handle, zx_time_t deadline, zx_duration_t slack) __ZX_NOEXCEPT;

// Disarms the timer and clears ZX_TIMER_SIGNALED. Needs ZX_RIGHT_WRITE.
//
// Returns ZX_OK on success, also if the timer was not armed.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a timer.
zx_status_t zx_timer_cancel(zx_handle_t handle) __ZX_NOEXCEPT;

// ---- Exceptions ----

// Binds `port` as the exception port of the task `handle` (a job, process or thread), or with
// ZX_EXCEPTION_PORT_DEBUGGER as the debugger port of a process or job. When a thread of the task
// takes an exception, a packet {key = `key`, type = ZX_EXCP_*, exception = {pid, tid}} is queued
// on the port and the thread waits for zx_task_resume_from_exception(). Ports are tried in the
// order: process debugger, thread, process, job and each parent job; if none answers, the process
// is killed. With `port` = ZX_HANDLE_INVALID, unbinds the port selected by `options`; threads
// waiting on it continue as if answered with ZX_RESUME_TRY_NEXT. No rights are checked.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is neither 0 nor ZX_EXCEPTION_PORT_DEBUGGER, or is
// ZX_EXCEPTION_PORT_DEBUGGER for a thread.
// Returns ZX_ERR_ALREADY_BOUND if a port is already bound in that slot.
// Returns ZX_ERR_BAD_STATE if unbinding and no port is bound in that slot.
// Returns ZX_ERR_NOT_FOUND if the task is dead.
// Returns ZX_ERR_BAD_HANDLE if `handle` or `port` names no handle.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a task or `port` is not a port.
//
// Linux: the tasks are this process (zx_process_self()) and its threads; jobs and child
// processes (<zircon/linux/process.h>) return ZX_ERR_WRONG_TYPE. Faults are the synchronous
// signals SIGSEGV and SIGBUS (ZX_EXCP_FATAL_PAGE_FAULT), SIGILL (ZX_EXCP_UNDEFINED_INSTRUCTION),
// SIGTRAP (ZX_EXCP_SW_BREAKPOINT, or _HW_BREAKPOINT) and SIGFPE (ZX_EXCP_GENERAL), caught by
// handlers installed with the first binding (which keep the handlers installed before them)
// and removed with the last. When no port takes a fault, the handler installed before
// portloop's runs, or, if there was none, the process meets the fault as it would have
// without portloop (same signal, same core dump). Signals sent with kill()/raise() are not
// exceptions.
zx_status_t zx_task_bind_exception_port(zx_handle_t handle, zx_handle_t port, uint64_t key,
                                        uint32_t options) __ZX_NOEXCEPT;

// Answers the exception that the thread `handle` reported to `port`: with `options` 0 the thread
// resumes at the faulting instruction; with ZX_RESUME_TRY_NEXT the exception goes to the next
// port in the search order. The first answer wins.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_STATE if the thread is not waiting on an exception, or it was already
// answered.
// Returns ZX_ERR_ACCESS_DENIED if the exception was not reported to `port`.
// Returns ZX_ERR_INVALID_ARGS if `options` is neither 0 nor ZX_RESUME_TRY_NEXT.
// Returns ZX_ERR_BAD_HANDLE if `handle` or `port` names no handle.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a thread or `port` is not a port.
//
zx_status_t zx_task_resume_from_exception(zx_handle_t handle, zx_handle_t port,
                                          uint32_t options) __ZX_NOEXCEPT;

// ---- Threads and tasks ----

// Creates a thread of `process` (which must be zx_process_self()), not yet running, in `*out`
// with ZX_DEFAULT_THREAD_RIGHTS. `name` (`name_size` bytes) is accepted and ignored.
// Needs ZX_RIGHT_MANAGE_THREAD on `process`.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0, `out` is null, or `name` is null with a
// nonzero `name_size`.
// Returns ZX_ERR_BAD_HANDLE if `process` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `process` lacks ZX_RIGHT_MANAGE_THREAD.
// Returns ZX_ERR_WRONG_TYPE if `process` is not a process.
// Returns ZX_ERR_NOT_SUPPORTED if `process` is a child process (<zircon/linux/process.h>).
// Returns ZX_ERR_NO_MEMORY if out of memory.
zx_status_t zx_thread_create(zx_handle_t process, const char* name, size_t name_size,
                             uint32_t options, zx_handle_t* out) __ZX_NOEXCEPT;

// Starts the thread `handle`: it runs `entry(arg1, arg2)` with its stack pointer at `stack`
// (the top of the stack; aligned down to 16 bytes). When `entry` returns, the thread ends and
// asserts ZX_THREAD_TERMINATED. Needs ZX_RIGHT_WRITE.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_STATE if the thread was already started or killed.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a thread.
// Returns ZX_ERR_NO_RESOURCES if Linux refused to create a thread.
//
// Linux: the thread is a pthread that switches to `stack` (x86-64 only); `entry` 0 faults at
// once. Unlike Zircon, `entry` may return.
zx_status_t zx_thread_start(zx_handle_t handle, uintptr_t entry, uintptr_t stack, uintptr_t arg1,
                            uintptr_t arg2) __ZX_NOEXCEPT;

// Kills the task `handle`. Needs ZX_RIGHT_DESTROY. A thread not yet started is terminated at
// once. A started thread ends wherever it is, running nothing more: in its own code at once;
// inside a call, as the call returns (the call never returns to it); a wait it sleeps in ends
// early. A thread parked in an exception stops exception processing and ends. The kill is
// asynchronous: the thread is dead once it asserts ZX_THREAD_TERMINATED. A thread killing itself
// does not return from the call. Killing a dead thread succeeds.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_DESTROY.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a task.
// Returns ZX_ERR_NOT_SUPPORTED for a thread adopted by zx_thread_self() (one zx_thread_start did
// not start, the main thread included), or a process.
//
// Linux: a running thread is sent the signal SIGRTMIN + 9, whose handler portloop installs at the
// first such kill; a thread that blocks it dies once it unblocks it. An adopted pthread cannot be
// ended from outside without leaking what it holds (locks, memory), so it cannot be killed.
zx_status_t zx_task_kill(zx_handle_t handle) __ZX_NOEXCEPT;

// ---- Hypervisor ----
//
// Linux: guests are KVM virtual machines (x86-64 hosts with /dev/kvm). A guest's memory is
// ZX_LINUX_GUEST_MEMORY_SIZE bytes at guest-physical 0, reached by the host through
// zx_linux_guest_memory() in <zircon/linux/guest.h>.

// Creates a guest in `*guest_handle` with ZX_DEFAULT_GUEST_RIGHTS. Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0 or an out pointer is null.
// Returns ZX_ERR_NOT_SUPPORTED if the host has no usable /dev/kvm.
// Returns ZX_ERR_NO_MEMORY or ZX_ERR_NO_RESOURCES if Linux refuses the VM or its memory.
//
// Linux: there are no resources, so `resource` is ignored (pass ZX_HANDLE_INVALID); there are no
// VMARs, so `*vmar_handle` is set to ZX_HANDLE_INVALID (see zx_linux_guest_memory()).
zx_status_t zx_guest_create(zx_handle_t resource, uint32_t options, zx_handle_t* guest_handle,
                            zx_handle_t* vmar_handle) __ZX_NOEXCEPT;

// Sets a trap of kind `kind` (ZX_GUEST_TRAP_*, <zircon/syscalls/hypervisor.h>) on the
// guest-physical range [`addr`, `addr` + `size`) of the guest `handle` (for ZX_GUEST_TRAP_IO, on
// the I/O ports in that range). For ZX_GUEST_TRAP_BELL, each guest write in the range queues
// {key = `key`, type = ZX_PKT_TYPE_GUEST_BELL, status = ZX_OK, guest_bell = {addr = the address
// written}} on `port` while the vCPU continues; each trap has 256 packets, and when all are in
// flight (queued and not yet dequeued) the writing vCPU waits for one to be dequeued, so no bell
// is lost. Destroying the guest removes its trap's packets still queued. ZX_GUEST_TRAP_MEM and
// ZX_GUEST_TRAP_IO take no port: accesses stop zx_vcpu_resume() with a packet instead. Needs
// ZX_RIGHT_WRITE on `handle` and on `port`. Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `kind` is unknown or `size` is 0; for ZX_GUEST_TRAP_BELL if
// `port` is ZX_HANDLE_INVALID; for the other kinds if `port` is not ZX_HANDLE_INVALID; for BELL
// and MEM if `addr` or `size` is not page-aligned.
// Returns ZX_ERR_OUT_OF_RANGE if `addr` + `size` overflows.
// Returns ZX_ERR_ALREADY_EXISTS if the range overlaps a trap in the same address space (BELL and
// MEM traps share one; IO traps have their own).
// Returns ZX_ERR_BAD_HANDLE if `handle` or `port` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` or `port` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a guest or `port` is not a port.
// Returns ZX_ERR_NO_MEMORY if out of memory.
//
// Linux: Zircon refuses only a second trap starting at the same address; portloop refuses any
// overlap, so that each guest access belongs to one trap.
zx_status_t zx_guest_set_trap(zx_handle_t handle, uint32_t kind, zx_vaddr_t addr, size_t size,
                              zx_handle_t port, uint64_t key) __ZX_NOEXCEPT;

// Creates a vCPU of `guest` in `*out` with ZX_DEFAULT_VCPU_RIGHTS, starting at guest-physical
// `entry`. Needs ZX_RIGHT_MANAGE_PROCESS on `guest`. Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `options` is not 0, `out` is null, or `entry` is not usable.
// Returns ZX_ERR_BAD_HANDLE if `guest` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `guest` lacks ZX_RIGHT_MANAGE_PROCESS.
// Returns ZX_ERR_WRONG_TYPE if `guest` is not a guest.
// Returns ZX_ERR_NO_RESOURCES if KVM refuses another vCPU.
//
// Linux: the vCPU starts in 16-bit real mode with CS = `entry` / 16 (base `entry`) and IP = 0,
// so `entry` must be 16-byte aligned and below 0xFFFF0 (Zircon's x86 vCPUs start in 64-bit mode).
zx_status_t zx_vcpu_create(zx_handle_t guest, uint32_t options, zx_vaddr_t entry,
                           zx_handle_t* out) __ZX_NOEXCEPT;

// Runs the vCPU `handle` on the calling thread until the guest makes an access the caller must
// handle, described in `*packet`: ZX_PKT_TYPE_GUEST_MEM for a MEM trap, ZX_PKT_TYPE_GUEST_IO
// for an IO trap (for an input, write the value with zx_vcpu_write_state(ZX_VCPU_IO) before
// resuming). Bell writes never return here: their packets are queued and the guest continues,
// except that while all of a bell trap's packets are in flight this call waits for one to be
// dequeued (or for the port's last handle to close). Needs ZX_RIGHT_EXECUTE. One thread at a
// time.
//
// Returns ZX_OK with `*packet` filled.
// Returns ZX_ERR_INVALID_ARGS if `packet` is null.
// Returns ZX_ERR_BAD_HANDLE if `handle` names no handle.
// Returns ZX_ERR_ACCESS_DENIED if `handle` lacks ZX_RIGHT_EXECUTE.
// Returns ZX_ERR_WRONG_TYPE if `handle` is not a vCPU.
// Returns ZX_ERR_BAD_STATE if another thread is resuming the vCPU.
// Returns ZX_ERR_NOT_FOUND if the guest accessed an address with neither memory nor a trap.
// Returns ZX_ERR_NOT_SUPPORTED if the guest read a bell range, used an I/O port with no trap
// (or a string I/O instruction), or stopped for a reason portloop does not handle.
// Returns ZX_ERR_INTERNAL if KVM failed to run the guest or the guest shut down (triple fault).
//
// Linux: setting a trap while the guest runs is safe (memory that briefly leaves KVM's slots is
// accessed on the guest's behalf). There is no zx_vcpu_kick(): a waiting vCPU resumes only when
// a bell packet is dequeued or its port closes.
// Linux: returns ZX_ERR_STOP when the guest executes HLT: with no interrupt controller nothing
// would ever wake it. Resuming continues after the HLT. A MEM packet carries only `addr` (KVM has
// already decoded the instruction: `inst_len` is 0), and a read of a MEM trap yields zeros.
zx_status_t zx_vcpu_resume(zx_handle_t handle, zx_port_packet_t* packet) __ZX_NOEXCEPT;

// Copies the state `kind` of the stopped vCPU `handle` into `buffer`: ZX_VCPU_STATE, a
// zx_vcpu_state_t. Needs ZX_RIGHT_READ.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `kind` is not ZX_VCPU_STATE or `buffer_size` is not its size.
// Returns ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED or ZX_ERR_WRONG_TYPE as for zx_vcpu_resume().
zx_status_t zx_vcpu_read_state(zx_handle_t handle, uint32_t kind, void* buffer,
                               size_t buffer_size) __ZX_NOEXCEPT;

// Sets the state `kind` of the stopped vCPU `handle` from `buffer`: ZX_VCPU_STATE (a
// zx_vcpu_state_t: the general registers and the low 32 bits of RFLAGS) or ZX_VCPU_IO (a
// zx_vcpu_io_t: the value of the trapped input instruction it stopped on). Needs ZX_RIGHT_WRITE.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `kind` is unknown or `buffer_size` is not its size.
// Returns ZX_ERR_BAD_STATE for ZX_VCPU_IO if the vCPU did not stop on a trapped input of that
// size.
// Returns ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED or ZX_ERR_WRONG_TYPE as for zx_vcpu_resume().
zx_status_t zx_vcpu_write_state(zx_handle_t handle, uint32_t kind, const void* buffer,
                                size_t buffer_size) __ZX_NOEXCEPT;

// ---- Random numbers ----

// Fills `buffer` with `buffer_size` cryptographically secure random bytes. Never fails: the
// process is aborted if the system cannot supply randomness.
//
// Linux: the bytes come from getrandom(2).
void zx_cprng_draw(void* buffer, size_t buffer_size) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_SYSCALLS_H_
