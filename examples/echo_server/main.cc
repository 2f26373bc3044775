// Example: a TCP echo server on a multi-threaded async::Loop, and a client that checks every
// byte it gets back. Exits 0 if every connection got back exactly what it sent.
//
//   echo_server [--connections N] [--bytes B] [--client-process]
//
// The server listens on 127.0.0.1 at an ephemeral port and runs on 4 loop threads. The client
// opens N connections (default 16) and, once the server is serving all of them at once, sends
// B pseudo-random bytes on each (default 1 MiB), checking every byte that comes back. It runs on a
// second loop on the main thread or, with --client-process, in a child process (this program again,
// run with --client-only --port P), so that the fds of 10,000 connections fit in each process's fd
// limit; the server then collects the child's exit code through a process handle on its loop.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/wait.h>
#include <lib/zx/event.h>
#include <lib/zx/handle.h>
#include <lib/zx/time.h>
#include <zircon/linux/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>

#include "examples/echo_server/echo_client.h"
#include "examples/echo_server/echo_server.h"

extern char** environ;

namespace {

constexpr int kServerThreads = 4;
// Long enough for 10,000 connections under a sanitizer; a hang fails instead of stalling CTest.
constexpr zx::duration kTimeout = zx::sec(300);

struct Options {
  echo::ClientOptions client;
  bool client_process = false;
  bool client_only = false;
};

bool ParseCount(const char* text, uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0') {
    return false;
  }
  *out = value;
  return true;
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    uint64_t value = 0;
    const bool has_value = i + 1 < argc && ParseCount(argv[i + 1], &value);
    if (arg == "--client-process") {
      options->client_process = true;
    } else if (arg == "--client-only") {
      options->client_only = true;
    } else if (arg == "--connections" && has_value && value > 0) {
      options->client.connections = value;
      ++i;
    } else if (arg == "--bytes" && has_value && value > 0) {
      options->client.bytes_per_connection = value;
      ++i;
    } else if (arg == "--port" && has_value && value > 0 && value <= UINT16_MAX) {
      options->client.port = static_cast<uint16_t>(value);
      ++i;
    } else {
      std::fprintf(stderr, "usage: %s [--connections N] [--bytes B] [--client-process]\n", argv[0]);
      return false;
    }
  }
  return !options->client_only || options->client.port != 0;
}

// Raises the soft fd limit to `needed` fds. Returns false if the hard limit is lower.
bool RaiseFdLimit(uint64_t needed) {
  rlimit limit = {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    std::perror("getrlimit");
    return false;
  }
  if (limit.rlim_cur >= needed) {
    return true;
  }
  if (limit.rlim_max < needed) {
    std::fprintf(stderr, "need %" PRIu64 " fds, but the hard limit is %llu\n", needed,
                 static_cast<unsigned long long>(limit.rlim_max));
    return false;
  }
  limit.rlim_cur = needed;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    std::perror("setrlimit");
    return false;
  }
  return true;
}

// Runs the client on a loop on this thread until every connection has ended or the timeout.
bool RunClient(const echo::ClientOptions& options) {
  async::Loop loop(&kAsyncLoopConfigAttachToThread);
  echo::EchoClient client(loop.dispatcher(), options, [&loop] { loop.Quit(); });
  async::PostDelayedTask(
      loop.dispatcher(),
      [&loop] {
        std::fprintf(stderr, "echo client: timed out\n");
        loop.Quit();
      },
      kTimeout);
  const zx::time start = zx::clock::get_monotonic();
  client.Start();
  loop.Run();
  const double seconds = static_cast<double>((zx::clock::get_monotonic() - start).get()) / 1e9;
  loop.Shutdown();  // ends what a timeout left pending, before the client goes

  const echo::ClientResults& results = client.results();
  std::printf(
      "client: %zu of %zu connections echoed correctly (%zu open at once, %zu failed); "
      "%" PRIu64 " bytes sent, %" PRIu64 " bytes checked, %" PRIu64 " mismatched; %.2f s\n",
      results.succeeded, options.connections, results.peak_open, results.failed, results.bytes_sent,
      results.bytes_checked, results.mismatched_bytes, seconds);
  return results.ok(options);
}

