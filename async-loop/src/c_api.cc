// The C entry points of <lib/async-loop/loop.h> and the loop's ops table.
#include <lib/async-loop/default.h>
#include <lib/async-loop/linux/idle_spin.h>
#include <lib/async-loop/loop.h>
#include <zircon/assert.h>
#include <zircon/syscalls.h>

#include "async-loop/src/loop.h"

namespace {

async_loop* LoopOf(async_dispatcher_t* dispatcher) { return static_cast<async_loop*>(dispatcher); }

const async_ops_t kLoopOps = {
    .version = ASYNC_OPS_V2,
    .reserved = 0,
    .v1 = {
        .now = [](async_dispatcher_t* d) { return LoopOf(d)->Now(); },
        .begin_wait = [](async_dispatcher_t* d,
                         async_wait_t* wait) { return LoopOf(d)->BeginWait(wait); },
        .cancel_wait = [](async_dispatcher_t* d,
                          async_wait_t* wait) { return LoopOf(d)->CancelWait(wait); },
        .post_task = [](async_dispatcher_t* d,
                        async_task_t* task) { return LoopOf(d)->PostTask(task); },
        .cancel_task = [](async_dispatcher_t* d,
                          async_task_t* task) { return LoopOf(d)->CancelTask(task); },
        .queue_packet =
            [](async_dispatcher_t* d, async_receiver_t* receiver, const zx_packet_user_t* data) {
              return LoopOf(d)->QueuePacket(receiver, data);
            },
        .set_guest_bell_trap =
            [](async_dispatcher_t* d, async_guest_bell_trap_t* trap, zx_handle_t guest,
               zx_vaddr_t addr,
               size_t length) { return LoopOf(d)->SetGuestBellTrap(trap, guest, addr, length); },
    },
    .v2 = {
        .bind_exception_port =
            [](async_dispatcher_t* d, async_exception_t* exception) {
              return LoopOf(d)->BindExceptionPort(exception);
            },
        .unbind_exception_port =
            [](async_dispatcher_t* d, async_exception_t* exception) {
              return LoopOf(d)->UnbindExceptionPort(exception);
            },
        .resume_from_exception =
            [](async_dispatcher_t* d, async_exception_t* exception, zx_handle_t task,
               uint32_t options) {
              return LoopOf(d)->ResumeFromException(exception, task, options);
            },
    },
};

}  // namespace

const async_loop_config_t kAsyncLoopConfigAttachToThread = {.make_default_for_current_thread =
                                                                true};
const async_loop_config_t kAsyncLoopConfigNoAttachToThread = {.make_default_for_current_thread =
                                                                  false};
const async_loop_config_t kAsyncLoopConfigMakeDefault = kAsyncLoopConfigAttachToThread;
const async_loop_config_t kAsyncLoopConfigNeverAttachToThread = kAsyncLoopConfigNoAttachToThread;
const async_loop_config_t kAsyncLoopConfigAttachToCurrentThread = kAsyncLoopConfigAttachToThread;
const async_loop_config_t kAsyncLoopConfigNoAttachToCurrentThread =
    kAsyncLoopConfigNoAttachToThread;

// The dispatcher part of a loop is set up here, where the ops table lives.
const async_ops_t* AsyncLoopOps() { return &kLoopOps; }

extern "C" zx_status_t async_loop_create(const async_loop_config_t* config,
                                         async_loop_t** out_loop) {
  ZX_ASSERT_MSG(config != nullptr && out_loop != nullptr, "async_loop_create: null argument");
  return async_loop::Create(*config, out_loop);
}

extern "C" async_dispatcher_t* async_loop_get_dispatcher(async_loop_t* loop) { return loop; }

extern "C" async_loop_t* async_loop_from_dispatcher(async_dispatcher_t* dispatcher) {
  return LoopOf(dispatcher);
}

extern "C" void async_loop_shutdown(async_loop_t* loop) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_shutdown: null loop");
  loop->Shutdown();
}

extern "C" void async_loop_destroy(async_loop_t* loop) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_destroy: null loop");
  delete loop;
}

extern "C" zx_status_t async_loop_run(async_loop_t* loop, zx_time_t deadline, bool once) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_run: null loop");
  return loop->Run(deadline, once);
}

extern "C" zx_status_t async_loop_run_until_idle(async_loop_t* loop) {
  zx_status_t status = async_loop_run(loop, 0, false);
  return status == ZX_ERR_TIMED_OUT ? ZX_OK : status;
}

extern "C" void async_loop_quit(async_loop_t* loop) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_quit: null loop");
  loop->Quit();
}

extern "C" zx_status_t async_loop_reset_quit(async_loop_t* loop) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_reset_quit: null loop");
  return loop->ResetQuit();
}

extern "C" async_loop_state_t async_loop_get_state(async_loop_t* loop) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_get_state: null loop");
  return loop->state();
}

extern "C" zx_status_t async_loop_start_thread(async_loop_t* loop, const char* name,
                                               thrd_t* out_thread) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_start_thread: null loop");
  return loop->StartThread(name, out_thread);
}

extern "C" void async_loop_join_threads(async_loop_t* loop) {
  ZX_ASSERT_MSG(loop != nullptr, "async_loop_join_threads: null loop");
  loop->JoinThreads();
}

extern "C" zx_status_t async_loop_set_idle_spin(async_loop_t* loop, zx_duration_t spin) {
  if (loop == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  return loop->SetIdleSpin(spin);
}
