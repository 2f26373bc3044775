// Concurrency stress for signals and waits (reference §2.2-§2.5): async observers re-armed while
// many threads signal, wait_one ping-pong and broadcast wake-ups, and handles closed while other
// threads use them. Threads synchronise only by joins, counters and the objects under test;
// iteration counts scale with PORTLOOP_STRESS_SCALE.

#include <zircon/rights.h>
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

constexpr uint64_t kStopKey = ~uint64_t{0};

void JoinAll(std::vector<std::thread>* threads) {
  for (std::thread& thread : *threads) {
    thread.join();
  }
  threads->clear();
}

std::vector<OwnedHandle> NewEvents(int count) {
  std::vector<OwnedHandle> events;
  for (int i = 0; i < count; ++i) {
    events.push_back(NewEvent());
  }
  return events;
}

// Tells each of `consumers` threads blocked on `port` to stop.
void QueueStopPackets(zx_handle_t port, int consumers) {
  for (int c = 0; c < consumers; ++c) {
    zx_port_packet_t stop = UserPacket(kStopKey);
    ASSERT_EQ(zx_port_queue(port, &stop), ZX_OK);
  }
}

// Hands each packet dequeued from `port` to `handle` until a stop packet arrives.
template <typename Handler>
void ConsumeUntilStopped(zx_handle_t port, Handler handle) {
  for (;;) {
    zx_port_packet_t packet = {};
    ASSERT_EQ(zx_port_wait(port, GenerousDeadline(), &packet), ZX_OK);
    if (packet.key == kStopKey || ::testing::Test::HasFatalFailure()) {
      return;
    }
    handle(packet);
  }
}

// Starts `count` threads that each set ZX_USER_SIGNAL_0 on the events, `rounds` times in all,
// clearing it too when `toggle` is set.
std::vector<std::thread> StartSignallers(int count, int rounds, bool toggle,
                                         const std::vector<OwnedHandle>& events) {
  std::vector<std::thread> threads;
  for (int t = 0; t < count; ++t) {
    threads.emplace_back([&events, rounds, toggle, t] {
      for (int i = 0; i < rounds; ++i) {
        zx_handle_t event = events[static_cast<size_t>(t * 7 + i) % events.size()].get();
        zx_signals_t clear = toggle && (i & 1) ? ZX_USER_SIGNAL_0 : 0u;
        ASSERT_EQ(zx_object_signal(event, clear, clear ? 0u : ZX_USER_SIGNAL_0), ZX_OK);
      }
    });
  }
  return threads;
}

// ONCE waits for ZX_USER_SIGNAL_0, one per event (the key is the event's index), with a flag per
// event saying whether its current registration has yet to produce its packet. Thread-safe.
class OnceRegistrations {
 public:
  OnceRegistrations(zx_handle_t port, const std::vector<OwnedHandle>* events)
      : port_(port), events_(events), armed_(new std::atomic<bool>[events->size()]) {
    for (uint64_t key = 0; key < events->size(); ++key) {
      Arm(key);
    }
  }

  // Clears the event's signal and registers a new wait.
  void Rearm(uint64_t key) {
    ASSERT_EQ(zx_object_signal((*events_)[key].get(), ZX_USER_SIGNAL_0, 0u), ZX_OK);
    Arm(key);
  }

  // Records that the registration of `key` produced its packet; fails on a second packet.
  void Disarm(uint64_t key) {
    ASSERT_LT(key, events_->size());
    // Pairs with the release store in Arm().
    ASSERT_TRUE(armed_[key].exchange(false, std::memory_order_acq_rel)) << "second packet " << key;
  }

  bool IsArmed(uint64_t key) const { return armed_[key].load(std::memory_order_acquire); }

 private:
  void Arm(uint64_t key) {
    // Flagged before registering: the packet may reach a consumer before wait_async returns.
    armed_[key].store(true, std::memory_order_release);
    ASSERT_EQ(zx_object_wait_async((*events_)[key].get(), port_, key, ZX_USER_SIGNAL_0,
                                   ZX_WAIT_ASYNC_ONCE),
              ZX_OK);
  }

