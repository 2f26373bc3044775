// The echo client. A connection is a non-blocking socket wrapped in an fd handle, with three
// waits: WRITABLE for the end of connect(), then WRITABLE to send and READABLE to receive, which
// run side by side. Sent bytes are regenerated from the pattern rather than stored, so that a
// partial write needs no buffer of its own, and received bytes are compared with the pattern at
// their offset, so that every byte is checked however the stream is cut into reads.

#include "examples/echo_server/echo_client.h"

#include <lib/async/cpp/task.h>
#include <lib/async/cpp/wait.h>
#include <lib/zx/handle.h>
#include <zircon/linux/fd.h>
#include <zircon/status.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "examples/echo_server/byte_pattern.h"

namespace echo {
namespace {

constexpr size_t kChunkSize = size_t{64} * 1024;
constexpr int kMismatchesToReport = 5;

// Any of these ends a connect() attempt: WRITABLE on success, ERROR or hang-up on failure.
constexpr zx_signals_t kConnectSignals =
    ZX_LINUX_FD_WRITABLE | ZX_LINUX_FD_ERROR | ZX_LINUX_FD_PEER_CLOSED;
constexpr zx_signals_t kReadSignals =
    ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED | ZX_LINUX_FD_ERROR;
constexpr zx_signals_t kWriteSignals = ZX_LINUX_FD_WRITABLE | ZX_LINUX_FD_ERROR;

bool WouldBlock() { return errno == EAGAIN || errno == EWOULDBLOCK; }

}  // namespace

class EchoClient::Connection {
 public:
  Connection(EchoClient* client, size_t index)
      : client_(client),
        index_(index),
        seed_(Mix(client->options_.seed * 1000003u + index)),
        total_(client->options_.bytes_per_connection) {}

  // Begins connecting to 127.0.0.1:`port`. Returns false, with the connection ended, if the
  // attempt failed at once.
  bool Connect(uint16_t port) {
    ended_ = !StartConnect(port);
    if (ended_) {
      socket_.reset();
    }
    return !ended_;
  }

  // Once connected: sends the first byte and begins receiving. The connection settles when that
  // byte is back, which shows that the server has accepted it and is serving it.
  void Greet() {
    send_limit_ = std::min<uint64_t>(1, total_);
    Send();
    if (!ended_) {
      Receive();
    }
    if (!ended_ && total_ == 0) {
      Settle();
    }
  }

  // Once every connection has settled: sends the rest.
  void SendRest() {
    send_limit_ = total_;
    if (!write_wait_.is_pending()) {
      Send();
    }
  }

  bool ended() const { return ended_; }

