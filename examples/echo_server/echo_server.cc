// The echo server: a listening socket whose READABLE wait accepts connections, and one
// Connection per accepted socket that echoes with non-blocking reads and writes.
//
// A connection reads into its thread's scratch buffer and writes the chunk straight back; only
// what the socket does not take (a partial write, or EAGAIN) is copied into the connection, and
// then the connection waits for WRITABLE and reads nothing more until that is written. So
// memory per idle connection is a few words, and an echo needs no copy in the common case. A
// connection owns itself: it deletes itself when the peer has shut down and everything is
// echoed, on an error, or when the loop's shutdown cancels its wait.

#include "examples/echo_server/echo_server.h"

#include <lib/zx/handle.h>
#include <zircon/linux/fd.h>
#include <zircon/status.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace echo {
namespace {

// Chunks a connection echoes before it lets other connections on its thread have a turn.
constexpr int kChunksPerTurn = 16;
constexpr size_t kScratchSize = size_t{64} * 1024;
// Connections accepted per listener wakeup before the listener waits again.
constexpr int kAcceptsPerTurn = 64;

constexpr zx_signals_t kReadSignals =
    ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED | ZX_LINUX_FD_ERROR;
// Not PEER_CLOSED: after the peer's half-close it stays asserted while the socket may be full.
constexpr zx_signals_t kWriteSignals = ZX_LINUX_FD_WRITABLE | ZX_LINUX_FD_ERROR;

uint8_t* ScratchBuffer() {
  thread_local std::vector<uint8_t> buffer(kScratchSize);
  return buffer.data();
}

// Raises `peak` to at least `value`.
void RaisePeak(std::atomic<uint64_t>* peak, uint64_t value) {
  uint64_t seen = peak->load(std::memory_order_relaxed);  // a statistic: no ordering needed
  while (seen < value && !peak->compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

class Connection {
 public:
  // Takes `fd` (a connected non-blocking socket) and starts echoing on `dispatcher`.
  static void Start(async_dispatcher_t* dispatcher, ServerCounters* counters, int fd) {
    zx::handle socket;
    const zx_status_t status =
        zx_linux_fd_create(fd, ZX_LINUX_FD_ADOPT, socket.reset_and_get_address());
    if (status != ZX_OK) {
      std::fprintf(stderr, "echo server: zx_linux_fd_create: %s\n", zx_status_get_string(status));
      close(fd);
      counters->errors.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    (new Connection(dispatcher, counters, fd, std::move(socket)))->Pump();
  }

 private:
  enum class Step { kProgress, kWouldBlock, kEnded };

  Connection(async_dispatcher_t* dispatcher, ServerCounters* counters, int fd, zx::handle socket)
      : dispatcher_(dispatcher), counters_(counters), fd_(fd), socket_(std::move(socket)) {
    const uint64_t open = counters_->open.fetch_add(1, std::memory_order_relaxed) + 1;
    RaisePeak(&counters_->peak_open, open);
  }

  // Closing the handle closes the socket, which it adopted.
  ~Connection() { counters_->open.fetch_sub(1, std::memory_order_relaxed); }

  void OnReady(async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
               const zx_packet_signal_t* signal) {
    (void)dispatcher;
    (void)wait;
    (void)signal;  // the socket calls below tell what is ready, and report any error
    if (status != ZX_OK) {
      delete this;  // ZX_ERR_CANCELED: the loop is shutting down
      return;
    }
    Pump();
  }

  // Echoes until the socket would block, then waits; or ends the connection.
  void Pump() {
    for (int chunk = 0; chunk < kChunksPerTurn; ++chunk) {
      const Step step = pending_.empty() ? EchoChunk() : WritePending();
      if (step == Step::kEnded) {
        delete this;
        return;
      }
      if (step == Step::kWouldBlock) {
        WaitFor(pending_.empty() ? kReadSignals : kWriteSignals);
        return;
      }
    }
    // Out of turns while still ready: the level-triggered wait completes again at once.
    WaitFor(pending_.empty() ? kReadSignals : kWriteSignals);
  }

  // Reads one chunk and writes it back; what the socket does not take becomes pending.
  Step EchoChunk() {
    uint8_t* buffer = ScratchBuffer();
    const ssize_t count = recv(fd_, buffer, kScratchSize, 0);
    if (count == 0) {
      return Step::kEnded;  // the peer shut down, and all it sent has been echoed
    }
    if (count < 0) {
      return ErrorStep("recv");
    }
    counters_->bytes_echoed.fetch_add(count, std::memory_order_relaxed);
    size_t sent = 0;
    while (sent < static_cast<size_t>(count)) {
      const ssize_t written = send(fd_, buffer + sent, count - sent, MSG_NOSIGNAL);
      if (written > 0) {
        sent += written;
        continue;
      }
      const Step step = ErrorStep("send");
      if (step == Step::kWouldBlock) {
        pending_.assign(buffer + sent, buffer + count);
        pending_offset_ = 0;
      }
      if (step != Step::kProgress) {
        return step;
      }
    }
    return Step::kProgress;
  }

  // Writes what the socket would not take before.
  Step WritePending() {
    while (pending_offset_ < pending_.size()) {
      const ssize_t written = send(fd_, pending_.data() + pending_offset_,
                                   pending_.size() - pending_offset_, MSG_NOSIGNAL);
      if (written > 0) {
        pending_offset_ += written;
        continue;
      }
      const Step step = ErrorStep("send");
      if (step != Step::kProgress) {
        return step;
      }
    }
    pending_.clear();
    pending_offset_ = 0;
    return Step::kProgress;
  }

  // What a failed recv() or send() means: would block, retry (EINTR), or the end (an error).
  Step ErrorStep(const char* call) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return Step::kWouldBlock;
    }
    if (errno == EINTR) {
      return Step::kProgress;
    }
    // %m prints errno; unlike strerror(), it is thread-safe.
    std::fprintf(stderr, "echo server: %s: %m\n", call);
    counters_->errors.fetch_add(1, std::memory_order_relaxed);
    return Step::kEnded;
  }

  // Waits for `signals`; once begun, the handler may run on another thread at once, so nothing
  // here touches the connection after a successful Begin().
  void WaitFor(zx_signals_t signals) {
    wait_.set_object(socket_.get());
    wait_.set_trigger(signals);
    if (wait_.Begin(dispatcher_) != ZX_OK) {
      delete this;  // the loop is shutting down
    }
  }

  async_dispatcher_t* const dispatcher_;
  ServerCounters* const counters_;
  const int fd_;
  zx::handle socket_;             // adopts fd_
  std::vector<uint8_t> pending_;  // echo bytes the socket has not taken yet
  size_t pending_offset_ = 0;
  async::WaitMethod<Connection, &Connection::OnReady> wait_{this};
};

}  // namespace

EchoServer::EchoServer(async_dispatcher_t* dispatcher) : dispatcher_(dispatcher) {}

EchoServer::~EchoServer() = default;

zx_status_t EchoServer::Start(uint16_t* out_port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    std::perror("echo server: socket");
    return ZX_ERR_IO;
  }
  const zx_status_t status =
      zx_linux_fd_create(fd, ZX_LINUX_FD_ADOPT, listener_.reset_and_get_address());
  if (status != ZX_OK) {
    close(fd);
    return status;
  }
  listen_fd_ = fd;
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // ephemeral
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, SOMAXCONN) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("echo server: bind, listen or getsockname");
    return ZX_ERR_IO;
  }
  *out_port = ntohs(address.sin_port);
  accept_wait_.set_object(listener_.get());
  accept_wait_.set_trigger(ZX_LINUX_FD_READABLE | ZX_LINUX_FD_ERROR);
  return accept_wait_.Begin(dispatcher_);
}

void EchoServer::OnListenerReady(async_dispatcher_t* dispatcher, async::WaitBase* wait,
                                 zx_status_t status, const zx_packet_signal_t* signal) {
  (void)signal;
  if (status != ZX_OK) {
    return;  // ZX_ERR_CANCELED: the loop is shutting down
  }
  for (int i = 0; i < kAcceptsPerTurn; ++i) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      counters_.accepted.fetch_add(1, std::memory_order_relaxed);
      Connection::Start(dispatcher, &counters_, fd);
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      break;
    }
    if (errno == EINTR || errno == ECONNABORTED) {
      continue;
    }
    // Out of fds or memory: retrying at once would spin, so this example stops accepting.
    std::fprintf(stderr, "echo server: accept4: %m; no longer accepting\n");
    counters_.errors.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (wait->Begin(dispatcher) != ZX_OK) {
    return;  // the loop is shutting down
  }
}

}  // namespace echo
