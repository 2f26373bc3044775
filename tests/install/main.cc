// A client of an installed portloop: an event, a port and a second thread, through lib/zx (so
// libzx and libzircon must both link, in order) and <threads.h> (so portloop's wrapper must find
// the C library's header with #include_next). Prints OK on success.

#include <lib/zx/event.h>
#include <lib/zx/port.h>
#include <lib/zx/time.h>
#include <zircon/status.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <cstdint>
#include <cstdio>

#include <threads.h>

namespace {

constexpr uint64_t kKey = 42;

bool Ok(zx_status_t status, const char* what) {
  if (status != ZX_OK) {
    std::fprintf(stderr, "install_client: %s: %s\n", what, zx_status_get_string(status));
  }
  return status == ZX_OK;
}

int SignalEvent(void* event) {
  return static_cast<zx::event*>(event)->signal(0, ZX_EVENT_SIGNALED);
}

}  // namespace

int main() {
  zx::event event;
  zx::port port;
  if (!Ok(zx::event::create(0, &event), "zx::event::create") ||
      !Ok(zx::port::create(0, &port), "zx::port::create") ||
      !Ok(event.wait_async(port, kKey, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_ONCE), "wait_async")) {
    return 1;
  }

  thrd_t thread;
  if (thrd_create_with_name(&thread, SignalEvent, &event, "signaller") != thrd_success) {
    std::fprintf(stderr, "install_client: thrd_create_with_name failed\n");
    return 1;
  }
  zx_port_packet_t packet{};
  const zx_status_t wait_status = port.wait(zx::time::infinite(), &packet);
  int signal_status = ZX_ERR_INTERNAL;
  thrd_join(thread, &signal_status);
  if (!Ok(wait_status, "zx::port::wait") || !Ok(signal_status, "zx::event::signal")) {
    return 1;
  }

  if (packet.key != kKey || packet.type != ZX_PKT_TYPE_SIGNAL_ONE ||
      (packet.signal.observed & ZX_EVENT_SIGNALED) == 0) {
    std::fprintf(stderr, "install_client: unexpected packet key=%llu type=%u observed=0x%x\n",
                 static_cast<unsigned long long>(packet.key), packet.type, packet.signal.observed);
    return 1;
  }
  std::puts("OK");
  return 0;
}
