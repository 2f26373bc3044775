// <zircon/linux/port.h>: port tuning for event loops: a lock-free view of a port's queue length,
// and an idle spin before a waiter sleeps.
//
// Linux: this whole header is a portloop addition; Zircon has no such call.
#ifndef ZIRCON_LINUX_PORT_H_
#define ZIRCON_LINUX_PORT_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

#include <stdint.h>

__BEGIN_CDECLS

// Stores in *out the address of `port`'s count of queued packets (packets waiting for a
// zx_port_wait), which the port updates after every change. An event loop that runs work of its
// own between port waits (as async-loop runs due tasks) reads it to decide, without a system
// call or a lock, whether packets are waiting their turn. Read it with a relaxed atomic load
// (`__atomic_load_n(*out, __ATOMIC_RELAXED)`); never write it.
//
// The count is a hint: it may change as soon as it is read, and the readiness of Linux fds that
// no thread has polled yet is not in it. The address stays valid while any handle to the port
// stays open; reading it after the last handle closed is undefined behaviour.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `port` is not a valid handle.
// Returns ZX_ERR_WRONG_TYPE if `port` is not a port.
// Returns ZX_ERR_ACCESS_DENIED if `port` lacks ZX_RIGHT_READ.
// Returns ZX_ERR_INVALID_ARGS if `out` is NULL.
zx_status_t zx_linux_port_get_queue_length(zx_handle_t port, const uint32_t** out) __ZX_NOEXCEPT;

// Makes every zx_port_wait() on `port` that finds no packet watch the queue for up to `spin`
// nanoseconds (never past its deadline) before it goes to sleep. A packet that arrives during the
// spin is taken without a futex wake-up, which on a virtual machine whose idle CPUs halt saves
// the tens of microseconds of waking a sleeping thread on another CPU; the price is a busy CPU
// for up to `spin` each time a waiter finds the port empty. With Linux fds waited on through the
// port, a spinning waiter polls them without blocking instead. 0 (the default) sleeps at once.
// Applies to waits that start after the call. Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_HANDLE if `port` is not a valid handle.
// Returns ZX_ERR_WRONG_TYPE if `port` is not a port.
// Returns ZX_ERR_ACCESS_DENIED if `port` lacks ZX_RIGHT_WRITE.
// Returns ZX_ERR_OUT_OF_RANGE if `spin` is negative or more than one second.
zx_status_t zx_linux_port_set_idle_spin(zx_handle_t port, zx_duration_t spin) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_LINUX_PORT_H_
