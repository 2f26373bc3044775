// The floor of S5-S7: raw Linux mechanisms with no loop around them.
//   S5: a busy-spinning atomic (no sleep: the cost of moving a cache line; two CPUs only), futex
//       wait/wake, blocking read on eventfds, blocking read on pipes;
//   S6: blocking read/write on the socketpair, and a level-triggered epoll_wait loop per thread;
//   S7: single system calls and the vDSO clock, each in a tight loop.
#include <atomic>
#include <thread>

#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "bench/scenarios/common.h"

namespace bench {
namespace {

// ---- S5 ----

void S5BusySpin(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  // 1: B's turn; 0: A's turn; 2: B stops.
  std::atomic<int> turn{0};
  RunPingPong(
      state, placement, n,
      [&] {
        for (;;) {
          int value;
          while ((value = turn.load(std::memory_order_acquire)) == 0) {
            __builtin_ia32_pause();
          }
          if (value == 2) {
            return;
          }
          turn.store(0, std::memory_order_release);  // pairs with A's acquire load
        }
      },
      [&] {
        for (int64_t i = 0; i < n; ++i) {
          turn.store(1, std::memory_order_release);  // pairs with B's acquire load
          while (turn.load(std::memory_order_acquire) != 0) {
            __builtin_ia32_pause();
          }
        }
      },
      [&] { turn.store(2, std::memory_order_release); });
}

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op | FUTEX_PRIVATE_FLAG, value,
                 nullptr, nullptr, 0);
}

void S5Futex(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  // 1: B's turn; 0: A's turn; 2: B stops.
  std::atomic<uint32_t> turn{0};
  RunPingPong(
      state, placement, n,
      [&] {
        for (;;) {
          uint32_t value;
          while ((value = turn.load(std::memory_order_acquire)) == 0) {
            Futex(&turn, FUTEX_WAIT, 0);
          }
          if (value == 2) {
            return;
          }
          turn.store(0, std::memory_order_release);  // pairs with A's acquire load
          Futex(&turn, FUTEX_WAKE, 1);
        }
      },
      [&] {
        for (int64_t i = 0; i < n; ++i) {
          turn.store(1, std::memory_order_release);  // pairs with B's acquire load
          Futex(&turn, FUTEX_WAKE, 1);
          while (turn.load(std::memory_order_acquire) == 1) {
            Futex(&turn, FUTEX_WAIT, 1);
          }
        }
      },
      [&] {
        turn.store(2, std::memory_order_release);
        Futex(&turn, FUTEX_WAKE, 1);
      });
}

// Blocking reads on two fd channels: `to_b` carries pings, `to_a` pongs. B answers exactly `n`
// pings, so it needs no stop signal.
void BlockingPingPong(benchmark::State& state, Placement placement, int to_b_read, int to_b_write,
                      int to_a_read, int to_a_write, size_t size) {
  const int64_t n = sizes().round_trips;
  RunPingPong(
      state, placement, n,
      [&] {
        uint64_t message;
        for (int64_t i = 0; i < n; ++i) {
          benchmark::DoNotOptimize(read(to_b_read, &message, size));
          benchmark::DoNotOptimize(write(to_a_write, &message, size));
        }
      },
      [&] {
        uint64_t message = 1;
        for (int64_t i = 0; i < n; ++i) {
          benchmark::DoNotOptimize(write(to_b_write, &message, size));
          benchmark::DoNotOptimize(read(to_a_read, &message, size));
        }
      },
      [] {});
}

void S5Eventfd(benchmark::State& state, Placement placement) {
  const int to_b = eventfd(0, 0);
  const int to_a = eventfd(0, 0);
  BlockingPingPong(state, placement, to_b, to_b, to_a, to_a, sizeof(uint64_t));
  close(to_b);
  close(to_a);
}

void S5Pipe(benchmark::State& state, Placement placement) {
  int to_b[2];
  int to_a[2];
  if (pipe(to_b) != 0 || pipe(to_a) != 0) {
    state.SkipWithError("pipe() failed");
    return;
  }
  BlockingPingPong(state, placement, to_b[0], to_b[1], to_a[0], to_a[1], 1);
  for (int fd : {to_b[0], to_b[1], to_a[0], to_a[1]}) {
    close(fd);
  }
}

// ---- S6 ----

void S6Blocking(benchmark::State& state, Placement placement) {
  int fds[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
  BlockingPingPong(state, placement, fds[1], fds[0], fds[0], fds[1], 1);
  close(fds[0]);
  close(fds[1]);
}

// Waits (level-triggered) for `fd` to be readable, then reads one byte.
void EpollRead(int epoll_fd, int fd, char* byte) {
  epoll_event event;
  for (;;) {
    if (epoll_wait(epoll_fd, &event, 1, -1) == 1 && read(fd, byte, 1) == 1) {
      return;
    }
  }
}

int EpollFor(int fd) {
  const int epoll_fd = epoll_create1(0);
  epoll_event event = {};
  event.events = EPOLLIN;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  return epoll_fd;
}

void S6Epoll(benchmark::State& state, Placement placement) {
  const int64_t n = sizes().round_trips;
  int fds[2];
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds);
  const int epoll_a = EpollFor(fds[0]);
  const int epoll_b = EpollFor(fds[1]);
  RunPingPong(
      state, placement, n,
      [&] {
        char byte;
        for (int64_t i = 0; i < n; ++i) {
          EpollRead(epoll_b, fds[1], &byte);
          benchmark::DoNotOptimize(write(fds[1], &byte, 1));
        }
      },
      [&] {
        char byte = 'x';
        for (int64_t i = 0; i < n; ++i) {
          benchmark::DoNotOptimize(write(fds[0], &byte, 1));
          EpollRead(epoll_a, fds[0], &byte);
        }
      },
      [] {});
  for (int fd : {epoll_a, epoll_b, fds[0], fds[1]}) {
    close(fd);
  }
}

