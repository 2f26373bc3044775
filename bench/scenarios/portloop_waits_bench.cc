// portloop's waits in S5 and S6: two loops, one thread each, bouncing a token.
//   S5: each loop waits (async_wait_t / async::Wait) for ZX_USER_SIGNAL_0 on its own zx event;
//       its handler clears the signal, begins the wait again and signals the peer's event.
//   S6: each loop waits for ZX_LINUX_FD_READABLE on a zx_linux_fd_create() handle of its end of
//       a socketpair; its handler reads the byte, begins the wait again and writes it back.
// Variants: `wait` (C: async_wait_t; C++: async::Wait), `fd_waiter` (C++, S6: fsl::FDWaiter, a
// one-shot wait per message), and, once the loop has it, `wait_spin`: the same with
// async_loop_set_idle_spin(loop, 50 us) on both loops.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/cpp/wait.h>
#include <lib/async/wait.h>
#include <lib/fsl/tasks/fd_waiter.h>
#include <lib/zx/event.h>
#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>

#include <poll.h>

#if __has_include(<lib/async-loop/linux/idle_spin.h>)
#include <lib/async-loop/linux/idle_spin.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include "bench/scenarios/common.h"

namespace bench {
namespace {

// The `wait_spin` variants exist once the loop has async_loop_set_idle_spin().
#if __has_include(<lib/async-loop/linux/idle_spin.h>)
constexpr bool kHaveIdleSpin = true;
#else
constexpr bool kHaveIdleSpin = false;
#endif
[[maybe_unused]] constexpr zx_duration_t kIdleSpinDuration = ZX_USEC(50);

// How a ping-pong's loops are set up.
enum class Spin { kNone, kIdleSpin };

void ConfigureLoop(async_loop_t* loop, Spin spin) {
#if __has_include(<lib/async-loop/linux/idle_spin.h>)
  if (spin == Spin::kIdleSpin && async_loop_set_idle_spin(loop, kIdleSpinDuration) != ZX_OK) {
    fprintf(stderr, "async_loop_set_idle_spin failed\n");
    abort();  // the driver records the failed run
  }
#else
  (void)loop;
  (void)spin;
#endif
}

struct SocketPair {
  int fds[2] = {-1, -1};
  SocketPair() { socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds); }
  ~SocketPair() {
    close(fds[0]);
    close(fds[1]);
  }
};

// One side of a ping-pong through the C API. The initiator counts round trips down to zero and
// then quits its loop; the echo side (remaining < 0) answers until its loop is quit.
struct SideC {
  async_wait_t wait;  // first member: the handler finds the side from the wait
  async_loop_t* loop = nullptr;
  zx_handle_t own = ZX_HANDLE_INVALID;   // S5: this side's event; S6: this side's fd handle
  zx_handle_t peer = ZX_HANDLE_INVALID;  // S5: the other side's event
  int fd = -1;                           // S6: this side's end of the socketpair
  int64_t remaining = -1;

