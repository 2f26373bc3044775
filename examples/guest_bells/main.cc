// guest_bells: a KVM guest rings a doorbell page; an async::Loop on another thread receives
// each bell through an async::GuestBellTrap. First a few bells, each printed; then a burst that
// measures bells per second from one guest vCPU to one loop thread.
//
// Usage: guest_bells [--bells N] [--spin-us U]
//   N: bells in the measured burst (default 200000); U: the loop's idle spin in microseconds
//   (async_loop_set_idle_spin; default 0, the loop thread sleeps whenever it runs out of bells).
// Exits 0, printing "skipped: no /dev/kvm", where the host has no KVM.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/linux/idle_spin.h>
#include <lib/async/cpp/trap.h>
#include <lib/zx/guest.h>
#include <lib/zx/resource.h>
#include <lib/zx/vmar.h>
#include <zircon/linux/guest.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "examples/guest_bells/guest_image.h"

namespace {

// Runs a fresh guest that rings `count` bells into `loop` and returns once the loop has handled
// them all. `print` prints each bell from the handler. Returns false on failure.
bool RingBells(async::Loop& loop, uint32_t count, bool print, double* out_seconds) {
  zx::guest guest;
  zx::vmar vmar;
  zx_status_t status = zx::guest::create(zx::resource(), 0, &guest, &vmar);
  if (status != ZX_OK) {
    fprintf(stderr, "zx_guest_create: %s\n", zx_status_get_string(status));
    return false;
  }
  void* memory = nullptr;
  size_t size = 0;
  if (zx_linux_guest_memory(guest.get(), &memory, &size) != ZX_OK) {
    return false;
  }
  const std::vector<uint8_t> image = guest_bells::DoorbellImage(count);
  memcpy(static_cast<uint8_t*>(memory) + guest_bells::kEntry, image.data(), image.size());
  zx_handle_t vcpu = ZX_HANDLE_INVALID;
  if (zx_vcpu_create(guest.get(), 0, guest_bells::kEntry, &vcpu) != ZX_OK) {
    return false;
  }

  std::atomic<uint32_t> handled{0};
  async::GuestBellTrap trap([&](async_dispatcher_t*, async::GuestBellTrap*, zx_status_t status,
                                const zx_packet_guest_bell_t* bell) {
    if (print) {
      printf("bell %u: guest wrote 0x%lx (%s)\n", handled.load(std::memory_order_relaxed) + 1,
             static_cast<unsigned long>(bell->addr), zx_status_get_string(status));
    }
    handled.fetch_add(1, std::memory_order_release);
  });
  status =
      trap.SetTrap(loop.dispatcher(), guest, guest_bells::kDoorbell, guest_bells::kDoorbellSize);
  if (status != ZX_OK) {
    fprintf(stderr, "SetTrap: %s\n", zx_status_get_string(status));
    zx_handle_close(vcpu);
    return false;
  }

  const auto start = std::chrono::steady_clock::now();
  zx_port_packet_t packet;
  status = zx_vcpu_resume(vcpu, &packet);  // runs the guest here until its HLT
  while (handled.load(std::memory_order_acquire) < count) {
    std::this_thread::yield();
  }
  *out_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  zx_handle_close(vcpu);
  if (status != ZX_ERR_STOP) {
    fprintf(stderr, "zx_vcpu_resume: %s\n", zx_status_get_string(status));
    return false;
  }
  // Every bell has been handled, so no packet refers to `trap` any more; closing the guest
  // before `trap` goes would also remove any that were still queued.
  guest.reset();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t burst = 200000;
  zx_duration_t spin = 0;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--bells") == 0 && i + 1 < argc) {
      burst = static_cast<uint32_t>(strtoul(argv[++i], nullptr, 0));
    } else if (strcmp(argv[i], "--spin-us") == 0 && i + 1 < argc) {
      spin = ZX_USEC(strtol(argv[++i], nullptr, 0));
    } else {
      fprintf(stderr, "usage: %s [--bells N] [--spin-us U]\n", argv[0]);
      return 2;
    }
  }
  zx::guest probe;
  zx::vmar vmar;
  if (zx::guest::create(zx::resource(), 0, &probe, &vmar) == ZX_ERR_NOT_SUPPORTED) {
    printf("skipped: no /dev/kvm\n");
    return 0;
  }
  probe.reset();

  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  if (zx_status_t status = async_loop_set_idle_spin(loop.loop(), spin); status != ZX_OK) {
    fprintf(stderr, "async_loop_set_idle_spin: %s\n", zx_status_get_string(status));
    return 2;
  }
  if (loop.StartThread("bells") != ZX_OK) {
    return 1;
  }
  double seconds = 0;
  if (!RingBells(loop, 5, /*print=*/true, &seconds)) {
    return 1;
  }
  if (!RingBells(loop, burst, /*print=*/false, &seconds)) {
    return 1;
  }
  printf("%u bells from one vCPU to one loop thread in %.3f s: %.0f bells/s (idle spin %lld us)\n",
         burst, seconds, burst / seconds, static_cast<long long>(spin / 1000));
  loop.Shutdown();
  return 0;
}