// ---- S7 ----

// Times `calls` calls of `call` and reports ns_per_op.
template <typename Call>
void TimeCalls(benchmark::State& state, int64_t calls, Call call) {
  AllocWindow allocs;
  const int64_t start = NowNs();
  for (int64_t i = 0; i < calls; ++i) {
    call();
  }
  ReportPerOp(state, NowNs() - start, calls, allocs.Count());
}

void S7EventfdWrite(benchmark::State& state) {
  const int fd = eventfd(0, EFD_NONBLOCK);
  const uint64_t one = 1;
  TimeCalls(state, sizes().calls, [&] { benchmark::DoNotOptimize(write(fd, &one, sizeof(one))); });
  close(fd);
}

void S7EventfdRead(benchmark::State& state) {
  // A semaphore eventfd loaded with one count per call, so that every read takes one.
  const int fd = eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE);
  const uint64_t calls = static_cast<uint64_t>(sizes().calls);
  benchmark::DoNotOptimize(write(fd, &calls, sizeof(calls)));
  uint64_t value;
  TimeCalls(state, sizes().calls,
            [&] { benchmark::DoNotOptimize(read(fd, &value, sizeof(value))); });
  close(fd);
}

void S7EventfdReadEmpty(benchmark::State& state) {
  const int fd = eventfd(0, EFD_NONBLOCK);
  uint64_t value;
  TimeCalls(state, sizes().calls,
            [&] { benchmark::DoNotOptimize(read(fd, &value, sizeof(value))); });
  close(fd);
}

void S7EpollWait(benchmark::State& state) {
  const int epoll_fd = epoll_create1(0);
  epoll_event event;
  TimeCalls(state, sizes().calls,
            [&] { benchmark::DoNotOptimize(epoll_wait(epoll_fd, &event, 1, 0)); });
  close(epoll_fd);
}

void S7FutexWake(benchmark::State& state) {
  std::atomic<uint32_t> word{0};
  TimeCalls(state, sizes().calls, [&] { benchmark::DoNotOptimize(Futex(&word, FUTEX_WAKE, 1)); });
}

void S7ClockGettime(benchmark::State& state) {
  timespec ts;
  TimeCalls(state, sizes().calls * 10, [&] {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    benchmark::DoNotOptimize(ts);
  });
}

void S7TimerfdSettime(benchmark::State& state) {
  const int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  const itimerspec spec{{0, 0}, {3600, 0}};
  TimeCalls(state, sizes().calls,
            [&] { benchmark::DoNotOptimize(timerfd_settime(fd, 0, &spec, nullptr)); });
  close(fd);
}

void S7Getppid(benchmark::State& state) {
  TimeCalls(state, sizes().calls, [] { benchmark::DoNotOptimize(syscall(SYS_getppid)); });
}

[[maybe_unused]] const bool kRegistered = [] {
  const std::pair<const char*, Placement> placements[] = {{"", Placement::kTwoCpus},
                                                          {"same", Placement::kSameCpu}};
  for (const auto& entry : placements) {
    const std::string s5 = std::string("S5") + entry.first;
    const std::string s6 = std::string("S6") + entry.first;
    const Placement placement = entry.second;
    if (placement == Placement::kTwoCpus) {
      // Spinning against a thread on the same CPU only burns its time slices.
      Register(s5 + "/floor/busy_spin", "busy-spin atomic (no sleep)",
               [placement](benchmark::State& state) { S5BusySpin(state, placement); });
    }
    Register(s5 + "/floor/futex", "futex wait/wake",
             [placement](benchmark::State& state) { S5Futex(state, placement); });
    Register(s5 + "/floor/eventfd", "eventfd blocking read",
             [placement](benchmark::State& state) { S5Eventfd(state, placement); });
    Register(s5 + "/floor/pipe", "pipe blocking read",
             [placement](benchmark::State& state) { S5Pipe(state, placement); });
    Register(s6 + "/floor/blocking", "blocking read/write",
             [placement](benchmark::State& state) { S6Blocking(state, placement); });
    Register(s6 + "/floor/epoll", "raw epoll_wait loop (LT)",
             [placement](benchmark::State& state) { S6Epoll(state, placement); });
  }
  Register("S7/floor/eventfd_write", "eventfd write", S7EventfdWrite);
  Register("S7/floor/eventfd_read", "eventfd read (counter>0, EFD_SEMAPHORE)", S7EventfdRead);
  Register("S7/floor/eventfd_read_empty", "eventfd read (empty, EAGAIN)", S7EventfdReadEmpty);
  Register("S7/floor/epoll_wait", "epoll_wait(timeout=0, empty set)", S7EpollWait);
  Register("S7/floor/futex_wake", "futex wake (no waiter)", S7FutexWake);
  Register("S7/floor/clock_gettime", "clock_gettime(MONOTONIC) vDSO", S7ClockGettime);
  Register("S7/floor/timerfd_settime", "timerfd_settime (relative, re-arm)", S7TimerfdSettime);
  Register("S7/floor/getppid", "getppid (null syscall)", S7Getppid);
  return true;
}();

}  // namespace
}  // namespace bench
