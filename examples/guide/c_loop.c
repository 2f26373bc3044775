// Guide, step 1: the C API. A loop, a task, and a wait on an event, from plain C11.
#include <lib/async-loop/loop.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <zircon/syscalls.h>

#include <stdio.h>

// The handler receives the struct it was posted with; embed it to carry your own data.
typedef struct {
  async_task_t task;  // first, so the handler can cast back
  const char* message;
} greeting_task_t;

static void greet(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
  (void)dispatcher;
  greeting_task_t* greeting = (greeting_task_t*)task;
  printf("task: %s (status %d)\n", greeting->message, status);
}

static void on_signal(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                      const zx_packet_signal_t* signal) {
  (void)wait;
  printf("wait: status %d, observed 0x%x\n", status, signal ? signal->observed : 0u);
  async_loop_quit(async_loop_from_dispatcher(dispatcher));
}

int main(void) {
  async_loop_t* loop;
  if (async_loop_create(&kAsyncLoopConfigNoAttachToThread, &loop) != ZX_OK) {
    return 1;
  }
  async_dispatcher_t* dispatcher = async_loop_get_dispatcher(loop);

  // A task runs on or after its deadline, in the dispatcher's time base.
  greeting_task_t hello = {{ASYNC_STATE_INIT, greet, async_now(dispatcher)}, "hello from C"};
  async_post_task(dispatcher, &hello.task);

  // A wait completes once when any trigger signal is asserted on the object.
  zx_handle_t event;
  zx_event_create(0, &event);
  async_wait_t wait = {ASYNC_STATE_INIT, on_signal, event, ZX_USER_SIGNAL_0};
  async_begin_wait(dispatcher, &wait);
  zx_object_signal(event, 0, ZX_USER_SIGNAL_0);

  // Runs until the wait handler quits the loop.
  zx_status_t status = async_loop_run(loop, ZX_TIME_INFINITE, false);
  printf("run returned %d (ZX_ERR_CANCELED after quit)\n", status);

  async_loop_destroy(loop);
  zx_handle_close(event);
  return status == ZX_ERR_CANCELED ? 0 : 1;
}
