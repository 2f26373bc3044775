// portloop demo, part 1: Zircon events, ports and timers shared between two threads (part 2,
// loop_demo.cc, shows the message loop).
//
// A worker thread blocks in zx_port_wait() and describes every packet that reaches its port.
// The main thread makes things happen: it signals an event, queues user packets and arms a timer.
// After each step the main thread waits until the worker has acknowledged every packet it
// expects (on a second port), so the output is the same on every run although the two threads
// run concurrently; only the timing varies, and nothing timing-dependent is printed.
//
// Only the public C API of <zircon/...> is used, as a Fuchsia program would use it.

#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "loop_demo.h"

namespace {

// Keys say where a packet on the worker's port comes from.
constexpr uint64_t kEventKey = 1;
constexpr uint64_t kUserKey = 2;
constexpr uint64_t kTimerKey = 3;
constexpr uint64_t kStopKey = 99;

constexpr int kTimerFirings = 3;

// A demo has nothing better to do with a failed call than to say so and stop.
void Check(zx_status_t status, const char* what) {
  if (status != ZX_OK) {
    std::fprintf(stderr, "demo: %s failed: %s\n", what, zx_status_get_string(status));
    std::exit(1);
  }
}

const char* PacketTypeName(uint32_t type) {
  switch (type) {
    case ZX_PKT_TYPE_USER:
      return "USER";
    case ZX_PKT_TYPE_SIGNAL_ONE:
      return "SIGNAL_ONE";
    case ZX_PKT_TYPE_SIGNAL_REP:
      return "SIGNAL_REP";
    default:
      return "other";
  }
}

const char* SourceName(uint64_t key) {
  if (key == kEventKey) {
    return "event";
  }
  if (key == kUserKey) {
    return "user packet";
  }
  if (key == kTimerKey) {
    return "timer";
  }
  return key == kStopKey ? "stop" : "unknown";
}

// The worker thread: prints each packet as it arrives and acknowledges it on `reply_port` with
// the time it saw it, until the stop packet arrives.
void RunWorker(zx_handle_t port, zx_handle_t reply_port) {
  for (;;) {
    zx_port_packet_t packet{};
    Check(zx_port_wait(port, ZX_TIME_INFINITE, &packet), "zx_port_wait");
    const zx_time_t received = zx_clock_get_monotonic();

    std::printf("  worker: key=%-2" PRIu64 " %-11s type=%-10s", packet.key, SourceName(packet.key),
                PacketTypeName(packet.type));
    if (packet.type == ZX_PKT_TYPE_USER) {
      std::printf(" payload=%" PRIu64 "\n", packet.user.u64[0]);
    } else {
      std::printf(" trigger=0x%x observed=0x%x\n", packet.signal.trigger, packet.signal.observed);
    }
    if (packet.key == kStopKey) {
      std::printf("  worker: exiting\n");
      return;
    }

    zx_port_packet_t reply{};
    reply.key = packet.key;
    reply.user.u64[0] = static_cast<uint64_t>(received);
    Check(zx_port_queue(reply_port, &reply), "zx_port_queue(reply)");
  }
}

// Waits for `count` acknowledgements from the worker and returns the last one.
zx_port_packet_t AwaitReplies(zx_handle_t reply_port, int count) {
  zx_port_packet_t reply{};
  for (int i = 0; i < count; ++i) {
    Check(zx_port_wait(reply_port, ZX_TIME_INFINITE, &reply), "zx_port_wait(reply)");
  }
  return reply;
}

void QueueUserPacket(zx_handle_t port, uint64_t key, uint64_t payload) {
  zx_port_packet_t packet{};
  packet.key = key;
  packet.user.u64[0] = payload;
  Check(zx_port_queue(port, &packet), "zx_port_queue");
}

// Arms one timer at +10ms, +20ms and +30ms from now, each time after the worker has seen the
// previous firing. One REPEATING wait reports all three: zx_timer_set() clears ZX_TIMER_SIGNALED,
// so every deadline raises the signal anew. Exits unless every firing came at or after its
// deadline.
void DemoTimer(zx_handle_t port, zx_handle_t reply_port, zx_handle_t timer) {
  Check(zx_object_wait_async(timer, port, kTimerKey, ZX_TIMER_SIGNALED, ZX_WAIT_ASYNC_REPEATING),
        "zx_object_wait_async(timer)");
  const zx_time_t start = zx_clock_get_monotonic();
  bool on_time = true;
  for (int i = 1; i <= kTimerFirings; ++i) {
    const zx_time_t deadline = start + ZX_MSEC(10) * i;
    std::printf("main: arming the timer at +%dms\n", 10 * i);
    Check(zx_timer_set(timer, deadline, 0), "zx_timer_set");
    const zx_port_packet_t reply = AwaitReplies(reply_port, 1);
    on_time = on_time && static_cast<zx_time_t>(reply.user.u64[0]) >= deadline;
  }
  std::printf("main: the timer never fired before its deadline: %s\n", on_time ? "yes" : "NO");
  if (!on_time) {
    std::exit(1);
  }
}

}  // namespace

int main() {
  zx_handle_t port = ZX_HANDLE_INVALID;
  zx_handle_t reply_port = ZX_HANDLE_INVALID;
  zx_handle_t event = ZX_HANDLE_INVALID;
  zx_handle_t timer = ZX_HANDLE_INVALID;
  Check(zx_port_create(0, &port), "zx_port_create");
  Check(zx_port_create(0, &reply_port), "zx_port_create");
  Check(zx_event_create(0, &event), "zx_event_create");
  Check(zx_timer_create(ZX_TIMER_SLACK_CENTER, ZX_CLOCK_MONOTONIC, &timer), "zx_timer_create");

  std::printf("main: starting a worker thread that blocks in zx_port_wait\n");
  std::thread worker(RunWorker, port, reply_port);

  std::printf("main: wait_async(event, ONCE), then signaling the event\n");
  Check(zx_object_wait_async(event, port, kEventKey, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_ONCE),
        "zx_object_wait_async(event)");
  Check(zx_object_signal(event, 0, ZX_EVENT_SIGNALED), "zx_object_signal");
  AwaitReplies(reply_port, 1);

  std::printf("main: queueing two user packets\n");
  QueueUserPacket(port, kUserKey, 100);
  QueueUserPacket(port, kUserKey, 200);
  AwaitReplies(reply_port, 2);

  std::printf("main: wait_async(timer, REPEATING)\n");
  DemoTimer(port, reply_port, timer);

  std::printf("main: queueing the stop packet and joining the worker\n");
  QueueUserPacket(port, kStopKey, 0);
  worker.join();

  Check(zx_handle_close(timer), "zx_handle_close(timer)");
  Check(zx_handle_close(event), "zx_handle_close(event)");
  Check(zx_handle_close(reply_port), "zx_handle_close(reply_port)");
  Check(zx_handle_close(port), "zx_handle_close(port)");

  RunLoopDemo();
  std::printf("main: done\n");
  return 0;
}
