// Guide, step 2: the C++ API. Lambdas as tasks, RAII waits, and a loop with its own threads.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <lib/async/cpp/wait.h>
#include <lib/zx/event.h>

#include <cstdio>

int main() {
  // Attached: this thread's default dispatcher is the loop until it shuts down.
  async::Loop loop(&kAsyncLoopConfigAttachToThread);
  async_dispatcher_t* dispatcher = loop.dispatcher();

  // Tasks run in deadline order; PostTask takes any move-only callable.
  async::PostDelayedTask(
      dispatcher, [] { std::printf("task: second (+5ms)\n"); }, zx::msec(5));
  async::PostTask(dispatcher, [] { std::printf("task: first (now)\n"); });

  // A TaskClosure is a reusable task object; destroying it cancels it if still pending.
  async::TaskClosure quit_task([&loop] {
    std::printf("task: quitting\n");
    loop.Quit();
  });
  quit_task.PostDelayed(dispatcher, zx::msec(10));
  loop.Run();
  loop.ResetQuit();

  // An async::Wait re-arms by calling Begin() again from its handler.
  zx::event event;
  zx::event::create(0, &event);
  int seen = 0;
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0,
                   [&](async_dispatcher_t* d, async::Wait* self, zx_status_t status,
                       const zx_packet_signal_t* signal) {
                     std::printf("wait: status %d observed 0x%x\n", status, signal->observed);
                     event.signal(ZX_USER_SIGNAL_0, 0);  // clear, then wait again
                     if (++seen < 3) {
                       self->Begin(d);
                       event.signal(0, ZX_USER_SIGNAL_0);
                     }
                   });
  wait.Begin(dispatcher);
  event.signal(0, ZX_USER_SIGNAL_0);
  loop.RunUntilIdle();

  // Several threads may run one loop; task handlers still never run concurrently.
  loop.StartThread("guide-worker-1");
  loop.StartThread("guide-worker-2");
  zx::event done;
  zx::event::create(0, &done);
  async::PostTask(dispatcher, [&done] {
    std::printf("task: ran on a loop thread\n");
    done.signal(0, ZX_USER_SIGNAL_0);
  });
  done.wait_one(ZX_USER_SIGNAL_0, zx::time::infinite(), nullptr);
  loop.Shutdown();  // joins the loop's threads, cancels what is left
  std::printf("done after %d wait completions\n", seen);
  return seen == 3 ? 0 : 1;
}
