// Channels (reference §2.10): messages, handle transfer, sizes, peer closure and error paths.

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr zx_rights_t kChannelRights = Without(ZX_RIGHTS_BASIC, ZX_RIGHT_DUPLICATE) | ZX_RIGHTS_IO |
                                       ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER;

// Both ends of a fresh channel.
struct Channel {
  Channel() { NewChannel(&end0, &end1); }
  OwnedHandle end0;
  OwnedHandle end1;
};

zx_status_t WriteString(const OwnedHandle& end, const std::string& text) {
  return zx_channel_write(end.get(), 0u, text.data(), static_cast<uint32_t>(text.size()), nullptr,
                          0u);
}

// Reads one message of at most 64 bytes and no handles; returns its text, or `status` on failure.
std::string ReadString(const OwnedHandle& end, zx_status_t* status = nullptr) {
  char buffer[64];
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  zx_status_t result = zx_channel_read(end.get(), 0u, buffer, nullptr, sizeof(buffer), 0u,
                                       &actual_bytes, &actual_handles);
  if (status != nullptr) {
    *status = result;
  } else {
    EXPECT_EQ(result, ZX_OK);
  }
  return result == ZX_OK ? std::string(buffer, actual_bytes) : std::string();
}

TEST(ChannelTest, CreateGivesTwoWritableEndsWithDefaultRights) {
  OwnedHandle end0, end1;
  ASSERT_EQ(zx_channel_create(0u, end0.reset_and_get_address(), end1.reset_and_get_address()),
            ZX_OK);

  for (const OwnedHandle* end : {&end0, &end1}) {
    zx_info_handle_basic_t info = BasicInfo(end->get());
    EXPECT_EQ(info.type, ZX_OBJ_TYPE_CHANNEL);
    EXPECT_EQ(info.rights, kChannelRights);
    EXPECT_EQ(SignalsOf(end->get()), ZX_CHANNEL_WRITABLE);
  }
}

TEST(ChannelTest, CreateWithOptionsReturnsInvalidArgs) {
  zx_handle_t out0 = ZX_HANDLE_INVALID;
  zx_handle_t out1 = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_channel_create(1u, &out0, &out1), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(out0, ZX_HANDLE_INVALID);
  EXPECT_EQ(out1, ZX_HANDLE_INVALID);
}