 private:
  bool StartConnect(uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      return Report("socket");
    }
    const zx_status_t status =
        zx_linux_fd_create(fd, ZX_LINUX_FD_ADOPT, socket_.reset_and_get_address());
    if (status != ZX_OK) {
      std::fprintf(stderr, "echo client: zx_linux_fd_create: %s\n", zx_status_get_string(status));
      close(fd);
      return false;
    }
    fd_ = fd;
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 &&
        errno != EINPROGRESS) {
      return Report("connect");
    }
    // Completed or not, the socket turns writable once connected: one path for both.
    return Begin(&connect_wait_, kConnectSignals);
  }

  void OnConnectReady(async_dispatcher_t*, async::WaitBase*, zx_status_t status,
                      const zx_packet_signal_t*) {
    int error = 0;
    socklen_t length = sizeof(error);
    if (status == ZX_OK && getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
      error = errno;
    }
    if (status != ZX_OK || error != 0) {
      std::fprintf(stderr, "echo client: connection %zu: connect: %s\n", index_,
                   status != ZX_OK ? zx_status_get_string(status) : std::strerror(error));
      ended_ = true;
      socket_.reset();
    }
    client_->OnConnectDone(!ended_);
    if (!ended_) {
      Greet();
    }
  }

  void OnWritable(async_dispatcher_t*, async::WaitBase*, zx_status_t status,
                  const zx_packet_signal_t*) {
    if (ended_) {
      return;
    }
    if (status == ZX_OK) {
      Send();
    } else {
      End(false);  // ZX_ERR_CANCELED: the loop is shutting down
    }
  }

  void OnReadable(async_dispatcher_t*, async::WaitBase*, zx_status_t status,
                  const zx_packet_signal_t*) {
    if (ended_) {
      return;
    }
    if (status == ZX_OK) {
      Receive();
    } else {
      End(false);
    }
  }

  // Sends pattern bytes up to `send_limit_`, or until the socket is full (then waits for
  // WRITABLE). Once all are sent, shuts down the sending side.
  void Send() {
    uint8_t* buffer = client_->send_buffer_.data();
    while (sent_ < send_limit_) {
      const size_t count = std::min<uint64_t>(kChunkSize, send_limit_ - sent_);
      FillPattern(seed_, sent_, buffer, count);
      const ssize_t written = send(fd_, buffer, count, MSG_NOSIGNAL);
      if (written > 0) {
        sent_ += written;  // the rest is generated again next time
      } else if (WouldBlock()) {
        if (!Begin(&write_wait_, kWriteSignals)) {
          End(false);
        }
        return;
      } else if (errno != EINTR) {
        Report("send");
        End(false);
        return;
      }
    }
    if (sent_ == total_ && !shut_down_) {
      shut_down_ = true;
      if (shutdown(fd_, SHUT_WR) != 0) {
        Report("shutdown");
        End(false);
      }
    }
  }

  // Checks what has arrived until the socket is empty (then waits for READABLE) or the server
  // closes (then the connection ends).
  void Receive() {
    uint8_t* buffer = client_->receive_buffer_.data();
    for (;;) {
      const ssize_t count = recv(fd_, buffer, kChunkSize, 0);
      if (count > 0) {
        Check(buffer, count);
      } else if (count == 0) {
        End(sent_ == total_ && received_ == total_ && mismatched_ == 0);
        return;
      } else if (WouldBlock()) {
        if (!Begin(&read_wait_, kReadSignals)) {
          End(false);
        }
        return;
      } else if (errno != EINTR) {
        Report("recv");
        End(false);
        return;
      }
    }
  }

  // Compares `count` received bytes with the pattern at their offset; bytes past the end of
  // what was sent all count as mismatches.
  void Check(const uint8_t* data, size_t count) {
    const size_t expected_count = std::min<uint64_t>(count, total_ - received_);
    uint8_t* expected = client_->expected_buffer_.data();
    FillPattern(seed_, received_, expected, expected_count);
    if (std::memcmp(data, expected, expected_count) != 0) {
      for (size_t i = 0; i < expected_count; ++i) {
        if (data[i] != expected[i]) {
          ReportMismatch(received_ + i, expected[i], data[i]);
        }
      }
    }
    if (count > expected_count) {
      ReportMismatch(total_, 0, data[expected_count]);
      mismatched_ += count - expected_count - 1;
    }
    received_ += count;
    if (!settled_) {
      Settle();
    }
  }

  void Settle() {
    settled_ = true;
    client_->OnSettled();
  }

  void ReportMismatch(uint64_t offset, uint8_t expected, uint8_t got) {
    ++mismatched_;
    if (client_->mismatches_reported_++ < kMismatchesToReport) {
      std::fprintf(stderr,
                   "echo client: connection %zu: byte %" PRIu64 " is 0x%02x, expected 0x%02x%s\n",
                   index_, offset, got, expected, offset >= total_ ? " (past the end)" : "");
    }
  }

  // Begins `wait` for `signals` on the socket. Returns false if the loop refused (it is
  // shutting down).
  bool Begin(async::WaitBase* wait, zx_signals_t signals) {
    wait->set_object(socket_.get());
    wait->set_trigger(signals);
    const zx_status_t status = wait->Begin(client_->dispatcher_);
    if (status != ZX_OK) {
      std::fprintf(stderr, "echo client: connection %zu: begin wait: %s\n", index_,
                   zx_status_get_string(status));
      return false;
    }
    return true;
  }

  // Ends the connection: cancels its other wait and closes the socket.
  void End(bool succeeded) {
    if (ended_) {
      return;
    }
    ended_ = true;
    (void)write_wait_.Cancel();  // NOT_FOUND if it is not pending: fine either way
    (void)read_wait_.Cancel();
    socket_.reset();
    if (!settled_) {
      Settle();  // the others need not wait for this one
    }
    client_->OnConnectionEnded(succeeded, sent_, received_, mismatched_);
  }

  bool Report(const char* call) {
    std::fprintf(stderr, "echo client: connection %zu: %s: %s\n", index_, call,
                 std::strerror(errno));
    return false;
  }

  EchoClient* const client_;
  const size_t index_;
  const uint64_t seed_;
  const uint64_t total_;
  int fd_ = -1;
  zx::handle socket_;  // adopts fd_
  uint64_t send_limit_ = 0;
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
  uint64_t mismatched_ = 0;
  bool shut_down_ = false;  // the sending side
  bool settled_ = false;
  bool ended_ = false;
  async::WaitMethod<Connection, &Connection::OnConnectReady> connect_wait_{this};
  async::WaitMethod<Connection, &Connection::OnWritable> write_wait_{this};
  async::WaitMethod<Connection, &Connection::OnReadable> read_wait_{this};
};

