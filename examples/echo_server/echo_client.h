// The echo server's test client: many TCP connections on one loop, each sending pseudo-random
// bytes (byte_pattern.h) and checking every byte that comes back.
#ifndef EXAMPLES_ECHO_SERVER_ECHO_CLIENT_H_
#define EXAMPLES_ECHO_SERVER_ECHO_CLIENT_H_

#include <lib/async/dispatcher.h>
#include <lib/fit/function.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace echo {

struct ClientOptions {
  uint16_t port = 0;  // the server's, on 127.0.0.1
  size_t connections = 16;
  uint64_t bytes_per_connection = 1024 * 1024;
  size_t max_connecting = 256;  // connection attempts in flight at once
  uint64_t seed = 1;            // varies the bytes of every connection
};

struct ClientResults {
  size_t connected = 0;
  size_t peak_open = 0;  // connections open at once: all of them, unless some failed
  size_t succeeded = 0;  // sent everything, got every byte back unchanged, then end of stream
  size_t failed = 0;
  uint64_t bytes_sent = 0;
  uint64_t bytes_checked = 0;     // bytes received and compared with what was sent
  uint64_t mismatched_bytes = 0;  // of those, the ones that differ, plus any extra bytes

  bool ok(const ClientOptions& options) const {
    return succeeded == options.connections && mismatched_bytes == 0;
  }
};

// Connects `options.connections` times to the server, and has each connection send one byte
// and wait for its echo; once every connection has (so that the server holds all of them open
// at once), each sends the rest of its `options.bytes_per_connection` bytes, shuts down its
// sending side, and reads the echo until the server closes, checking every byte. Calls
// `on_done` once every connection has ended.
//
// Dispatch-thread only: run it on a single-threaded loop, and destroy it once that loop has
// shut down.
class EchoClient {
 public:
  EchoClient(async_dispatcher_t* dispatcher, const ClientOptions& options, fit::closure on_done);
  ~EchoClient();

  EchoClient(const EchoClient&) = delete;
  EchoClient& operator=(const EchoClient&) = delete;

  // Begins connecting.
  void Start();

  const ClientResults& results() const { return results_; }

 private:
  class Connection;

  // Begins connection attempts while fewer than `max_connecting` are in flight.
  void ConnectMore();
  // Called by a connection when its attempt has ended.
  void OnConnectDone(bool connected);
  // Called once per connection when its first byte is back or it has ended; once all have,
  // makes them send the rest.
  void OnSettled();
  // Called by a connection when it has ended, with its outcome.
  void OnConnectionEnded(bool succeeded, uint64_t sent, uint64_t checked, uint64_t mismatched);
  // Calls `on_done_` if every connection has ended.
  void MaybeDone();

  async_dispatcher_t* const dispatcher_;
  const ClientOptions options_;
  fit::closure on_done_;
  std::vector<std::unique_ptr<Connection>> connections_;
  size_t next_to_connect_ = 0;
  size_t connecting_ = 0;
  size_t settled_ = 0;
  size_t open_ = 0;
  size_t ended_ = 0;
  int mismatches_reported_ = 0;
  ClientResults results_;
  // Shared by all connections, which run on one thread.
  std::vector<uint8_t> send_buffer_;
  std::vector<uint8_t> receive_buffer_;
  std::vector<uint8_t> expected_buffer_;
};

}  // namespace echo

#endif  // EXAMPLES_ECHO_SERVER_ECHO_CLIENT_H_
