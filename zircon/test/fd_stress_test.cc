// Concurrency stress for fd handles on ports: 10,000 fds on one port, several ports and threads
// on different fds at once, a ping-pong between two ports, and handles closed while their fds
// report. Threads synchronise only by joins, counters and the objects under test; iteration
// counts scale with PORTLOOP_STRESS_SCALE.

#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "zircon/test/fd_test_helpers.h"
#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr uint64_t kStopKey = ~uint64_t{0};

// One socket pair with a borrowed handle for `local`.
struct Pair {
  Pair() {
    NewSocketPair(&local, &peer);
    handle = NewFdHandle(local.get());
  }
  OwnedFd local;
  OwnedFd peer;
  OwnedHandle handle;
  std::atomic<int> received{0};
};

void JoinAll(std::vector<std::thread>* threads) {
  for (std::thread& thread : *threads) {
    thread.join();
  }
  threads->clear();
}

void QueueStopPackets(zx_handle_t port, int consumers) {
  for (int c = 0; c < consumers; ++c) {
    const zx_port_packet_t stop = UserPacket(kStopKey);
    ASSERT_EQ(zx_port_queue(port, &stop), ZX_OK);
  }
}

TEST(FdStressTest, TenThousandSocketPairsOnOnePortAllDeliver) {
  constexpr int kCount = 10'000;
  // Each peer is closed once it has written, so the test holds about one fd per pair.
  ScopedFdLimit limit(kCount + 512);
  if (!limit.raised()) {
    GTEST_SKIP() << "needs " << kCount + 512 << " fds; RLIMIT_NOFILE is " << limit.previous()
                 << " and this process may not raise it (CAP_SYS_RESOURCE)";
  }
  OwnedHandle port = NewPort();
  std::vector<OwnedFd> locals(kCount);
  std::vector<OwnedHandle> handles(kCount);
  std::vector<int> seen(kCount, 0);  // the consumer's until joined
  std::thread consumer([&] {
    for (int i = 0; i < kCount; ++i) {
      const zx_port_packet_t packet = AwaitPacket(port.get());
      ASSERT_LT(packet.key, static_cast<uint64_t>(kCount));
      ASSERT_NE(packet.signal.observed & ZX_LINUX_FD_READABLE, 0u);
      ++seen[packet.key];
    }
  });
  // Every wait is registered before its data is written, while the consumer polls.
  for (int i = 0; i < kCount && !HasFailure(); ++i) {
    OwnedFd peer;
    NewSocketPair(&locals[i], &peer);
    handles[i] = NewFdHandle(locals[i].get());
    WaitAsyncOn(handles[i].get(), port.get(), static_cast<uint64_t>(i), ZX_LINUX_FD_READABLE);
    WriteBytes(peer.get());
  }
  consumer.join();
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(seen[i], 1) << "key " << i;
  }
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

// Serves `pairs` on `port`: each packet's pair is read and its wait re-armed until it has had
// `messages` bytes; the thread that completes the last pair signals `done`.
void ServePairs(zx_handle_t port, std::vector<std::unique_ptr<Pair>>* pairs, int messages,
                std::atomic<int>* pairs_left, zx_handle_t done) {
  for (;;) {
    zx_port_packet_t packet = {};
    ASSERT_EQ(zx_port_wait(port, GenerousDeadline(), &packet), ZX_OK);
    if (packet.key == kStopKey) {
      return;
    }
    Pair& pair = *(*pairs)[packet.key];
    // One wait per pair is pending at a time, so one thread at a time is here for `pair`.
    pair.received.fetch_add(static_cast<int>(DrainFd(pair.local.get())));
    if (pair.received.load() < messages) {
      WaitAsyncOn(pair.handle.get(), port, packet.key, ZX_LINUX_FD_READABLE);
    } else if (pairs_left->fetch_sub(1) == 1) {
      ASSERT_EQ(zx_object_signal(done, 0u, ZX_EVENT_SIGNALED), ZX_OK);
    }
  }
}