// Runs the client as a child process (this program with --client-only) and waits for its exit
// on the server's loop, through a process handle. Returns true if the child exited with 0.
bool RunClientProcess(const char* self, const echo::ClientOptions& options,
                      async_dispatcher_t* dispatcher) {
  const std::string port = std::to_string(options.port);
  const std::string connections = std::to_string(options.connections);
  const std::string bytes = std::to_string(options.bytes_per_connection);
  const char* argv[] = {self,         "--client-only", "--port",
                        port.c_str(), "--connections", connections.c_str(),
                        "--bytes",    bytes.c_str(),   nullptr};
  std::fflush(stdout);  // or the child's output could come before ours
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, const_cast<char**>(argv), environ);
  if (error != 0) {
    std::fprintf(stderr, "posix_spawn: %s\n", std::strerror(error));
    return false;
  }
  zx::handle process;
  zx_status_t status = zx_linux_process_create(pid, 0, process.reset_and_get_address());
  if (status != ZX_OK) {
    std::fprintf(stderr, "zx_linux_process_create: %s\n", zx_status_get_string(status));
    return false;
  }
  zx::event collected;
  zx::event::create(0, &collected);
  int64_t return_code = -1;
  async::WaitOnce wait(process.get(), ZX_PROCESS_TERMINATED);
  status = wait.Begin(dispatcher, [&](async_dispatcher_t*, async::WaitOnce*, zx_status_t s,
                                      const zx_packet_signal_t*) {
    zx_info_process_t info = {};
    if (s == ZX_OK && zx_object_get_info(process.get(), ZX_INFO_PROCESS, &info, sizeof(info),
                                         nullptr, nullptr) == ZX_OK) {
      return_code = info.return_code;
    }
    collected.signal(0, ZX_USER_SIGNAL_0);
  });
  if (status != ZX_OK) {
    std::fprintf(stderr, "begin wait: %s\n", zx_status_get_string(status));
    kill(pid, SIGKILL);
    return false;
  }
  if (collected.wait_one(ZX_USER_SIGNAL_0, zx::deadline_after(kTimeout + zx::sec(10)), nullptr) !=
      ZX_OK) {
    std::fprintf(stderr, "client process %d did not finish\n", pid);
    kill(pid, SIGKILL);
    // The wait then completes; its handler uses this frame, so it must finish first.
    collected.wait_one(ZX_USER_SIGNAL_0, zx::time::infinite(), nullptr);
    return false;
  }
  std::printf("client process %d exited with %" PRId64 "\n", pid, return_code);
  return return_code == 0;
}

// Prints what the server did, once its loop has shut down, and checks it against what the
// client was asked to do.
bool CheckServer(const echo::ServerCounters& counters, const echo::ClientOptions& options) {
  const uint64_t echoed = counters.bytes_echoed.load(std::memory_order_relaxed);
  const uint64_t errors = counters.errors.load(std::memory_order_relaxed);
  const uint64_t peak = counters.peak_open.load(std::memory_order_relaxed);
  std::printf("server: %" PRIu64 " connections accepted (%" PRIu64 " open at once), %" PRIu64
              " bytes echoed, %" PRIu64 " errors\n",
              counters.accepted.load(std::memory_order_relaxed), peak, echoed, errors);
  // The client holds every connection until all are being served, so the server must have had
  // all of them open at once.
  return echoed == options.connections * options.bytes_per_connection && errors == 0 &&
         peak == options.connections;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    return 2;
  }
  const uint64_t connections = options.client.connections;
  const bool one_side = options.client_only || options.client_process;
  if (!RaiseFdLimit(connections * (one_side ? 1 : 2) + 64)) {
    return 1;
  }
  if (options.client_only) {
    return RunClient(options.client) ? 0 : 1;
  }

  async::Loop server_loop(&kAsyncLoopConfigNoAttachToThread);
  echo::EchoServer server(server_loop.dispatcher());
  const zx_status_t status = server.Start(&options.client.port);
  if (status != ZX_OK) {
    std::fprintf(stderr, "echo server: start: %s\n", zx_status_get_string(status));
    return 1;
  }
  for (int i = 0; i < kServerThreads; ++i) {
    if (server_loop.StartThread("echo-server") != ZX_OK) {
      std::fprintf(stderr, "echo server: cannot start a loop thread\n");
      return 1;
    }
  }
  std::printf("server: listening on 127.0.0.1:%u with %d loop threads\n", options.client.port,
              kServerThreads);
  const bool client_ok = options.client_process
                             ? RunClientProcess(argv[0], options.client, server_loop.dispatcher())
                             : RunClient(options.client);
  server_loop.Shutdown();  // joins the threads: the counters below are final

  const bool ok = CheckServer(server.counters(), options.client) && client_ok;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
