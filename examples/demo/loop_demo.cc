// portloop demo, part 2: the message loop (async::Loop and the async C API).
//
// Tasks at three deadlines run in deadline order; a wait on an event completes when another
// thread signals it; a user packet reaches a receiver, whose handler quits the loop; the loop is
// made runnable again and run by two threads of its own; and shutdown cancels what is left.
// Every step is sequenced by the loop itself, so the output is the same on every run.

#include "loop_demo.h"

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

void Check(zx_status_t status, const char* what) {
  if (status != ZX_OK) {
    std::fprintf(stderr, "demo: %s failed: %s\n", what, zx_status_get_string(status));
    std::exit(1);
  }
}

// A task that prints its name when it runs or is cancelled, and may then quit the loop.
struct NamedTask {
  async_task_t task;
  const char* name;
  bool quit_when_run;
};

void PrintTask(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
  const auto* named = reinterpret_cast<NamedTask*>(task);
  std::printf("  loop: task %-8s %s\n", named->name,
              status == ZX_OK ? "ran" : zx_status_get_string(status));
  if (status == ZX_OK && named->quit_when_run) {
    async_loop_quit(async_loop_from_dispatcher(dispatcher));
  }
}

NamedTask MakeTask(const char* name, zx_time_t deadline, bool quit_when_run = false) {
  return NamedTask{{{ASYNC_STATE_INIT}, PrintTask, deadline}, name, quit_when_run};
}

void PrintWait(async_dispatcher_t*, async_wait_t*, zx_status_t status,
               const zx_packet_signal_t* signal) {
  if (status == ZX_OK) {
    std::printf("  loop: wait completed, observed=0x%x\n", signal->observed);
  } else {
    std::printf("  loop: wait %s\n", zx_status_get_string(status));
  }
}

void QuitOnPacket(async_dispatcher_t* dispatcher, async_receiver_t*, zx_status_t status,
                  const zx_packet_user_t* data) {
  std::printf("  loop: receiver got packet %llu (%s); quitting the loop\n",
              static_cast<unsigned long long>(data->u64[0]), zx_status_get_string(status));
  async_loop_quit(async_loop_from_dispatcher(dispatcher));
}

void DemoTasks(async::Loop& loop) {
  const zx_time_t now = async_now(loop.dispatcher());
  NamedTask later = MakeTask("\"+20ms\"", now + ZX_MSEC(20), /*quit_when_run=*/true);
  NamedTask soon = MakeTask("\"+10ms\"", now + ZX_MSEC(10));
  NamedTask at_once = MakeTask("\"now\"", now);
  std::printf("main: posting tasks due at +20ms, +10ms and now\n");
  Check(async_post_task(loop.dispatcher(), &later.task), "async_post_task");
  Check(async_post_task(loop.dispatcher(), &soon.task), "async_post_task");
  Check(async_post_task(loop.dispatcher(), &at_once.task), "async_post_task");
  // The last task quits the loop, so Run returns once all three ran, however slow the machine.
  zx_status_t status = loop.Run();
  std::printf("main: Run returned %s\n", zx_status_get_string(status));
  Check(loop.ResetQuit(), "async::Loop::ResetQuit");
}

void DemoWaitAndPacket(async::Loop& loop) {
  zx_handle_t event;
  Check(zx_event_create(0, &event), "zx_event_create");
  async_wait_t wait = {{ASYNC_STATE_INIT}, PrintWait, event, ZX_USER_SIGNAL_0};
  Check(async_begin_wait(loop.dispatcher(), &wait), "async_begin_wait");
  std::printf("main: waiting on an event that another thread signals\n");
  std::thread signaller([event] { zx_object_signal(event, 0, ZX_USER_SIGNAL_0); });
  signaller.join();
  Check(loop.RunUntilIdle(), "async::Loop::RunUntilIdle");

  async_receiver_t receiver = {{ASYNC_STATE_INIT}, QuitOnPacket};
  zx_packet_user_t data = {};
  data.u64[0] = 42;
  std::printf("main: queueing a packet for a receiver, then running until it quits the loop\n");
  Check(async_queue_packet(loop.dispatcher(), &receiver, &data), "async_queue_packet");
  zx_status_t status = loop.Run();
  std::printf("main: Run returned %s; state is %s\n", zx_status_get_string(status),
              loop.GetState() == ASYNC_LOOP_QUIT ? "QUIT" : "?");
  zx_handle_close(event);
}

void DemoThreadsAndShutdown(async::Loop& loop) {
  Check(loop.ResetQuit(), "async::Loop::ResetQuit");
  std::printf("main: loop runnable again; starting two loop threads\n");
  Check(loop.StartThread("demo-loop-1"), "StartThread");
  Check(loop.StartThread("demo-loop-2"), "StartThread");

  zx_handle_t done;
  Check(zx_event_create(0, &done), "zx_event_create");
  struct SignalTask {
    async_task_t task;
    zx_handle_t done;
  } task = {{{ASYNC_STATE_INIT},
             [](async_dispatcher_t*, async_task_t* task, zx_status_t) {
               std::printf("  loop thread: task ran\n");
               zx_object_signal(reinterpret_cast<SignalTask*>(task)->done, 0, ZX_USER_SIGNAL_0);
             },
             async_now(loop.dispatcher())},
            done};
  Check(async_post_task(loop.dispatcher(), &task.task), "async_post_task");
  Check(zx_object_wait_one(done, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, nullptr),
        "zx_object_wait_one");

  NamedTask next_hour = MakeTask("\"+1h\"", async_now(loop.dispatcher()) + ZX_HOUR(1));
  Check(async_post_task(loop.dispatcher(), &next_hour.task), "async_post_task");
  async_wait_t never = {{ASYNC_STATE_INIT}, PrintWait, done, ZX_USER_SIGNAL_1};
  Check(async_begin_wait(loop.dispatcher(), &never), "async_begin_wait");
  std::printf("main: shutting down with a task due in an hour and a wait never satisfied\n");
  loop.Shutdown();
  std::printf("main: after shutdown, posting returns %s\n",
              zx_status_get_string(async_post_task(loop.dispatcher(), &next_hour.task)));
  zx_handle_close(done);
}

}  // namespace

void RunLoopDemo() {
  std::printf("\nmain: creating an async::Loop attached to this thread\n");
  async::Loop loop(&kAsyncLoopConfigAttachToThread);
  DemoTasks(loop);
  DemoWaitAndPacket(loop);
  DemoThreadsAndShutdown(loop);
  std::printf("main: loop demo done\n");
}