EchoClient::EchoClient(async_dispatcher_t* dispatcher, const ClientOptions& options,
                       fit::closure on_done)
    : dispatcher_(dispatcher),
      options_(options),
      on_done_(std::move(on_done)),
      send_buffer_(kChunkSize),
      receive_buffer_(kChunkSize),
      expected_buffer_(kChunkSize) {}

EchoClient::~EchoClient() = default;

void EchoClient::Start() {
  connections_.reserve(options_.connections);
  for (size_t i = 0; i < options_.connections; ++i) {
    connections_.push_back(std::make_unique<Connection>(this, i));
  }
  ConnectMore();
  MaybeDone();  // no connections at all
}

void EchoClient::ConnectMore() {
  while (next_to_connect_ < connections_.size() && connecting_ < options_.max_connecting) {
    Connection* connection = connections_[next_to_connect_++].get();
    ++connecting_;
    if (!connection->Connect(options_.port)) {
      --connecting_;
      ++results_.failed;
      ++ended_;
      OnSettled();
    }
  }
}

void EchoClient::OnConnectDone(bool connected) {
  --connecting_;
  if (connected) {
    ++results_.connected;
    results_.peak_open = std::max(results_.peak_open, ++open_);
  } else {
    ++results_.failed;
    ++ended_;
    OnSettled();
  }
  ConnectMore();
  MaybeDone();
}

void EchoClient::OnSettled() {
  if (++settled_ < connections_.size()) {
    return;
  }
  // Every connection is being served, or has failed: the server holds all of them open at once.
  // A task, so that no connection is re-entered from its own handler.
  async::PostTask(dispatcher_, [this] {
    for (const auto& connection : connections_) {
      if (!connection->ended()) {
        connection->SendRest();
      }
    }
  });
}

void EchoClient::OnConnectionEnded(bool succeeded, uint64_t sent, uint64_t checked,
                                   uint64_t mismatched) {
  --open_;
  ++ended_;
  ++(succeeded ? results_.succeeded : results_.failed);
  results_.bytes_sent += sent;
  results_.bytes_checked += checked;
  results_.mismatched_bytes += mismatched;
  MaybeDone();
}

void EchoClient::MaybeDone() {
  if (ended_ == connections_.size() && on_done_) {
    fit::closure on_done = std::move(on_done_);
    on_done_ = nullptr;
    on_done();
  }
}

}  // namespace echo
