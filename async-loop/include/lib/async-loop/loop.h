// Copyright 2026 The portloop Authors.
//
// async-loop: a message loop that dispatches the tasks, waits, packets, guest bell traps and
// exceptions of an `async_dispatcher_t`, on one thread or many.
#ifndef LIB_ASYNC_LOOP_LOOP_H_
#define LIB_ASYNC_LOOP_LOOP_H_

#include <lib/async/dispatcher.h>
#include <zircon/compiler.h>

#include <stdbool.h>
#include <stddef.h>
#include <threads.h>

__BEGIN_CDECLS

// A message loop. Its dispatcher is its first base, so `async_loop_t*` and the
// `async_dispatcher_t*` of `async_loop_get_dispatcher` name the same object.
typedef struct async_loop async_loop_t;

// Called with the loop and the config's `data`.
typedef void(async_loop_callback_t)(async_loop_t* loop, void* data);

// How a loop is created. Zero-initialise it, then set the fields you need; the loop keeps a copy.
typedef struct async_loop_config {
  // Install the loop as the creating thread's default dispatcher (see <lib/async/default.h>)
  // at creation, and remove it at shutdown.
  bool make_default_for_current_thread;
  // Called immediately before every handler the loop invokes, on the invoking thread, with
  // `data`; null for none. Includes the ZX_ERR_CANCELED calls made at shutdown.
  async_loop_callback_t* prologue;
  // Called immediately after every handler the loop invokes; null for none.
  async_loop_callback_t* epilogue;
  // Passed to `prologue` and `epilogue`.
  void* data;
} async_loop_config_t;

// Attaches the loop to the creating thread: {.make_default_for_current_thread = true}.
extern const async_loop_config_t kAsyncLoopConfigAttachToThread;

// Does not attach the loop to the creating thread: {.make_default_for_current_thread = false}.
extern const async_loop_config_t kAsyncLoopConfigNoAttachToThread;

// The spelling of kAsyncLoopConfigAttachToThread before 2018; same value.
extern const async_loop_config_t kAsyncLoopConfigMakeDefault;

// A later spelling, kept for source compatibility: same value as
// kAsyncLoopConfigNoAttachToThread.
// Linux: threads started with async_loop_start_thread still get the loop as their default
// dispatcher, as in the era this loop follows (see docs/compatibility.md).
extern const async_loop_config_t kAsyncLoopConfigNeverAttachToThread;

// The loop's state, as reported by async_loop_get_state.
typedef uint32_t async_loop_state_t;
#define ASYNC_LOOP_RUNNABLE ((async_loop_state_t)0u)  // dispatching normally
#define ASYNC_LOOP_QUIT ((async_loop_state_t)1u)      // async_loop_quit was called
#define ASYNC_LOOP_SHUTDOWN ((async_loop_state_t)2u)  // shut down; nothing runs any more

// Creates a loop configured by `*config` (copied) and stores it in `*out_loop`; the caller
// destroys it with async_loop_destroy. Both pointers must be non-null. With
// `make_default_for_current_thread`, the calling thread must have no default dispatcher yet.
// Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_NO_MEMORY if out of memory.
// Returns the error of creating the loop's port or timer (nothing is installed then).
zx_status_t async_loop_create(const async_loop_config_t* config, async_loop_t** out_loop);

// Returns the loop's dispatcher (the same object as `loop`). Thread-safe.
async_dispatcher_t* async_loop_get_dispatcher(async_loop_t* loop);

// Returns the loop a dispatcher from async_loop_get_dispatcher belongs to. Undefined for any
// other dispatcher. Thread-safe.
async_loop_t* async_loop_from_dispatcher(async_dispatcher_t* dispatcher);

// Shuts the loop down: the state becomes ASYNC_LOOP_SHUTDOWN, threads blocked in
// async_loop_run wake and return, threads started by async_loop_start_thread are joined, and
// then, on the calling thread, every pending wait (most recently begun first), every due task,
// every pending task (in deadline order) and every bound exception (most recently bound first)
// gets its handler called once with ZX_ERR_CANCELED and a null payload. Receivers and bell traps
// get nothing. New operations from then on fail with ZX_ERR_BAD_STATE; cancellations still work.
// If the loop was made the creating thread's default, that is undone (call it on that thread).
// A second call does nothing. Must not be called from a thread the loop started.
void async_loop_shutdown(async_loop_t* loop);

// Shuts the loop down (async_loop_shutdown), drops any undelivered packets, and frees it.
// Not thread-safe: no other thread may use the loop any more.
void async_loop_destroy(async_loop_t* loop);

// Dispatches work on the calling thread until the absolute monotonic `deadline` passes, the
// loop quits or shuts down, or, with `once`, one unit of work was done (one handler, one batch
// of due tasks, or one wake-up). Several threads may run a loop at once. Thread-safe.
//
// Returns ZX_OK if `once` was set and a unit of work was done.
// Returns ZX_ERR_TIMED_OUT if `deadline` passed with nothing left to do.
// Returns ZX_ERR_CANCELED if the loop quit (async_loop_quit).
// Returns ZX_ERR_BAD_STATE if the loop was shut down.
zx_status_t async_loop_run(async_loop_t* loop, zx_time_t deadline, bool once);

// Dispatches everything already queued, including what the handlers themselves queue, and
// returns without blocking. Thread-safe.
//
// Returns ZX_OK when there is nothing left to do.
// Returns ZX_ERR_CANCELED if the loop quit; ZX_ERR_BAD_STATE if it was shut down.
zx_status_t async_loop_run_until_idle(async_loop_t* loop);

// Asks every thread running the loop to return ZX_ERR_CANCELED once it finishes its current unit
// of work; later runs return at once. Posting work still succeeds. Does nothing unless the loop
// is ASYNC_LOOP_RUNNABLE. Thread-safe.
void async_loop_quit(async_loop_t* loop);

// Makes a quit loop runnable again. Call it only when no thread runs the loop. Thread-safe.
//
// Returns ZX_OK if the loop is now ASYNC_LOOP_RUNNABLE (or already was).
// Returns ZX_ERR_BAD_STATE if a thread is running the loop (including the caller, from a
// handler) or the loop was shut down.
zx_status_t async_loop_reset_quit(async_loop_t* loop);

// Returns the loop's state. Thread-safe.
async_loop_state_t async_loop_get_state(async_loop_t* loop);

// Starts a thread named `name` (may be null) that makes the loop its default dispatcher and
// runs it until it quits or shuts down. Stores the thread in `*out_thread` if that is non-null;
// the loop joins it (do not join or detach it yourself). Thread-safe.
//
// Returns ZX_OK on success.
// Returns ZX_ERR_BAD_STATE if the loop was shut down.
// Returns ZX_ERR_NO_MEMORY if the thread could not be created.
zx_status_t async_loop_start_thread(async_loop_t* loop, const char* name, thrd_t* out_thread);

// Waits for every thread started so far with async_loop_start_thread to exit, in start order,
// and forgets them. Useful after async_loop_quit. Thread-safe; must not be called from a
// thread the loop started.
void async_loop_join_threads(async_loop_t* loop);

__END_CDECLS

#endif  // LIB_ASYNC_LOOP_LOOP_H_
