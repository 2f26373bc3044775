// Copyright 2026 The portloop Authors.
#ifndef LIB_ASYNC_LOOP_CPP_LOOP_H_
#define LIB_ASYNC_LOOP_CPP_LOOP_H_

#include <lib/async-loop/loop.h>
#include <lib/async/default.h>
#include <lib/zx/time.h>
#include <zircon/compiler.h>

#include <stdbool.h>
#include <stddef.h>
#include <threads.h>

namespace async {

// Owns an `async_loop_t` (see <lib/async-loop/loop.h> for every contract). Thread-safe, except
// that destruction, like async_loop_destroy, must be the last use. Not copyable or movable.
class Loop {
 public:
  // Creates the loop from `*config` (copied). Aborts the process if it cannot be created.
  explicit Loop(const async_loop_config_t* config);
  // Destroys the loop: shuts it down, then frees it.
  ~Loop();

  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  Loop(Loop&&) = delete;
  Loop& operator=(Loop&&) = delete;

  // The underlying C loop.
  async_loop_t* loop() const { return loop_; }

  // The loop's dispatcher.
  async_dispatcher_t* dispatcher() const { return async_loop_get_dispatcher(loop_); }

  // async_loop_shutdown.
  void Shutdown();

  // async_loop_run: dispatches until `deadline`, quit, shutdown, or one unit with `once`.
  zx_status_t Run(zx::time deadline = zx::time::infinite(), bool once = false);

  // async_loop_run_until_idle.
  zx_status_t RunUntilIdle();

  // async_loop_quit.
  void Quit();

  // async_loop_reset_quit.
  zx_status_t ResetQuit();

  // async_loop_get_state.
  async_loop_state_t GetState() const;

  // async_loop_start_thread.
  zx_status_t StartThread(const char* name = nullptr, thrd_t* out_thread = nullptr);

  // async_loop_join_threads.
  void JoinThreads();

 private:
  async_loop_t* loop_ = nullptr;
};

}  // namespace async

#endif  // LIB_ASYNC_LOOP_CPP_LOOP_H_