TEST(FdStressTest, SeveralPortsAndThreadsWaitOnDifferentFdsAtOnce) {
  constexpr int kPorts = 3;
  constexpr int kThreadsPerPort = 2;
  constexpr int kPairsPerPort = 16;
  const int messages = 100 * StressScale();
  OwnedHandle done = NewEvent();
  std::atomic<int> pairs_left{kPorts * kPairsPerPort};
  std::vector<OwnedHandle> ports;
  std::vector<std::vector<std::unique_ptr<Pair>>> pairs(kPorts);
  std::vector<std::thread> threads;
  for (int p = 0; p < kPorts; ++p) {
    ports.push_back(NewPort());
    for (int i = 0; i < kPairsPerPort; ++i) {
      pairs[p].push_back(std::make_unique<Pair>());
      // Blocking writes: the writer may outrun the readers by more than a socket buffer.
      ASSERT_EQ(fcntl(pairs[p].back()->peer.get(), F_SETFL, 0), 0);
      WaitAsyncOn(pairs[p].back()->handle.get(), ports[p].get(), static_cast<uint64_t>(i),
                  ZX_LINUX_FD_READABLE);
    }
    for (int t = 0; t < kThreadsPerPort; ++t) {
      threads.emplace_back(ServePairs, ports[p].get(), &pairs[p], messages, &pairs_left,
                           done.get());
    }
  }
  for (int m = 0; m < messages; ++m) {
    for (auto& port_pairs : pairs) {
      for (auto& pair : port_pairs) {
        WriteBytes(pair->peer.get());
      }
    }
  }
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(done.get(), ZX_EVENT_SIGNALED, GenerousDeadline(), &observed),
            ZX_OK);
  for (auto& port : ports) {
    QueueStopPackets(port.get(), kThreadsPerPort);
  }
  JoinAll(&threads);
  for (auto& port_pairs : pairs) {
    for (auto& pair : port_pairs) {
      EXPECT_EQ(pair->received.load(), messages);
    }
  }
}

// One side of a ping-pong over a socket pair.
struct Side {
  OwnedFd fd;
  OwnedHandle handle;
  OwnedHandle port;
};

// Waits on the side's port for its fd, reads the byte and writes one back, `rounds` times. The
// side that `serves` writes first (and so not after its last read).
void Bounce(Side* side, int rounds, bool serves) {
  if (serves) {
    WriteBytes(side->fd.get());
  }
  for (int i = 0; i < rounds; ++i) {
    WaitAsyncOn(side->handle.get(), side->port.get(), 1u, ZX_LINUX_FD_READABLE);
    ASSERT_EQ(AwaitPacket(side->port.get()).key, 1u);
    ASSERT_EQ(DrainFd(side->fd.get()), 1u);
    if (i + 1 < rounds || !serves) {
      WriteBytes(side->fd.get());
    }
  }
}

TEST(FdStressTest, PingPongBetweenTwoPortsOnTwoThreads) {
  const int rounds = 2000 * StressScale();
  Side left;
  Side right;
  NewSocketPair(&left.fd, &right.fd);
  for (Side* side : {&left, &right}) {
    side->handle = NewFdHandle(side->fd.get());
    side->port = NewPort();
  }
  std::thread right_thread(Bounce, &right, rounds, false);
  Bounce(&left, rounds, true);
  right_thread.join();
}

TEST(FdStressTest, HandlesClosedWhileTheirFdsReport) {
  const int rounds = 500 * StressScale();
  OwnedHandle port = NewPort();
  std::atomic<int> delivered{0};
  std::vector<std::thread> consumers;
  for (int t = 0; t < 2; ++t) {
    consumers.emplace_back([&] {
      for (;;) {
        zx_port_packet_t packet = {};
        ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK);
        if (packet.key == kStopKey) {
          return;
        }
        delivered.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < rounds; ++i) {
    OwnedFd local, peer;
    NewSocketPair(&local, &peer);
    const int fd = local.release();
    OwnedHandle handle = NewFdHandle(fd, ZX_LINUX_FD_ADOPT);
    WaitAsyncOn(handle.get(), port.get(), static_cast<uint64_t>(i), ZX_LINUX_FD_READABLE);
    WriteBytes(peer.get());
    handle.reset();  // races with the report reaching the consumers
    EXPECT_FALSE(IsOpenFd(fd));
  }
  QueueStopPackets(port.get(), 2);
  JoinAll(&consumers);
  EXPECT_LE(delivered.load(), rounds);
}

}  // namespace
}  // namespace zircon_test
