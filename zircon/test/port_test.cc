// Ports (reference §1.4, §2.6): create, queue, wait, capacity and error paths.

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr zx_rights_t kPortRights = Without(ZX_RIGHTS_BASIC, ZX_RIGHT_WAIT) | ZX_RIGHTS_IO;

// The per-port limit: the era kernel refuses a packet when more than 2048 are queued.
constexpr int kPortCapacity = 2049;

TEST(PortTest, CreateGivesAPortWithDefaultRights) {
  OwnedHandle port;
  ASSERT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);

  zx_info_handle_basic_t info = BasicInfo(port.get());
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_PORT);
  EXPECT_EQ(info.rights, kPortRights);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortTest, CreateWithUnknownOptionsReturnsInvalidArgs) {
  for (uint32_t options : {2u, 3u, 0x80000000u}) {
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_EQ(zx_port_create(options, &out), ZX_ERR_INVALID_ARGS) << "options " << options;
    EXPECT_EQ(out, ZX_HANDLE_INVALID);
  }
}

TEST(PortTest, CreateWithNullOutReturnsInvalidArgs) {
  EXPECT_EQ(zx_port_create(0u, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(PortTest, QueuedPacketsComeOutInFifoOrder) {
  OwnedHandle port = NewPort();
  for (uint64_t key = 1u; key <= 10u; ++key) {
    zx_port_packet_t packet = UserPacket(key, key * 100u);
    ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  }

  for (uint64_t key = 1u; key <= 10u; ++key) {
    zx_port_packet_t packet = TakePacket(port.get());
    EXPECT_EQ(packet.key, key);
    EXPECT_EQ(packet.user.u64[0], key * 100u);
  }
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortTest, QueueForcesUserTypeAndKeepsKeyStatusAndPayload) {
  OwnedHandle port = NewPort();
  zx_port_packet_t sent = {};
  sent.key = 0xfedcba9876543210u;
  sent.type = ZX_PKT_TYPE_SIGNAL_ONE;
  sent.status = ZX_ERR_CANCELED;
  for (uint8_t i = 0; i < 32u; ++i) {
    sent.user.c8[i] = static_cast<uint8_t>(i * 7u + 1u);
  }
  ASSERT_EQ(zx_port_queue(port.get(), &sent), ZX_OK);

  zx_port_packet_t received = TakePacket(port.get());
  EXPECT_EQ(received.type, ZX_PKT_TYPE_USER);
  EXPECT_EQ(received.key, sent.key);
  EXPECT_EQ(received.status, ZX_ERR_CANCELED);
  EXPECT_EQ(std::memcmp(received.user.c8, sent.user.c8, sizeof(sent.user.c8)), 0);
}

TEST(PortTest, QueueCopiesThePacket) {
  OwnedHandle port = NewPort();
  zx_port_packet_t packet = UserPacket(1u, 11u);
  ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  packet.key = 2u;
  packet.user.u64[0] = 22u;

  zx_port_packet_t received = TakePacket(port.get());
  EXPECT_EQ(received.key, 1u);
  EXPECT_EQ(received.user.u64[0], 11u);
}

TEST(PortTest, WaitOnEmptyPortWithPastDeadlineTimesOutAtOnce) {
  OwnedHandle port = NewPort();
  zx_port_packet_t packet = {};
  for (zx_time_t deadline :
       {zx_time_t{0}, ZX_TIME_INFINITE_PAST, zx_time_t{1}, zx_clock_get_monotonic() - ZX_SEC(1)}) {
    EXPECT_EQ(zx_port_wait(port.get(), deadline, &packet), ZX_ERR_TIMED_OUT)
        << "deadline " << deadline;
  }
}

TEST(PortTest, WaitWithPastDeadlineReturnsAQueuedPacket) {
  OwnedHandle port = NewPort();
  zx_port_packet_t sent = UserPacket(5u);
  ASSERT_EQ(zx_port_queue(port.get(), &sent), ZX_OK);
  ASSERT_EQ(zx_port_queue(port.get(), &sent), ZX_OK);

  zx_port_packet_t received = {};
  EXPECT_EQ(zx_port_wait(port.get(), 0, &received), ZX_OK);
  EXPECT_EQ(received.key, 5u);
  EXPECT_EQ(zx_port_wait(port.get(), ZX_TIME_INFINITE_PAST, &received), ZX_OK);
  EXPECT_EQ(zx_port_wait(port.get(), 0, &received), ZX_ERR_TIMED_OUT);
}

TEST(PortTest, WaitWithFutureDeadlineTimesOutOnEmptyPort) {
  OwnedHandle port = NewPort();
  zx_port_packet_t packet = {};
  EXPECT_EQ(zx_port_wait(port.get(), zx_deadline_after(ZX_MSEC(1)), &packet), ZX_ERR_TIMED_OUT);
}

TEST(PortTest, PacketQueuedByAnotherThreadWakesTheWaiter) {
  OwnedHandle port = NewPort();
  zx_status_t status = ZX_ERR_INTERNAL;
  zx_port_packet_t received = {};
  std::thread waiter([&] { status = zx_port_wait(port.get(), ZX_TIME_INFINITE, &received); });

  zx_port_packet_t sent = UserPacket(42u, 4242u);
  EXPECT_EQ(zx_port_queue(port.get(), &sent), ZX_OK);
  waiter.join();
  EXPECT_EQ(status, ZX_OK);
  EXPECT_EQ(received.key, 42u);
  EXPECT_EQ(received.user.u64[0], 4242u);
}

TEST(PortTest, EachPacketGoesToExactlyOneOfSeveralWaiters) {
  constexpr int kWaiters = 4;
  constexpr int kPacketsPerWaiter = 50;
  OwnedHandle port = NewPort();
  std::vector<std::vector<uint64_t>> keys(kWaiters);
  std::vector<std::thread> waiters;
  for (int w = 0; w < kWaiters; ++w) {
    waiters.emplace_back([&port, &mine = keys[w]] {
      for (int i = 0; i < kPacketsPerWaiter; ++i) {
        zx_port_packet_t packet = {};
        ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK);
        mine.push_back(packet.key);
      }
    });
  }
  for (uint64_t key = 0u; key < kWaiters * kPacketsPerWaiter; ++key) {
    zx_port_packet_t packet = UserPacket(key);
    EXPECT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  }
  for (std::thread& waiter : waiters) {
    waiter.join();
  }

  std::set<uint64_t> all;
  for (const std::vector<uint64_t>& mine : keys) {
    EXPECT_EQ(mine.size(), static_cast<size_t>(kPacketsPerWaiter));
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kWaiters * kPacketsPerWaiter));
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortTest, PortHoldsExactly2049Packets) {
  OwnedHandle port = NewPort();
  for (int i = 0; i < kPortCapacity; ++i) {
    zx_port_packet_t packet = UserPacket(static_cast<uint64_t>(i));
    ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK) << "packet " << i;
  }
  zx_port_packet_t extra = UserPacket(99999u);
  EXPECT_EQ(zx_port_queue(port.get(), &extra), ZX_ERR_SHOULD_WAIT);

  EXPECT_EQ(TakePacket(port.get()).key, 0u);
  EXPECT_EQ(zx_port_queue(port.get(), &extra), ZX_OK);
  EXPECT_EQ(zx_port_queue(port.get(), &extra), ZX_ERR_SHOULD_WAIT);
}