  zx_handle_t port_;
  const std::vector<OwnedHandle>* events_;
  std::unique_ptr<std::atomic<bool>[]> armed_;
};

// With every thread stopped: drains the port, then checks that each registration still armed has
// a clear signal (else its wake-up was lost) and produces exactly one packet once asserted.
void CheckNoLostOrDuplicatePackets(zx_handle_t port, const std::vector<OwnedHandle>& events,
                                   OnceRegistrations* registrations) {
  for (zx_port_packet_t packet = {}; zx_port_wait(port, 0, &packet) == ZX_OK;) {
    registrations->Disarm(packet.key);
  }
  for (uint64_t key = 0; key < events.size(); ++key) {
    if (registrations->IsArmed(key)) {
      EXPECT_EQ(SignalsOf(events[key].get()) & ZX_USER_SIGNAL_0, 0u) << "lost wake-up " << key;
      ASSERT_EQ(zx_object_signal(events[key].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
      EXPECT_EQ(TakePacket(port).key, key);
    }
  }
  EXPECT_TRUE(PortIsEmpty(port));
}

// ONCE observers that consumers clear and re-arm while other threads keep asserting the signal.
// Each registration yields at most one packet, and none is lost.
TEST(WaitStressTest, OnceObserversRearmedUnderConcurrentSignalsFireOncePerRegistration) {
  constexpr int kConsumers = 2;
  OwnedHandle port = NewPort();
  std::vector<OwnedHandle> events = NewEvents(8);
  OnceRegistrations registrations(port.get(), &events);

  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&] {
      ConsumeUntilStopped(port.get(), [&](const zx_port_packet_t& packet) {
        ASSERT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
        ASSERT_LT(packet.key, events.size());
        registrations.Disarm(packet.key);
        registrations.Rearm(packet.key);
      });
    });
  }
  std::vector<std::thread> signallers = StartSignallers(3, 20000 * StressScale(), false, events);
  JoinAll(&signallers);
  QueueStopPackets(port.get(), kConsumers);
  JoinAll(&consumers);

  CheckNoLostOrDuplicatePackets(port.get(), events, &registrations);
}

// Checks one packet of a REPEATING wait on ZX_USER_SIGNAL_0 of one of `event_count` events.
void CheckRepeatingPacket(const zx_port_packet_t& packet, int event_count) {
  ASSERT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_REP);
  ASSERT_LT(packet.key, static_cast<uint64_t>(event_count));
  ASSERT_EQ(packet.signal.count, 1u);
  ASSERT_EQ(packet.signal.trigger, ZX_USER_SIGNAL_0);
  ASSERT_NE(packet.signal.observed & ZX_USER_SIGNAL_0, 0u);
}

