// Tests for <lib/zx/channel.h>: messages of bytes and handles between the two ends.

#include <lib/zx/channel.h>
#include <lib/zx/event.h>

#include <gtest/gtest.h>

namespace {

constexpr zx::time kPoll = zx::time(0);

static_assert(zx::channel::TYPE == ZX_OBJ_TYPE_CHANNEL);
static_assert(!zx::object_traits<zx::channel>::supports_duplication);
static_assert(zx::object_traits<zx::channel>::has_peer_handle);

class ChannelTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(zx::channel::create(0, &a_, &b_), ZX_OK); }

  // Returns the channel signals asserted on `end` now.
  static zx_signals_t Asserted(const zx::channel& end) {
    zx_signals_t pending = 0;
    const zx_signals_t all = ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE | ZX_CHANNEL_PEER_CLOSED;
    zx_status_t status = end.wait_one(all, kPoll, &pending);
    EXPECT_TRUE(status == ZX_OK || status == ZX_ERR_TIMED_OUT) << status;
    return pending & all;
  }

  zx::channel a_;
  zx::channel b_;
};

TEST_F(ChannelTest, NewEndsAreWritableAndEmpty) {
  EXPECT_NE(a_.get(), b_.get());
  EXPECT_EQ(Asserted(a_), ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(Asserted(b_), ZX_CHANNEL_WRITABLE);
  char byte = 0;
  uint32_t actual_bytes = 0;
  uint32_t actual_handles = 0;
  EXPECT_EQ(b_.read(0, &byte, 1, &actual_bytes, nullptr, 0, &actual_handles), ZX_ERR_SHOULD_WAIT);
}

TEST_F(ChannelTest, WriteThenReadTransfersBytes) {
  const char message[] = "hello";
  ASSERT_EQ(a_.write(0, message, sizeof(message), nullptr, 0), ZX_OK);
  EXPECT_EQ(Asserted(b_), ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(Asserted(a_), ZX_CHANNEL_WRITABLE);

  char buffer[16] = {};
  uint32_t actual_bytes = 0;
  uint32_t actual_handles = 1;
  ASSERT_EQ(b_.read(0, buffer, sizeof(buffer), &actual_bytes, nullptr, 0, &actual_handles), ZX_OK);
  EXPECT_EQ(actual_bytes, sizeof(message));
  EXPECT_EQ(actual_handles, 0u);
  EXPECT_STREQ(buffer, message);
  EXPECT_EQ(Asserted(b_), ZX_CHANNEL_WRITABLE);
}

TEST_F(ChannelTest, WriteThenReadTransfersHandle) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  zx::event observer;
  ASSERT_EQ(event.duplicate(ZX_RIGHT_SAME_RIGHTS, &observer), ZX_OK);
  zx_handle_t sent = event.release();
  ASSERT_EQ(a_.write(0, "x", 1, &sent, 1), ZX_OK);

  char byte = 0;
  zx_handle_t received = ZX_HANDLE_INVALID;
  uint32_t actual_bytes = 0;
  uint32_t actual_handles = 0;
  ASSERT_EQ(b_.read(0, &byte, 1, &actual_bytes, &received, 1, &actual_handles), ZX_OK);
  EXPECT_EQ(actual_bytes, 1u);
  ASSERT_EQ(actual_handles, 1u);
  zx::event arrived(received);
  ASSERT_EQ(arrived.signal(0, ZX_USER_SIGNAL_4), ZX_OK);
  zx_signals_t pending = 0;
  EXPECT_EQ(observer.wait_one(ZX_USER_SIGNAL_4, kPoll, &pending), ZX_OK);
}

TEST_F(ChannelTest, ReadEtcReportsHandleTypeAndRights) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  zx_handle_t sent = event.release();
  ASSERT_EQ(a_.write(0, nullptr, 0, &sent, 1), ZX_OK);

  zx_handle_info_t info = {};
  uint32_t actual_bytes = 1;
  uint32_t actual_handles = 0;
  ASSERT_EQ(b_.read_etc(0, nullptr, 0, &actual_bytes, &info, 1, &actual_handles), ZX_OK);
  EXPECT_EQ(actual_bytes, 0u);
  ASSERT_EQ(actual_handles, 1u);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_EVENT);
  EXPECT_EQ(info.rights, ZX_DEFAULT_EVENT_RIGHTS);
  zx::event arrived(info.handle);
  EXPECT_TRUE(arrived.is_valid());
}

TEST_F(ChannelTest, SmallBufferReportsNeededSizeAndKeepsMessage) {
  const uint64_t payload = 0x0102030405060708;
  ASSERT_EQ(a_.write(0, &payload, sizeof(payload), nullptr, 0), ZX_OK);

  uint32_t small = 0;
  uint32_t actual_bytes = 0;
  uint32_t actual_handles = 0;
  EXPECT_EQ(b_.read(0, &small, sizeof(small), &actual_bytes, nullptr, 0, &actual_handles),
            ZX_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(actual_bytes, sizeof(payload));

  uint64_t received = 0;
  ASSERT_EQ(b_.read(0, &received, sizeof(received), &actual_bytes, nullptr, 0, &actual_handles),
            ZX_OK);
  EXPECT_EQ(received, payload);
}

TEST_F(ChannelTest, ClosedPeerIsReportedToReadWriteAndSignals) {
  ASSERT_EQ(a_.write(0, "q", 1, nullptr, 0), ZX_OK);
  a_.reset();
  EXPECT_EQ(Asserted(b_), ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED);

  char byte = 0;
  uint32_t actual_bytes = 0;
  uint32_t actual_handles = 0;
  EXPECT_EQ(b_.read(0, &byte, 1, &actual_bytes, nullptr, 0, &actual_handles), ZX_OK);
  EXPECT_EQ(byte, 'q');
  EXPECT_EQ(b_.read(0, &byte, 1, &actual_bytes, nullptr, 0, &actual_handles), ZX_ERR_PEER_CLOSED);
  EXPECT_EQ(b_.write(0, "r", 1, nullptr, 0), ZX_ERR_PEER_CLOSED);
}

TEST_F(ChannelTest, WriteConsumesHandlesEvenOnFailure) {
  b_.reset();
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  zx_handle_t sent = event.release();
  EXPECT_EQ(a_.write(0, "x", 1, &sent, 1), ZX_ERR_PEER_CLOSED);
  EXPECT_EQ(zx_object_signal(sent, 0, 0), ZX_ERR_BAD_HANDLE);
}

TEST_F(ChannelTest, SignalPeerReachesOtherEnd) {
  ASSERT_EQ(a_.signal_peer(0, ZX_USER_SIGNAL_5), ZX_OK);
  zx_signals_t pending = 0;
  EXPECT_EQ(b_.wait_one(ZX_USER_SIGNAL_5, kPoll, &pending), ZX_OK);
  EXPECT_EQ(a_.wait_one(ZX_USER_SIGNAL_5, kPoll, &pending), ZX_ERR_TIMED_OUT);
}

TEST_F(ChannelTest, CreateWithNonZeroFlagsFails) {
  EXPECT_EQ(zx::channel::create(1, &a_, &b_), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(a_.is_valid());
  EXPECT_FALSE(b_.is_valid());
}

}  // namespace