  SideC(zx_handle_t object, zx_signals_t trigger, async_wait_handler_t* handler, Spin spin) {
    wait = async_wait_t{{ASYNC_STATE_INIT}, handler, object, trigger};
    async_loop_create(&kAsyncLoopConfigNoAttachToThread, &loop);
    ConfigureLoop(loop, spin);
  }
  ~SideC() { async_loop_destroy(loop); }
  // Counts one answer on the initiator; true once the last one arrived (the loop is then quit).
  bool Done() {
    if (remaining >= 0 && --remaining == 0) {
      async_loop_quit(loop);
      return true;
    }
    return false;
  }
  void Begin() { async_begin_wait(async_loop_get_dispatcher(loop), &wait); }
  void Run() { async_loop_run(loop, ZX_TIME_INFINITE, false); }
};

void EventHandlerC(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                   const zx_packet_signal_t*) {
  auto* side = reinterpret_cast<SideC*>(wait);
  if (status != ZX_OK) {
    return;
  }
  zx_object_signal(side->own, ZX_USER_SIGNAL_0, 0);
  if (side->Done()) {
    return;
  }
  async_begin_wait(dispatcher, wait);
  zx_object_signal(side->peer, 0, ZX_USER_SIGNAL_0);
}

void FdHandlerC(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                const zx_packet_signal_t*) {
  auto* side = reinterpret_cast<SideC*>(wait);
  if (status != ZX_OK) {
    return;
  }
  char byte;
  if (read(side->fd, &byte, 1) != 1) {
    async_begin_wait(dispatcher, wait);  // a stale readiness report: wait again
    return;
  }
  if (side->Done()) {
    return;
  }
  async_begin_wait(dispatcher, wait);
  benchmark::DoNotOptimize(write(side->fd, &byte, 1));
}

void S5C(benchmark::State& state, Placement placement, Spin spin) {
  const int64_t n = sizes().round_trips;
  zx_handle_t event_a;
  zx_handle_t event_b;
  zx_event_create(0, &event_a);
  zx_event_create(0, &event_b);
  {
    SideC a(event_a, ZX_USER_SIGNAL_0, EventHandlerC, spin);
    SideC b(event_b, ZX_USER_SIGNAL_0, EventHandlerC, spin);
    a.own = b.peer = event_a;
    b.own = a.peer = event_b;
    a.remaining = n;
    a.Begin();
    b.Begin();
    RunPingPong(
        state, placement, n, [&] { b.Run(); },
        [&] {
          zx_object_signal(event_b, 0, ZX_USER_SIGNAL_0);
          a.Run();
        },
        [&] { async_loop_quit(b.loop); });
    Check(state, a.remaining == 0, "the ping-pong did not finish");
  }
  zx_handle_close(event_a);
  zx_handle_close(event_b);
}

void S6C(benchmark::State& state, Placement placement, Spin spin) {
  const int64_t n = sizes().round_trips;
  SocketPair pair;
  zx_handle_t handle_a;
  zx_handle_t handle_b;
  zx_linux_fd_create(pair.fds[0], ZX_LINUX_FD_BORROW, &handle_a);
  zx_linux_fd_create(pair.fds[1], ZX_LINUX_FD_BORROW, &handle_b);
  {
    SideC a(handle_a, ZX_LINUX_FD_READABLE, FdHandlerC, spin);
    SideC b(handle_b, ZX_LINUX_FD_READABLE, FdHandlerC, spin);
    a.fd = pair.fds[0];
    b.fd = pair.fds[1];
    a.remaining = n;
    a.Begin();
    b.Begin();
    RunPingPong(
        state, placement, n, [&] { b.Run(); },
        [&] {
          char byte = 'x';
          benchmark::DoNotOptimize(write(a.fd, &byte, 1));
          a.Run();
        },
        [&] { async_loop_quit(b.loop); });
    Check(state, a.remaining == 0, "the ping-pong did not finish");
  }
  zx_handle_close(handle_a);
  zx_handle_close(handle_b);
}

// One side through the C++ API: an async::Loop and an async::Wait with a lambda.
struct SideCpp {
  async::Loop loop{&kAsyncLoopConfigNoAttachToThread};
  async::Wait wait;
  int64_t remaining = -1;

  explicit SideCpp(Spin spin) { ConfigureLoop(loop.loop(), spin); }
  bool Done() {
    if (remaining >= 0 && --remaining == 0) {
      loop.Quit();
      return true;
    }
    return false;
  }
};

void S5Cpp(benchmark::State& state, Placement placement, Spin spin) {
  const int64_t n = sizes().round_trips;
  zx::event event_a;
  zx::event event_b;
  zx::event::create(0, &event_a);
  zx::event::create(0, &event_b);
  SideCpp a(spin);
  SideCpp b(spin);
  a.remaining = n;
  auto wire = [](SideCpp* side, zx::event* own, zx::event* peer) {
    side->wait.set_object(own->get());
    side->wait.set_trigger(ZX_USER_SIGNAL_0);
    side->wait.set_handler([side, own, peer](async_dispatcher_t* dispatcher, async::Wait* wait,
                                             zx_status_t status, const zx_packet_signal_t*) {
      if (status != ZX_OK) {
        return;
      }
      own->signal(ZX_USER_SIGNAL_0, 0);
      if (side->Done()) {
        return;
      }
      wait->Begin(dispatcher);
      peer->signal(0, ZX_USER_SIGNAL_0);
    });
    side->wait.Begin(side->loop.dispatcher());
  };
  wire(&a, &event_a, &event_b);
  wire(&b, &event_b, &event_a);
  RunPingPong(
      state, placement, n, [&] { b.loop.Run(); },
      [&] {
        event_b.signal(0, ZX_USER_SIGNAL_0);
        a.loop.Run();
      },
      [&] { b.loop.Quit(); });
  Check(state, a.remaining == 0, "the ping-pong did not finish");
  a.loop.Shutdown();
  b.loop.Shutdown();
}

void S6Cpp(benchmark::State& state, Placement placement, Spin spin) {
  const int64_t n = sizes().round_trips;
  SocketPair pair;
  zx_handle_t handle_a;
  zx_handle_t handle_b;
  zx_linux_fd_create(pair.fds[0], ZX_LINUX_FD_BORROW, &handle_a);
  zx_linux_fd_create(pair.fds[1], ZX_LINUX_FD_BORROW, &handle_b);
  {
    SideCpp a(spin);
    SideCpp b(spin);
    a.remaining = n;
    auto wire = [](SideCpp* side, zx_handle_t handle, int fd) {
      side->wait.set_object(handle);
      side->wait.set_trigger(ZX_LINUX_FD_READABLE);
      side->wait.set_handler([side, fd](async_dispatcher_t* dispatcher, async::Wait* wait,
                                        zx_status_t status, const zx_packet_signal_t*) {
        if (status != ZX_OK) {
          return;
        }
        char byte;
        if (read(fd, &byte, 1) != 1) {
          wait->Begin(dispatcher);
          return;
        }
        if (side->Done()) {
          return;
        }
        wait->Begin(dispatcher);
        benchmark::DoNotOptimize(write(fd, &byte, 1));
      });
      side->wait.Begin(side->loop.dispatcher());
    };
    wire(&a, handle_a, pair.fds[0]);
    wire(&b, handle_b, pair.fds[1]);
    RunPingPong(
        state, placement, n, [&] { b.loop.Run(); },
        [&] {
          char byte = 'x';
          benchmark::DoNotOptimize(write(pair.fds[0], &byte, 1));
          a.loop.Run();
        },
        [&] { b.loop.Quit(); });
    Check(state, a.remaining == 0, "the ping-pong did not finish");
    a.loop.Shutdown();
    b.loop.Shutdown();
  }
  zx_handle_close(handle_a);
  zx_handle_close(handle_b);
}

// One side through fsl::FDWaiter: a new one-shot wait (and fd handle) for every message.
struct FdWaiterSide {
  async::Loop loop{&kAsyncLoopConfigNoAttachToThread};
  std::unique_ptr<fsl::FDWaiter> waiter;
  int fd = -1;
  int64_t remaining = -1;

