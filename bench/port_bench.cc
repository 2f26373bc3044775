// The Zircon core's two hot paths beside the raw Linux floor, in one run:
//   - a zx_port_queue + zx_port_wait pair on one thread, beside an eventfd write + read pair;
//   - a two-thread signal-to-wake round trip on events (zx_object_signal + zx_object_wait_one),
//     beside the same ping-pong over two eventfds.
#include <zircon/syscalls.h>

#include <cstdint>
#include <thread>

#include <benchmark/benchmark.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace {

void BM_PortQueueWait(benchmark::State& state) {
  zx_handle_t port;
  zx_port_create(0, &port);
  zx_port_packet_t packet = {};
  packet.key = 1;
  for (auto _ : state) {
    zx_port_queue(port, &packet);
    zx_port_wait(port, ZX_TIME_INFINITE, &packet);
  }
  zx_handle_close(port);
}
BENCHMARK(BM_PortQueueWait);

void BM_EventfdWriteRead(benchmark::State& state) {
  int fd = eventfd(0, 0);
  uint64_t value = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(write(fd, &value, sizeof(value)));
    benchmark::DoNotOptimize(read(fd, &value, sizeof(value)));
  }
  close(fd);
}
BENCHMARK(BM_EventfdWriteRead);

// One round trip: A signals ping and waits for pong; B waits for ping, clears it, signals pong.
void BM_EventSignalWakeRoundTrip(benchmark::State& state) {
  zx_handle_t ping;
  zx_handle_t pong;
  zx_event_create(0, &ping);
  zx_event_create(0, &pong);
  std::thread echo([&] {
    for (;;) {
      zx_signals_t observed = 0;
      zx_object_wait_one(ping, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, &observed);
      if (observed & ZX_USER_SIGNAL_0) {
        return;
      }
      zx_object_signal(ping, ZX_EVENT_SIGNALED, 0);
      zx_object_signal(pong, 0, ZX_EVENT_SIGNALED);
    }
  });
  for (auto _ : state) {
    zx_object_signal(ping, 0, ZX_EVENT_SIGNALED);
    zx_object_wait_one(pong, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, nullptr);
    zx_object_signal(pong, ZX_EVENT_SIGNALED, 0);
  }
  zx_object_signal(ping, 0, ZX_USER_SIGNAL_0);
  echo.join();
  zx_handle_close(ping);
  zx_handle_close(pong);
}
BENCHMARK(BM_EventSignalWakeRoundTrip)->UseRealTime();

void BM_EventfdRoundTrip(benchmark::State& state) {
  int ping = eventfd(0, 0);
  int pong = eventfd(0, 0);
  std::thread echo([&] {
    uint64_t value;
    for (;;) {
      if (read(ping, &value, sizeof(value)) != sizeof(value) || value > 1) {
        return;
      }
      value = 1;
      benchmark::DoNotOptimize(write(pong, &value, sizeof(value)));
    }
  });
  uint64_t value = 1;
  for (auto _ : state) {
    value = 1;
    benchmark::DoNotOptimize(write(ping, &value, sizeof(value)));
    benchmark::DoNotOptimize(read(pong, &value, sizeof(value)));
  }
  value = 2;  // tells the echo thread to stop
  benchmark::DoNotOptimize(write(ping, &value, sizeof(value)));
  echo.join();
  close(ping);
  close(pong);
}
BENCHMARK(BM_EventfdRoundTrip)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
