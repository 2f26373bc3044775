// A TCP echo server on fd handles: each socket is a handle (<zircon/linux/fd.h>) whose
// READABLE and WRITABLE signals drive non-blocking reads and writes from async waits.
#ifndef EXAMPLES_ECHO_SERVER_ECHO_SERVER_H_
#define EXAMPLES_ECHO_SERVER_ECHO_SERVER_H_

#include <lib/async/cpp/wait.h>
#include <lib/async/dispatcher.h>
#include <lib/zx/handle.h>
#include <zircon/types.h>

#include <atomic>
#include <cstdint>

namespace echo {

// What a server has done so far. Thread-safe. Statistics only: updated with relaxed atomics,
// and read exactly once the loop has shut down (joining its threads orders every update before
// the read), or as a rough progress figure.
struct ServerCounters {
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> open{0};  // connections accepted and not yet closed
  std::atomic<uint64_t> peak_open{0};
  std::atomic<uint64_t> bytes_echoed{0};
  std::atomic<uint64_t> errors{0};  // failed accepts and connections that ended on an error
};

// Listens on 127.0.0.1 and echoes back every byte each connection sends, until the peer shuts
// down its side; then closes the connection. Each connection has one wait pending at a time,
// so its handler never runs on two threads at once, while different connections are served in
// parallel by the threads of a multi-threaded loop.
//
// Thread-safe once started. The loop must shut down before the server is destroyed: its
// shutdown cancels every wait, and each connection deletes itself when its wait is canceled.
class EchoServer {
 public:
  explicit EchoServer(async_dispatcher_t* dispatcher);
  ~EchoServer();

  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  // Listens on 127.0.0.1 at an ephemeral port, stored in `*out_port`, and begins accepting.
  //
  // Returns ZX_OK if the server is accepting.
  // Returns ZX_ERR_IO if a socket call failed (errno is printed).
  // Returns the status of zx_linux_fd_create() or of beginning the wait if they fail.
  zx_status_t Start(uint16_t* out_port);

  const ServerCounters& counters() const { return counters_; }

 private:
  // Accepts every pending connection, then waits for the next.
  void OnListenerReady(async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
                       const zx_packet_signal_t* signal);

  async_dispatcher_t* const dispatcher_;
  int listen_fd_ = -1;
  zx::handle listener_;  // adopts listen_fd_
  async::WaitMethod<EchoServer, &EchoServer::OnListenerReady> accept_wait_{this};
  ServerCounters counters_;
};

}  // namespace echo

#endif  // EXAMPLES_ECHO_SERVER_ECHO_SERVER_H_
