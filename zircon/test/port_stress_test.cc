// Concurrency stress for ports (reference §2.5, §2.6): many producers and consumers, and the race
// between zx_port_cancel and delivery. Threads synchronise only by joins, counters and packets;
// iteration counts scale with PORTLOOP_STRESS_SCALE.

#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

// A key no data packet uses; one is queued per consumer to tell it to stop.
constexpr uint64_t kStopKey = ~uint64_t{0};

// One counter per expected packet, bumped by whichever thread receives it.
class ReceiptCounters {
 public:
  explicit ReceiptCounters(size_t count) : count_(count), counts_(new std::atomic<int>[count]) {
    for (size_t i = 0; i < count; ++i) {
      counts_[i].store(0, std::memory_order_relaxed);
    }
  }

  // Returns false if `key` is out of range.
  bool Record(uint64_t key) {
    if (key >= count_) {
      return false;
    }
    // Relaxed: the totals are read only after the recording threads were joined.
    counts_[key].fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  int CountOf(size_t key) const { return counts_[key].load(std::memory_order_relaxed); }
  size_t size() const { return count_; }

 private:
  size_t count_;
  std::unique_ptr<std::atomic<int>[]> counts_;
};

// Queues `packet`, retrying while the port is full (consumers are draining it).
void QueueRetryingWhileFull(zx_handle_t port, const zx_port_packet_t& packet) {
  zx_status_t status;
  while ((status = zx_port_queue(port, &packet)) == ZX_ERR_SHOULD_WAIT) {
    std::this_thread::yield();
  }
  ASSERT_EQ(status, ZX_OK);
}

// Receives packets until a stop packet, recording each data packet's key.
void ConsumeUntilStopped(zx_handle_t port, ReceiptCounters* receipts) {
  for (;;) {
    zx_port_packet_t packet = {};
    ASSERT_EQ(zx_port_wait(port, GenerousDeadline(), &packet), ZX_OK);
    if (packet.key == kStopKey) {
      return;
    }
    ASSERT_TRUE(receipts->Record(packet.key)) << "unexpected key " << packet.key;
  }
}

// Joins and clears `threads`.
void JoinAll(std::vector<std::thread>* threads) {
  for (std::thread& thread : *threads) {
    thread.join();
  }
  threads->clear();
}

TEST(PortStressTest, EveryQueuedPacketIsReceivedExactlyOnce) {
  constexpr int kProducers = 4;
  constexpr int kConsumers = 4;
  const int packets_per_producer = 25000 * StressScale();
  OwnedHandle port = NewPort();
  ReceiptCounters receipts(static_cast<size_t>(kProducers) * packets_per_producer);

  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back(ConsumeUntilStopped, port.get(), &receipts);
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < packets_per_producer; ++i) {
        uint64_t key = static_cast<uint64_t>(p) * packets_per_producer + i;
        QueueRetryingWhileFull(port.get(), UserPacket(key, ~key));
      }
    });
  }
  JoinAll(&producers);
  // Ports are FIFO, so every data packet is dequeued before the first stop packet.
  for (int c = 0; c < kConsumers; ++c) {
    QueueRetryingWhileFull(port.get(), UserPacket(kStopKey));
  }
  JoinAll(&consumers);

  for (size_t key = 0; key < receipts.size(); ++key) {
    ASSERT_EQ(receipts.CountOf(key), 1) << "key " << key;
  }
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortStressTest, PayloadsArriveIntactUnderContention) {
  constexpr int kThreads = 4;
  const int rounds = 10000 * StressScale();
  OwnedHandle port = NewPort();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    // Every thread both queues and dequeues; each packet's payload is derived from its key.
    threads.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        uint64_t key = static_cast<uint64_t>(t) << 32 | static_cast<uint64_t>(i);
        QueueRetryingWhileFull(port.get(), UserPacket(key, key * 3u + 1u));
        zx_port_packet_t packet = {};
        ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK);
        ASSERT_EQ(packet.type, ZX_PKT_TYPE_USER);
        ASSERT_EQ(packet.user.u64[0], packet.key * 3u + 1u);
      }
    });
  }
  JoinAll(&threads);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

