// A 1-byte ping-pong over a socketpair between two threads, three ways, in one run:
//   - portloop: two async::Loops, one thread each, each waiting on its end with async::Wait on
//     a zx_linux_fd_create handle;
//   - raw blocking read/write;
//   - raw epoll: each thread blocks in epoll_wait (level-triggered) and then reads and writes.
// Each benchmark reports `ns_per_round_trip` over kRoundTrips round trips.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/wait.h>
#include <lib/zx/event.h>
#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>

#include <chrono>
#include <thread>

#include <benchmark/benchmark.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int kRoundTrips = 20'000;

struct SocketPair {
  int fds[2] = {-1, -1};
  explicit SocketPair(int flags) { socketpair(AF_UNIX, SOCK_STREAM | flags, 0, fds); }
  ~SocketPair() {
    close(fds[0]);
    close(fds[1]);
  }
};

void Report(benchmark::State& state, double total_ns, int64_t round_trips) {
  state.counters["ns_per_round_trip"] = total_ns / static_cast<double>(round_trips);
}

// One end: reads a byte whenever its fd is readable and answers it, until `remaining` is 0.
class LoopEnd {
 public:
  LoopEnd(int fd, bool initiator, zx::event* done)
      : loop_(&kAsyncLoopConfigNoAttachToThread), fd_(fd), initiator_(initiator), done_(done) {
    zx_linux_fd_create(fd, ZX_LINUX_FD_BORROW, &handle_);
    wait_.set_object(handle_);
    wait_.set_trigger(ZX_LINUX_FD_READABLE);
    wait_.set_handler([this](async_dispatcher_t* d, async::Wait* w, zx_status_t status,
                             const zx_packet_signal_t*) { OnReadable(d, w, status); });
  }
  ~LoopEnd() {
    loop_.Shutdown();
    zx_handle_close(handle_);
  }
  void Start(int round_trips) {
    remaining_ = round_trips;
    wait_.Begin(loop_.dispatcher());
    loop_.StartThread("pingpong");
  }

 private:
  void OnReadable(async_dispatcher_t* dispatcher, async::Wait* wait, zx_status_t status) {
    char byte;
    if (status != ZX_OK || read(fd_, &byte, 1) != 1) {
      wait->Begin(dispatcher);
      return;
    }
    if (initiator_ && --remaining_ == 0) {
      done_->signal(0, ZX_USER_SIGNAL_0);
      return;
    }
    wait->Begin(dispatcher);
    benchmark::DoNotOptimize(write(fd_, &byte, 1));
  }

  async::Loop loop_;
  int fd_;
  bool initiator_;
  zx::event* done_;
  zx_handle_t handle_ = ZX_HANDLE_INVALID;
  async::Wait wait_;
  int remaining_ = 0;
};

void BM_PortloopLoops(benchmark::State& state) {
  double total_ns = 0;
  for (auto _ : state) {
    SocketPair pair(SOCK_NONBLOCK);
    zx::event done;
    zx::event::create(0, &done);
    LoopEnd initiator(pair.fds[0], true, &done);
    LoopEnd echo(pair.fds[1], false, &done);
    initiator.Start(kRoundTrips);
    echo.Start(kRoundTrips);
    const auto start = std::chrono::steady_clock::now();
    char byte = 'x';
    benchmark::DoNotOptimize(write(pair.fds[0], &byte, 1));
    done.wait_one(ZX_USER_SIGNAL_0, zx::time::infinite(), nullptr);
    total_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  }
  Report(state, total_ns, state.iterations() * kRoundTrips);
}
BENCHMARK(BM_PortloopLoops)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_RawBlocking(benchmark::State& state) {
  double total_ns = 0;
  for (auto _ : state) {
    SocketPair pair(0);
    std::thread echo([fd = pair.fds[1]] {
      char byte;
      for (int i = 0; i < kRoundTrips; ++i) {
        if (read(fd, &byte, 1) != 1) {
          return;
        }
        benchmark::DoNotOptimize(write(fd, &byte, 1));
      }
    });
    const auto start = std::chrono::steady_clock::now();
    char byte = 'x';
    for (int i = 0; i < kRoundTrips; ++i) {
      benchmark::DoNotOptimize(write(pair.fds[0], &byte, 1));
      benchmark::DoNotOptimize(read(pair.fds[0], &byte, 1));
    }
    total_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    echo.join();
  }
  Report(state, total_ns, state.iterations() * kRoundTrips);
}
BENCHMARK(BM_RawBlocking)->Unit(benchmark::kMillisecond)->Iterations(5);

// Waits for `fd` to be readable with epoll, then reads one byte.
bool EpollRead(int epoll_fd, int fd, char* byte) {
  epoll_event event;
  for (;;) {
    if (epoll_wait(epoll_fd, &event, 1, -1) == 1 && read(fd, byte, 1) == 1) {
      return true;
    }
  }
}

void BM_RawEpoll(benchmark::State& state) {
  double total_ns = 0;
  for (auto _ : state) {
    SocketPair pair(SOCK_NONBLOCK);
    auto make_epoll = [](int fd) {
      int epoll_fd = epoll_create1(0);
      epoll_event event = {};
      event.events = EPOLLIN;
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
      return epoll_fd;
    };
    const int epoll0 = make_epoll(pair.fds[0]);
    const int epoll1 = make_epoll(pair.fds[1]);
    std::thread echo([&] {
      char byte;
      for (int i = 0; i < kRoundTrips; ++i) {
        EpollRead(epoll1, pair.fds[1], &byte);
        benchmark::DoNotOptimize(write(pair.fds[1], &byte, 1));
      }
    });
    const auto start = std::chrono::steady_clock::now();
    char byte = 'x';
    for (int i = 0; i < kRoundTrips; ++i) {
      benchmark::DoNotOptimize(write(pair.fds[0], &byte, 1));
      EpollRead(epoll0, pair.fds[0], &byte);
    }
    total_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    echo.join();
    close(epoll0);
    close(epoll1);
  }
  Report(state, total_ns, state.iterations() * kRoundTrips);
}
BENCHMARK(BM_RawEpoll)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