// REPEATING observers under a storm of set/clear from several threads: every packet is well
// formed, and afterwards every observer is still registered exactly once.
TEST(WaitStressTest, RepeatingObserversSurviveConcurrentSignals) {
  constexpr int kEvents = 8;
  constexpr int kConsumers = 2;
  OwnedHandle port = NewPort();
  std::vector<OwnedHandle> events = NewEvents(kEvents);
  for (uint64_t key = 0; key < kEvents; ++key) {
    ASSERT_EQ(zx_object_wait_async(events[key].get(), port.get(), key, ZX_USER_SIGNAL_0,
                                   ZX_WAIT_ASYNC_REPEATING),
              ZX_OK);
  }

  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&] {
      ConsumeUntilStopped(port.get(), [](const zx_port_packet_t& packet) {
        CheckRepeatingPacket(packet, kEvents);
      });
    });
  }
  std::vector<std::thread> signallers = StartSignallers(3, 20000 * StressScale(), true, events);
  JoinAll(&signallers);
  QueueStopPackets(port.get(), kConsumers);
  JoinAll(&consumers);
  for (zx_port_packet_t packet = {}; zx_port_wait(port.get(), 0, &packet) == ZX_OK;) {
    CheckRepeatingPacket(packet, kEvents);
  }

  for (uint64_t key = 0; key < kEvents; ++key) {
    ASSERT_EQ(zx_object_signal(events[key].get(), ZX_USER_SIGNAL_0, 0u), ZX_OK);
    ASSERT_EQ(zx_object_signal(events[key].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
    EXPECT_EQ(TakePacket(port.get()).key, key);
    EXPECT_TRUE(PortIsEmpty(port.get()));
    EXPECT_EQ(zx_port_cancel(port.get(), events[key].get(), key), ZX_OK);
  }
}

// Pairs of threads bounce a signal across an event pair; each side blocks in wait_one until the
// other answers. A lost wake-up hangs the pair (and the generous deadline turns that into a
// failure).
TEST(WaitStressTest, WaitOnePingPongAcrossEventPairs) {
  constexpr int kPairs = 2;
  const int rounds = 5000 * StressScale();
  std::vector<std::thread> threads;
  std::vector<OwnedHandle> ends(2 * kPairs);
  for (int p = 0; p < kPairs; ++p) {
    NewEventPair(&ends[2 * p], &ends[2 * p + 1]);
    zx_handle_t ping = ends[2 * p].get();
    zx_handle_t pong = ends[2 * p + 1].get();
    threads.emplace_back([ping, rounds] {
      for (int i = 0; i < rounds; ++i) {
        ASSERT_EQ(zx_object_signal_peer(ping, 0u, ZX_USER_SIGNAL_0), ZX_OK);
        ASSERT_EQ(zx_object_wait_one(ping, ZX_USER_SIGNAL_1, GenerousDeadline(), nullptr), ZX_OK);
        ASSERT_EQ(zx_object_signal(ping, ZX_USER_SIGNAL_1, 0u), ZX_OK);
      }
    });
    threads.emplace_back([pong, rounds] {
      for (int i = 0; i < rounds; ++i) {
        ASSERT_EQ(zx_object_wait_one(pong, ZX_USER_SIGNAL_0, GenerousDeadline(), nullptr), ZX_OK);
        ASSERT_EQ(zx_object_signal(pong, ZX_USER_SIGNAL_0, 0u), ZX_OK);
        ASSERT_EQ(zx_object_signal_peer(pong, 0u, ZX_USER_SIGNAL_1), ZX_OK);
      }
    });
  }
  JoinAll(&threads);
  for (const OwnedHandle& end : ends) {
    EXPECT_EQ(SignalsOf(end.get()), ZX_SIGNAL_NONE);
  }
}

// One signal wakes every thread blocked on the object, round after round.
TEST(WaitStressTest, OneSignalWakesEveryWaiter) {
  constexpr int kWaiters = 4;
  const int rounds = 1000 * StressScale();
  std::vector<OwnedHandle> gates = NewEvents(rounds);
  std::atomic<int> passed{0};
  std::vector<std::thread> waiters;
  for (int w = 0; w < kWaiters; ++w) {
    waiters.emplace_back([&] {
      for (const OwnedHandle& gate : gates) {
        ASSERT_EQ(zx_object_wait_one(gate.get(), ZX_USER_SIGNAL_0, GenerousDeadline(), nullptr),
                  ZX_OK);
        passed.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (const OwnedHandle& gate : gates) {
    EXPECT_EQ(zx_object_signal(gate.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  }
  JoinAll(&waiters);
  EXPECT_EQ(passed.load(std::memory_order_relaxed), kWaiters * rounds);
}

// Runs every kind of call once through `handle`, which another thread may close at any moment.
// Each call must either work or find the handle gone.
void UseHandleThatMayBeClosed(zx_handle_t handle, zx_handle_t port, uint64_t key) {
  auto ok_or_bad = [](zx_status_t status) {
    return status == ZX_OK || status == ZX_ERR_BAD_HANDLE;
  };
  zx_status_t status =
      zx_object_signal(handle, ZX_USER_SIGNAL_0, (key & 1u) ? ZX_USER_SIGNAL_0 : 0u);
  EXPECT_TRUE(ok_or_bad(status)) << "signal: " << status;

  zx_signals_t observed = 0u;
  status = zx_object_wait_one(handle, ZX_USER_SIGNAL_0, 0, &observed);
  EXPECT_TRUE(ok_or_bad(status) || status == ZX_ERR_TIMED_OUT || status == ZX_ERR_CANCELED)
      << "wait_one: " << status;

  zx_handle_t duplicate = ZX_HANDLE_INVALID;
  status = zx_handle_duplicate(handle, ZX_RIGHT_SAME_RIGHTS, &duplicate);
  EXPECT_TRUE(ok_or_bad(status)) << "duplicate: " << status;
  EXPECT_EQ(zx_handle_close(duplicate), ZX_OK);

  zx_info_handle_basic_t info = {};
  status = zx_object_get_info(handle, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr);
  EXPECT_TRUE(ok_or_bad(status)) << "get_info: " << status;

  status = zx_object_wait_async(handle, port, key, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);
  EXPECT_TRUE(ok_or_bad(status)) << "wait_async: " << status;
  status = zx_port_cancel(port, handle, key);
  EXPECT_TRUE(ok_or_bad(status) || status == ZX_ERR_NOT_FOUND) << "port_cancel: " << status;

  zx_port_packet_t packet = {};
  status = zx_port_wait(port, 0, &packet);
  EXPECT_TRUE(status == ZX_OK || status == ZX_ERR_TIMED_OUT) << "port_wait: " << status;
}

// Blocks in wait_one on handles that another thread closes; each wait ends CANCELED (with
// ZX_SIGNAL_HANDLE_CLOSED observed) or, if the close came first, BAD_HANDLE.
void WaitOnHandlesUntilClosed(const std::atomic<zx_handle_t>* slots, int slot_count,
                              const std::atomic<bool>* closing) {
  // Acquire pairs with the release store that ends the closing phase.
  for (int i = 0; closing->load(std::memory_order_acquire); ++i) {
    zx_handle_t handle = slots[i % slot_count].load(std::memory_order_acquire);
    zx_signals_t observed = 0u;
    zx_status_t status =
        zx_object_wait_one(handle, ZX_USER_SIGNAL_7, GenerousDeadline(), &observed);
    if (status == ZX_ERR_CANCELED) {
      EXPECT_NE(observed & ZX_SIGNAL_HANDLE_CLOSED, 0u);
    } else {
      EXPECT_EQ(status, ZX_ERR_BAD_HANDLE);
    }
  }
}

TEST(WaitStressTest, ClosingHandlesWhileOtherThreadsUseThem) {
  constexpr int kSlots = 8;
  constexpr int kUsers = 3;
  const int replacements = 10000 * StressScale();
  OwnedHandle port = NewPort();
  std::unique_ptr<std::atomic<zx_handle_t>[]> slots(new std::atomic<zx_handle_t>[kSlots]);
  for (int i = 0; i < kSlots; ++i) {
    slots[i].store(NewEvent().release(), std::memory_order_release);
  }
  std::atomic<bool> closing{true};

  std::vector<std::thread> threads;
  for (int u = 0; u < kUsers; ++u) {
    threads.emplace_back([&, u] {
      for (uint64_t key = static_cast<uint64_t>(u); closing.load(std::memory_order_acquire);
           key += kUsers) {
        zx_handle_t handle = slots[key % kSlots].load(std::memory_order_acquire);
        UseHandleThatMayBeClosed(handle, port.get(), key);
      }
    });
  }
  threads.emplace_back(WaitOnHandlesUntilClosed, slots.get(), kSlots, &closing);

  for (int r = 0; r < replacements; ++r) {
    // Only this thread closes slot handles, so each close must succeed.
    zx_handle_t old = slots[r % kSlots].exchange(NewEvent().release(), std::memory_order_acq_rel);
    EXPECT_EQ(zx_handle_close(old), ZX_OK);
  }
  closing.store(false, std::memory_order_release);
  // Closing the last handles also releases a waiter still blocked on one of them.
  for (int i = 0; i < kSlots; ++i) {
    EXPECT_EQ(zx_handle_close(slots[i].exchange(ZX_HANDLE_INVALID)), ZX_OK);
  }
  JoinAll(&threads);
}

}  // namespace
}  // namespace zircon_test