// Starts a thread that sets and clears ZX_USER_SIGNAL_0 on the events in turn while `*running`.
std::thread StartToggler(const std::vector<OwnedHandle>* events, const std::atomic<bool>* running) {
  return std::thread([events, running] {
    // Acquire pairs with the release store that ends the run.
    for (uint32_t i = 0; running->load(std::memory_order_acquire); ++i) {
      zx_handle_t event = (*events)[i % events->size()].get();
      ASSERT_EQ(zx_object_signal(event, ZX_USER_SIGNAL_0, (i & 4u) ? ZX_USER_SIGNAL_0 : 0u), ZX_OK);
    }
  });
}

// Registers ONCE waits with keys 0 to `count` - 1 on the events in turn, cancelling each right
// away, and records in `cancelled` the keys whose cancel answered ZX_OK.
void RegisterAndCancelEach(zx_handle_t port, const std::vector<OwnedHandle>& events, int count,
                           ReceiptCounters* cancelled) {
  for (uint64_t key = 0; key < static_cast<uint64_t>(count); ++key) {
    zx_handle_t event = events[key % events.size()].get();
    ASSERT_EQ(zx_object_wait_async(event, port, key, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
    zx_status_t status = zx_port_cancel(port, event, key);
    ASSERT_TRUE(status == ZX_OK || status == ZX_ERR_NOT_FOUND) << "status " << status;
    if (status == ZX_OK) {
      cancelled->Record(key);
    }
  }
}

// Each registration is cancelled right after it was made, while another thread toggles the
// signal and consumers dequeue. Exactly one of "cancel said ZX_OK" and "a packet arrived" must
// hold for every registration: the packet cannot both be removed and delivered, nor be lost.
TEST(PortStressTest, CancelRacingDeliveryDecidesEachWaitExactlyOnce) {
  constexpr int kConsumers = 2;
  const int registrations = 20000 * StressScale();
  OwnedHandle port = NewPort();
  std::vector<OwnedHandle> events;
  for (int e = 0; e < 4; ++e) {
    events.push_back(NewEvent());
  }
  ReceiptCounters delivered(static_cast<size_t>(registrations));
  ReceiptCounters cancelled(static_cast<size_t>(registrations));
  std::atomic<bool> toggling{true};

  std::vector<std::thread> threads;
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back(ConsumeUntilStopped, port.get(), &delivered);
  }
  threads.push_back(StartToggler(&events, &toggling));
  RegisterAndCancelEach(port.get(), events, registrations, &cancelled);
  toggling.store(false, std::memory_order_release);
  // A NOT_FOUND cancel means the packet had been dequeued already, so the stop packets queued now
  // come out after every packet that is still to be recorded.
  for (int c = 0; c < kConsumers; ++c) {
    QueueRetryingWhileFull(port.get(), UserPacket(kStopKey));
  }
  JoinAll(&threads);

  for (size_t key = 0; key < delivered.size(); ++key) {
    ASSERT_EQ(delivered.CountOf(key) + cancelled.CountOf(key), 1) << "key " << key;
  }
}

TEST(PortStressTest, WaitersWithShortDeadlinesLoseNoPackets) {
  constexpr int kConsumers = 3;
  const int packets = 20000 * StressScale();
  OwnedHandle port = NewPort();
  ReceiptCounters receipts(static_cast<size_t>(packets));
  std::atomic<int> received{0};
  const zx_time_t give_up = GenerousDeadline();

  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&] {
      // Time-outs are expected here and must never swallow a packet.
      while (received.load(std::memory_order_relaxed) < packets &&
             zx_clock_get_monotonic() < give_up) {
        zx_port_packet_t packet = {};
        zx_status_t status = zx_port_wait(port.get(), zx_deadline_after(ZX_USEC(50)), &packet);
        if (status == ZX_OK) {
          ASSERT_TRUE(receipts.Record(packet.key));
          received.fetch_add(1, std::memory_order_relaxed);
        } else {
          ASSERT_EQ(status, ZX_ERR_TIMED_OUT);
        }
      }
    });
  }
  for (int key = 0; key < packets; ++key) {
    QueueRetryingWhileFull(port.get(), UserPacket(static_cast<uint64_t>(key)));
  }
  JoinAll(&consumers);

  for (size_t key = 0; key < receipts.size(); ++key) {
    ASSERT_EQ(receipts.CountOf(key), 1) << "key " << key;
  }
}

}  // namespace
}  // namespace zircon_test