TEST(PortTest, RefusedPacketIsNotDelivered) {
  OwnedHandle port = NewPort();
  for (int i = 0; i < kPortCapacity; ++i) {
    zx_port_packet_t packet = UserPacket(static_cast<uint64_t>(i));
    ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  }
  zx_port_packet_t refused = UserPacket(99999u);
  ASSERT_EQ(zx_port_queue(port.get(), &refused), ZX_ERR_SHOULD_WAIT);

  for (int i = 0; i < kPortCapacity; ++i) {
    ASSERT_EQ(TakePacket(port.get()).key, static_cast<uint64_t>(i));
  }
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortTest, DuplicateHandlesShareOneQueue) {
  OwnedHandle port = NewPort();
  OwnedHandle duplicate = Duplicate(port.get());
  zx_port_packet_t packet = UserPacket(3u);
  ASSERT_EQ(zx_port_queue(duplicate.get(), &packet), ZX_OK);

  EXPECT_EQ(TakePacket(port.get()).key, 3u);
  EXPECT_TRUE(PortIsEmpty(duplicate.get()));
}

TEST(PortTest, QueueOnBadHandleReturnsBadHandle) {
  zx_port_packet_t packet = UserPacket(1u);
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_port_queue(bad, &packet), ZX_ERR_BAD_HANDLE) << "handle " << bad;
  }
}