TEST(ChannelTest, CreateWithNullOutReturnsInvalidArgs) {
  zx_handle_t out = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_channel_create(0u, nullptr, &out), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_channel_create(0u, &out, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(ChannelTest, WrittenBytesAreReadOnThePeer) {
  Channel channel;
  ASSERT_EQ(WriteString(channel.end0, "hello"), ZX_OK);
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(SignalsOf(channel.end0.get()), ZX_CHANNEL_WRITABLE);

  EXPECT_EQ(ReadString(channel.end1), "hello");
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);

  ASSERT_EQ(WriteString(channel.end1, "back"), ZX_OK);
  EXPECT_EQ(ReadString(channel.end0), "back");
}

TEST(ChannelTest, MessagesAreReadInFifoOrderAndReadableStaysUntilTheLast) {
  Channel channel;
  for (const char* text : {"one", "two", "three"}) {
    ASSERT_EQ(WriteString(channel.end0, text), ZX_OK);
  }

  EXPECT_EQ(ReadString(channel.end1), "one");
  EXPECT_EQ(ReadString(channel.end1), "two");
  EXPECT_EQ(SignalsOf(channel.end1.get()) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE);
  EXPECT_EQ(ReadString(channel.end1), "three");
  EXPECT_EQ(SignalsOf(channel.end1.get()) & ZX_CHANNEL_READABLE, 0u);
}

TEST(ChannelTest, AnEmptyMessageIsAMessage) {
  Channel channel;
  ASSERT_EQ(zx_channel_write(channel.end0.get(), 0u, nullptr, 0u, nullptr, 0u), ZX_OK);
  EXPECT_EQ(SignalsOf(channel.end1.get()) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE);

  uint32_t actual_bytes = 99u;
  uint32_t actual_handles = 99u;
  EXPECT_EQ(zx_channel_read(channel.end1.get(), 0u, nullptr, nullptr, 0u, 0u, &actual_bytes,
                            &actual_handles),
            ZX_OK);
  EXPECT_EQ(actual_bytes, 0u);
  EXPECT_EQ(actual_handles, 0u);
}

TEST(ChannelTest, ActualSizesAreOptional) {
  Channel channel;
  ASSERT_EQ(WriteString(channel.end0, "abc"), ZX_OK);
  char buffer[8] = {};
  EXPECT_EQ(zx_channel_read(channel.end1.get(), 0u, buffer, nullptr, sizeof(buffer), 0u, nullptr,
                            nullptr),
            ZX_OK);
  EXPECT_STREQ(buffer, "abc");
}

TEST(ChannelTest, TransferredEventWorksOnTheOtherSideAndKeepsItsKoid) {
  Channel channel;
  OwnedHandle event = NewEvent();
  OwnedHandle watcher = Duplicate(event.get());
  zx_koid_t koid = KoidOf(event.get());
  zx_rights_t rights = RightsOf(event.get());
  zx_handle_t sent = event.release();
  ASSERT_EQ(zx_channel_write(channel.end0.get(), 0u, "e", 1u, &sent, 1u), ZX_OK);
  EXPECT_FALSE(IsValidHandle(sent));

  char byte = 0;
  OwnedHandle received;
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  ASSERT_EQ(zx_channel_read(channel.end1.get(), 0u, &byte, received.reset_and_get_address(), 1u, 1u,
                            &actual_bytes, &actual_handles),
            ZX_OK);
  EXPECT_EQ(actual_handles, 1u);
  EXPECT_EQ(KoidOf(received.get()), koid);
  EXPECT_EQ(RightsOf(received.get()), rights);
  ASSERT_EQ(zx_object_signal(received.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(SignalsOf(watcher.get()), ZX_USER_SIGNAL_0);
}

TEST(ChannelTest, ReadEtcReportsTypeAndRightsOfReceivedHandles) {
  Channel channel;
  zx_handle_t sent[] = {NewEvent().release(), Replace(NewPort(), ZX_RIGHT_TRANSFER).release()};
  ASSERT_EQ(zx_channel_write(channel.end0.get(), 0u, nullptr, 0u, sent, 2u), ZX_OK);

  zx_handle_info_t infos[2] = {};
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  ASSERT_EQ(zx_channel_read_etc(channel.end1.get(), 0u, nullptr, infos, 0u, 2u, &actual_bytes,
                                &actual_handles),
            ZX_OK);
  ASSERT_EQ(actual_handles, 2u);
  EXPECT_EQ(infos[0].type, ZX_OBJ_TYPE_EVENT);
  EXPECT_EQ(infos[0].rights, ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL);
  EXPECT_EQ(infos[1].type, ZX_OBJ_TYPE_PORT);
  EXPECT_EQ(infos[1].rights, ZX_RIGHT_TRANSFER);
  for (const zx_handle_info_t& info : infos) {
    EXPECT_EQ(RightsOf(info.handle), info.rights);
    EXPECT_EQ(zx_handle_close(info.handle), ZX_OK);
  }
}

TEST(ChannelTest, AMessageMayCarryTheMaximumSize) {
  Channel channel;
  std::vector<uint8_t> bytes(ZX_CHANNEL_MAX_MSG_BYTES, 0x5a);
  std::vector<zx_handle_t> handles;
  for (uint32_t i = 0; i < ZX_CHANNEL_MAX_MSG_HANDLES; ++i) {
    handles.push_back(NewEvent().release());
  }
  ASSERT_EQ(zx_channel_write(channel.end0.get(), 0u, bytes.data(), ZX_CHANNEL_MAX_MSG_BYTES,
                             handles.data(), ZX_CHANNEL_MAX_MSG_HANDLES),
            ZX_OK);

  std::vector<uint8_t> read_bytes(ZX_CHANNEL_MAX_MSG_BYTES);
  std::vector<zx_handle_t> read_handles(ZX_CHANNEL_MAX_MSG_HANDLES);
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  ASSERT_EQ(zx_channel_read(channel.end1.get(), 0u, read_bytes.data(), read_handles.data(),
                            ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES, &actual_bytes,
                            &actual_handles),
            ZX_OK);
  EXPECT_EQ(actual_bytes, ZX_CHANNEL_MAX_MSG_BYTES);
  EXPECT_EQ(actual_handles, ZX_CHANNEL_MAX_MSG_HANDLES);
  EXPECT_EQ(read_bytes, bytes);
  EXPECT_EQ(zx_handle_close_many(read_handles.data(), read_handles.size()), ZX_OK);
}

TEST(ChannelTest, TooManyBytesReturnsOutOfRange) {
  Channel channel;
  std::vector<uint8_t> bytes(ZX_CHANNEL_MAX_MSG_BYTES + 1u);
  zx_handle_t sent = NewEvent().release();

  EXPECT_EQ(zx_channel_write(channel.end0.get(), 0u, bytes.data(), ZX_CHANNEL_MAX_MSG_BYTES + 1u,
                             &sent, 1u),
            ZX_ERR_OUT_OF_RANGE);
  EXPECT_FALSE(IsValidHandle(sent)) << "handles are consumed even when the write fails";
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ChannelTest, TooManyHandlesReturnsOutOfRangeAndConsumesThemAll) {
  Channel channel;
  std::vector<zx_handle_t> handles;
  for (uint32_t i = 0; i < ZX_CHANNEL_MAX_MSG_HANDLES + 1u; ++i) {
    handles.push_back(NewEvent().release());
  }

  EXPECT_EQ(zx_channel_write(channel.end0.get(), 0u, "x", 1u, handles.data(),
                             ZX_CHANNEL_MAX_MSG_HANDLES + 1u),
            ZX_ERR_OUT_OF_RANGE);
  for (zx_handle_t handle : handles) {
    EXPECT_FALSE(IsValidHandle(handle));
  }
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ChannelTest, BufferTooSmallLeavesTheMessageAndReportsItsSize) {
  Channel channel;
  zx_handle_t sent = NewEvent().release();
  ASSERT_EQ(zx_channel_write(channel.end0.get(), 0u, "0123456789", 10u, &sent, 1u), ZX_OK);

  char bytes[16] = {};
  OwnedHandle received;
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  EXPECT_EQ(zx_channel_read(channel.end1.get(), 0u, bytes, nullptr, 5u, 0u, &actual_bytes,
                            &actual_handles),
            ZX_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(actual_bytes, 10u);
  EXPECT_EQ(actual_handles, 1u);
  EXPECT_EQ(zx_channel_read(channel.end1.get(), 0u, bytes, nullptr, sizeof(bytes), 0u,
                            &actual_bytes, &actual_handles),
            ZX_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(SignalsOf(channel.end1.get()) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE);

  EXPECT_EQ(zx_channel_read(channel.end1.get(), 0u, bytes, received.reset_and_get_address(),
                            sizeof(bytes), 1u, &actual_bytes, &actual_handles),
            ZX_OK);
  EXPECT_EQ(std::string(bytes, actual_bytes), "0123456789");
  EXPECT_TRUE(IsValidHandle(received.get()));
}

TEST(ChannelTest, MayDiscardDropsTheTooLargeMessageAndClosesItsHandles) {
  Channel channel;
  OwnedHandle kept, sent;
  NewEventPair(&kept, &sent);
  zx_handle_t sent_value = sent.release();
  ASSERT_EQ(zx_channel_write(channel.end0.get(), 0u, "0123456789", 10u, &sent_value, 1u), ZX_OK);
  ASSERT_EQ(WriteString(channel.end0, "next"), ZX_OK);

  char bytes[4];
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  EXPECT_EQ(zx_channel_read(channel.end1.get(), ZX_CHANNEL_READ_MAY_DISCARD, bytes, nullptr,
                            sizeof(bytes), 0u, &actual_bytes, &actual_handles),
            ZX_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(actual_bytes, 10u);
  EXPECT_EQ(actual_handles, 1u);
  EXPECT_EQ(SignalsOf(kept.get()) & ZX_EVENTPAIR_PEER_CLOSED, ZX_EVENTPAIR_PEER_CLOSED);
  EXPECT_EQ(ReadString(channel.end1), "next");
}

TEST(ChannelTest, ReadingAnEmptyChannelReturnsShouldWaitThenPeerClosed) {
  Channel channel;
  zx_status_t status = ZX_OK;
  ReadString(channel.end1, &status);
  EXPECT_EQ(status, ZX_ERR_SHOULD_WAIT);

  ASSERT_EQ(zx_handle_close(channel.end0.release()), ZX_OK);
  ReadString(channel.end1, &status);
  EXPECT_EQ(status, ZX_ERR_PEER_CLOSED);
}

TEST(ChannelTest, PendingMessagesStayReadableAfterThePeerCloses) {
  Channel channel;
  ASSERT_EQ(WriteString(channel.end0, "first"), ZX_OK);
  ASSERT_EQ(WriteString(channel.end0, "second"), ZX_OK);
  ASSERT_EQ(zx_handle_close(channel.end0.release()), ZX_OK);

  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED);
  EXPECT_EQ(ReadString(channel.end1), "first");
  EXPECT_EQ(ReadString(channel.end1), "second");
  zx_status_t status = ZX_OK;
  ReadString(channel.end1, &status);
  EXPECT_EQ(status, ZX_ERR_PEER_CLOSED);
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_PEER_CLOSED);
}

TEST(ChannelTest, PeerCloseClearsWritableAndAssertsPeerClosed) {
  Channel channel;
  ASSERT_EQ(zx_object_signal(channel.end1.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(zx_handle_close(channel.end0.release()), ZX_OK);

  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_PEER_CLOSED | ZX_USER_SIGNAL_0);
}

TEST(ChannelTest, WritingToAClosedPeerReturnsPeerClosedAndConsumesHandles) {
  Channel channel;
  ASSERT_EQ(zx_handle_close(channel.end1.release()), ZX_OK);
  zx_handle_t sent = NewEvent().release();

  EXPECT_EQ(zx_channel_write(channel.end0.get(), 0u, "x", 1u, &sent, 1u), ZX_ERR_PEER_CLOSED);
  EXPECT_FALSE(IsValidHandle(sent));
  EXPECT_EQ(WriteString(channel.end0, "y"), ZX_ERR_PEER_CLOSED);
}

TEST(ChannelTest, WritingTheChannelsOwnHandleReturnsNotSupported) {
  Channel channel;
  zx_handle_t self = channel.end0.get();

  EXPECT_EQ(zx_channel_write(self, 0u, "x", 1u, &self, 1u), ZX_ERR_NOT_SUPPORTED);
  // Like every handle in a write, it was consumed: the end is gone.
  EXPECT_FALSE(IsValidHandle(channel.end0.release()));
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_PEER_CLOSED);
}

TEST(ChannelTest, HandleWithoutTransferRightReturnsAccessDenied) {
  Channel channel;
  OwnedHandle event = NewEvent();
  zx_handle_t sent =
      Duplicate(event.get(), Without(RightsOf(event.get()), ZX_RIGHT_TRANSFER)).release();

  EXPECT_EQ(zx_channel_write(channel.end0.get(), 0u, "x", 1u, &sent, 1u), ZX_ERR_ACCESS_DENIED);
  EXPECT_FALSE(IsValidHandle(sent));
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ChannelTest, BadHandleInTheListReturnsBadHandleAndConsumesTheOthers) {
  Channel channel;
  for (zx_handle_t bad : BadHandles()) {
    zx_handle_t sent[] = {NewEvent().release(), bad, NewEvent().release()};
    EXPECT_EQ(zx_channel_write(channel.end0.get(), 0u, "x", 1u, sent, 3u), ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
    EXPECT_FALSE(IsValidHandle(sent[0]));
    EXPECT_FALSE(IsValidHandle(sent[2]));
  }
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ChannelTest, WriteWithOptionsReturnsInvalidArgsAndConsumesHandles) {
  Channel channel;
  zx_handle_t sent = NewEvent().release();

  EXPECT_EQ(zx_channel_write(channel.end0.get(), 1u, "x", 1u, &sent, 1u), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(IsValidHandle(sent));
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ChannelTest, NullBytesWithNonZeroSizeReturnInvalidArgsAndConsumeHandles) {
  Channel channel;
  zx_handle_t sent = NewEvent().release();

  EXPECT_EQ(zx_channel_write(channel.end0.get(), 0u, nullptr, 4u, &sent, 1u), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(IsValidHandle(sent));
  EXPECT_EQ(SignalsOf(channel.end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ChannelTest, WriteOnBadOrWrongHandlesFails) {
  Channel channel;
  OwnedHandle no_write = Replace(std::move(channel.end0), Without(kChannelRights, ZX_RIGHT_WRITE));
  OwnedHandle event = NewEvent();
  OwnedHandle port = NewPort();

  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_channel_write(bad, 0u, "x", 1u, nullptr, 0u), ZX_ERR_BAD_HANDLE);
  }
  EXPECT_EQ(zx_channel_write(no_write.get(), 0u, "x", 1u, nullptr, 0u), ZX_ERR_ACCESS_DENIED);
  // An event lacks ZX_RIGHT_WRITE; a port has it and is not a channel.
  EXPECT_EQ(zx_channel_write(event.get(), 0u, "x", 1u, nullptr, 0u), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_channel_write(port.get(), 0u, "x", 1u, nullptr, 0u), ZX_ERR_WRONG_TYPE);
}

TEST(ChannelTest, ReadOnBadOrWrongHandlesFails) {
  Channel channel;
  ASSERT_EQ(WriteString(channel.end0, "x"), ZX_OK);
  OwnedHandle no_read = Replace(std::move(channel.end1), Without(kChannelRights, ZX_RIGHT_READ));
  OwnedHandle event = NewEvent();
  OwnedHandle port = NewPort();
  char byte = 0;
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;
  auto read = [&](zx_handle_t handle) {
    return zx_channel_read(handle, 0u, &byte, nullptr, 1u, 0u, &actual_bytes, &actual_handles);
  };

  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(read(bad), ZX_ERR_BAD_HANDLE);
  }
  EXPECT_EQ(read(no_read.get()), ZX_ERR_ACCESS_DENIED);
  // An event lacks ZX_RIGHT_READ; a port has it and is not a channel.
  EXPECT_EQ(read(event.get()), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(read(port.get()), ZX_ERR_WRONG_TYPE);
}

TEST(ChannelTest, ReadWithUnknownOptionsReturnsNotSupported) {
  Channel channel;
  ASSERT_EQ(WriteString(channel.end0, "x"), ZX_OK);
  char byte = 0;
  uint32_t actual_bytes = 0u;
  uint32_t actual_handles = 0u;

  EXPECT_EQ(zx_channel_read(channel.end1.get(), 2u, &byte, nullptr, 1u, 0u, &actual_bytes,
                            &actual_handles),
            ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(ReadString(channel.end1), "x");
}

}  // namespace
}  // namespace zircon_test
