// <lib/async-loop/linux/idle_spin.h>: let a loop's idle threads spin briefly before sleeping.
//
// Linux: this whole header is a portloop addition; Fuchsia's loop has no such setting.
#ifndef LIB_ASYNC_LOOP_LINUX_IDLE_SPIN_H_
#define LIB_ASYNC_LOOP_LINUX_IDLE_SPIN_H_

#include <lib/async-loop/loop.h>
#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// Makes each thread of `loop` that runs out of work watch for new work for up to `spin`
// nanoseconds before it goes to sleep (see zx_linux_port_set_idle_spin in
// <zircon/linux/port.h>). Work that arrives during the spin (a signal, a packet, a task posted
// from another thread) starts in a few hundred nanoseconds instead of paying for a wake-up, which
// costs tens of microseconds when the sleeping thread's CPU has halted (as idle virtual CPUs do).
// The price is a busy CPU for up to `spin` every time the loop goes idle, and, when the thread
// that sends the work runs on the same CPU, a slower hand-over (the spinner yields the CPU only
// now and then). Off (0) by default; 20 to 100 microseconds suits a busy ping-pong between
// threads on different CPUs. Applies from the threads' next
// wait. Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_INVALID_ARGS if `loop` is NULL.
// Returns ZX_ERR_OUT_OF_RANGE if `spin` is negative or more than one second.
zx_status_t async_loop_set_idle_spin(async_loop_t* loop, zx_duration_t spin);

__END_CDECLS

#endif  // LIB_ASYNC_LOOP_LINUX_IDLE_SPIN_H_