TEST(PortTest, QueueWithoutWriteRightReturnsAccessDenied) {
  OwnedHandle port = NewPort();
  OwnedHandle read_only = Duplicate(port.get(), Without(kPortRights, ZX_RIGHT_WRITE));
  zx_port_packet_t packet = UserPacket(1u);

  EXPECT_EQ(zx_port_queue(read_only.get(), &packet), ZX_ERR_ACCESS_DENIED);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortTest, QueueOnOtherObjectsChecksRightsBeforeType) {
  OwnedHandle event = NewEvent();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  zx_port_packet_t packet = UserPacket(1u);

  // An event lacks ZX_RIGHT_WRITE; a channel has it and is not a port.
  EXPECT_EQ(zx_port_queue(event.get(), &packet), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_port_queue(end0.get(), &packet), ZX_ERR_WRONG_TYPE);
}

TEST(PortTest, QueueNullPacketReturnsInvalidArgs) {
  OwnedHandle port = NewPort();
  EXPECT_EQ(zx_port_queue(port.get(), nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(PortTest, WaitOnBadHandleReturnsBadHandle) {
  zx_port_packet_t packet = {};
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_port_wait(bad, 0, &packet), ZX_ERR_BAD_HANDLE) << "handle " << bad;
  }
}

TEST(PortTest, WaitWithoutReadRightReturnsAccessDenied) {
  OwnedHandle port = NewPort();
  OwnedHandle write_only = Duplicate(port.get(), Without(kPortRights, ZX_RIGHT_READ));
  zx_port_packet_t packet = UserPacket(1u);
  ASSERT_EQ(zx_port_queue(write_only.get(), &packet), ZX_OK);

  EXPECT_EQ(zx_port_wait(write_only.get(), 0, &packet), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(TakePacket(port.get()).key, 1u);
}

TEST(PortTest, WaitOnOtherObjectsChecksRightsBeforeType) {
  OwnedHandle event = NewEvent();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  zx_port_packet_t packet = {};

  // An event lacks ZX_RIGHT_READ; a channel has it and is not a port.
  EXPECT_EQ(zx_port_wait(event.get(), 0, &packet), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_port_wait(end0.get(), 0, &packet), ZX_ERR_WRONG_TYPE);
}

TEST(PortTest, WaitWithNullPacketReturnsInvalidArgs) {
  OwnedHandle port = NewPort();
  zx_port_packet_t packet = UserPacket(1u);
  ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);

  EXPECT_EQ(zx_port_wait(port.get(), 0, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(PortTest, PortsCannotBeWaitedOn) {
  OwnedHandle port = NewPort();
  zx_signals_t observed = 0u;
  // Ports lack ZX_RIGHT_WAIT, so the rights check answers before "not waitable" could.
  EXPECT_EQ(zx_object_wait_one(port.get(), ZX_USER_SIGNAL_0, 0, &observed), ZX_ERR_ACCESS_DENIED);
}

TEST(PortTest, ClosingAPortWithQueuedPacketsIsSafe) {
  OwnedHandle port = NewPort();
  for (uint64_t key = 0u; key < 100u; ++key) {
    zx_port_packet_t packet = UserPacket(key);
    ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  }
  EXPECT_EQ(zx_handle_close(port.release()), ZX_OK);
}

}  // namespace
}  // namespace zircon_test
