// Tests for <lib/zx/port.h>: user packets, async waits and their cancellation.

#include <lib/zx/event.h>
#include <lib/zx/port.h>
#include <zircon/syscalls/port.h>

#include <gtest/gtest.h>

namespace {

constexpr zx::time kPoll = zx::time(0);
constexpr uint64_t kKey = 0x1234;

static_assert(zx::port::TYPE == ZX_OBJ_TYPE_PORT);
static_assert(!zx::object_traits<zx::port>::supports_wait);
static_assert(!zx::object_traits<zx::port>::supports_user_signal);

class PortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(zx::port::create(0, &port_), ZX_OK);
    ASSERT_EQ(zx::event::create(0, &event_), ZX_OK);
  }

  zx::port port_;
  zx::event event_;
};

TEST_F(PortTest, WaitOnEmptyPortTimesOut) {
  zx_port_packet_t packet = {};
  EXPECT_EQ(port_.wait(kPoll, &packet), ZX_ERR_TIMED_OUT);
}

TEST_F(PortTest, QueuedPacketComesBackAsUserPacket) {
  zx_port_packet_t sent = {};
  sent.key = kKey;
  sent.type = ZX_PKT_TYPE_SIGNAL_ONE;  // the kernel overrides the type
  sent.status = ZX_ERR_CANCELED;
  sent.user.u64[0] = 7;
  sent.user.u64[3] = 9;
  ASSERT_EQ(port_.queue(&sent), ZX_OK);

  zx_port_packet_t received = {};
  ASSERT_EQ(port_.wait(kPoll, &received), ZX_OK);
  EXPECT_EQ(received.key, kKey);
  EXPECT_EQ(received.type, ZX_PKT_TYPE_USER);
  EXPECT_EQ(received.status, ZX_ERR_CANCELED);
  EXPECT_EQ(received.user.u64[0], 7u);
  EXPECT_EQ(received.user.u64[3], 9u);
  EXPECT_EQ(port_.wait(kPoll, &received), ZX_ERR_TIMED_OUT);
}

TEST_F(PortTest, PacketsComeOutInQueueOrder) {
  for (uint64_t key = 1; key <= 3; ++key) {
    zx_port_packet_t packet = {};
    packet.key = key;
    ASSERT_EQ(port_.queue(&packet), ZX_OK);
  }
  for (uint64_t key = 1; key <= 3; ++key) {
    zx_port_packet_t packet = {};
    ASSERT_EQ(port_.wait(kPoll, &packet), ZX_OK);
    EXPECT_EQ(packet.key, key);
  }
}

TEST_F(PortTest, WaitAsyncQueuesSignalPacketOnAssertion) {
  ASSERT_EQ(event_.wait_async(port_, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  zx_port_packet_t packet = {};
  EXPECT_EQ(port_.wait(kPoll, &packet), ZX_ERR_TIMED_OUT);

  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1), ZX_OK);
  ASSERT_EQ(port_.wait(kPoll, &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
  EXPECT_EQ(packet.status, ZX_OK);
  EXPECT_EQ(packet.signal.trigger, ZX_USER_SIGNAL_0);
  EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
  EXPECT_EQ(packet.signal.count, 1u);
}

TEST_F(PortTest, WaitAsyncOnAssertedObjectQueuesAtOnce) {
  ASSERT_EQ(event_.signal(0, ZX_EVENT_SIGNALED), ZX_OK);
  ASSERT_EQ(event_.wait_async(port_, kKey, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  zx_port_packet_t packet = {};
  ASSERT_EQ(port_.wait(kPoll, &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.signal.observed & ZX_EVENT_SIGNALED, ZX_EVENT_SIGNALED);
}

TEST_F(PortTest, CancelRemovesPendingWait) {
  ASSERT_EQ(event_.wait_async(port_, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  EXPECT_EQ(port_.cancel(event_, kKey), ZX_OK);

  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  zx_port_packet_t packet = {};
  EXPECT_EQ(port_.wait(kPoll, &packet), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(port_.cancel(event_, kKey), ZX_ERR_NOT_FOUND);
}

TEST_F(PortTest, CancelDropsQueuedSignalPacket) {
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(event_.wait_async(port_, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  EXPECT_EQ(port_.cancel(event_, kKey), ZX_OK);
  zx_port_packet_t packet = {};
  EXPECT_EQ(port_.wait(kPoll, &packet), ZX_ERR_TIMED_OUT);
}

TEST_F(PortTest, CancelLeavesOtherKeysAndUserPackets) {
  ASSERT_EQ(event_.wait_async(port_, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  ASSERT_EQ(event_.wait_async(port_, kKey + 1, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  zx_port_packet_t user = {};
  user.key = kKey;
  ASSERT_EQ(port_.queue(&user), ZX_OK);

  ASSERT_EQ(port_.cancel(event_, kKey), ZX_OK);
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  zx_port_packet_t packet = {};
  ASSERT_EQ(port_.wait(kPoll, &packet), ZX_OK);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_USER);
  ASSERT_EQ(port_.wait(kPoll, &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey + 1);
  EXPECT_EQ(port_.wait(kPoll, &packet), ZX_ERR_TIMED_OUT);
}

TEST_F(PortTest, CreateWithUnknownOptionsFails) {
  zx::port port;
  EXPECT_EQ(zx::port::create(0x10, &port), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(port.is_valid());
}

TEST_F(PortTest, WaitAsyncThroughUnownedPort) {
  zx::unowned_port view(port_);
  ASSERT_EQ(event_.wait_async(*view, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE), ZX_OK);
  ASSERT_EQ(event_.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  zx_port_packet_t packet = {};
  EXPECT_EQ(view->wait(kPoll, &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey);
}

}  // namespace