  FdWaiterSide() : waiter(std::make_unique<fsl::FDWaiter>(loop.dispatcher())) {}
  void Wait() {
    waiter->Wait([this](zx_status_t status, uint32_t) { OnReadable(status); }, fd, POLLIN);
  }
  void OnReadable(zx_status_t status) {
    if (status != ZX_OK) {
      return;
    }
    char byte;
    if (read(fd, &byte, 1) != 1) {
      Wait();
      return;
    }
    if (remaining >= 0 && --remaining == 0) {
      loop.Quit();
      return;
    }
    Wait();
    benchmark::DoNotOptimize(write(fd, &byte, 1));
  }
};

void S6FdWaiter(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  SocketPair pair;
  FdWaiterSide a;
  FdWaiterSide b;
  a.fd = pair.fds[0];
  b.fd = pair.fds[1];
  a.remaining = n;
  a.Wait();
  b.Wait();
  RunPingPong(
      state, placement, n, [&] { b.loop.Run(); },
      [&] {
        char byte = 'x';
        benchmark::DoNotOptimize(write(pair.fds[0], &byte, 1));
        a.loop.Run();
      },
      [&] { b.loop.Quit(); });
  Check(state, a.remaining == 0, "the ping-pong did not finish");
  a.waiter.reset();
  b.waiter.reset();
}

[[maybe_unused]] const bool kRegistered = [] {
  const std::pair<const char*, Placement> placements[] = {{"", Placement::kTwoCpus},
                                                          {"same", Placement::kSameCpu}};
  for (const auto& entry : placements) {
    const std::string s5 = std::string("S5") + entry.first;
    const std::string s6 = std::string("S6") + entry.first;
    const Placement placement = entry.second;
    Register(s5 + "/portloop-c/wait", "async_wait_t on zx events, zx_object_signal",
             [placement](benchmark::State& state) { S5C(state, placement, Spin::kNone); });
    Register(s5 + "/portloop-cpp/wait", "async::Wait on zx::event, signal()",
             [placement](benchmark::State& state) { S5Cpp(state, placement, Spin::kNone); });
    Register(s6 + "/portloop-c/wait", "async_wait_t on zx_linux_fd_create handles",
             [placement](benchmark::State& state) { S6C(state, placement, Spin::kNone); });
    Register(s6 + "/portloop-cpp/wait", "async::Wait on zx_linux_fd_create handles",
             [placement](benchmark::State& state) { S6Cpp(state, placement, Spin::kNone); });
    Register(s6 + "/portloop-cpp/fd_waiter", "fsl::FDWaiter, one wait per message",
             [placement](benchmark::State& state) { S6FdWaiter(state, placement); });
    if (kHaveIdleSpin) {
      Register(s5 + "/portloop-c/wait_spin", "as wait, async_loop_set_idle_spin(50 us)",
               [placement](benchmark::State& state) { S5C(state, placement, Spin::kIdleSpin); });
      Register(s5 + "/portloop-cpp/wait_spin", "as wait, async_loop_set_idle_spin(50 us)",
               [placement](benchmark::State& state) { S5Cpp(state, placement, Spin::kIdleSpin); });
      Register(s6 + "/portloop-c/wait_spin", "as wait, async_loop_set_idle_spin(50 us)",
               [placement](benchmark::State& state) { S6C(state, placement, Spin::kIdleSpin); });
      Register(s6 + "/portloop-cpp/wait_spin", "as wait, async_loop_set_idle_spin(50 us)",
               [placement](benchmark::State& state) { S6Cpp(state, placement, Spin::kIdleSpin); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace bench
