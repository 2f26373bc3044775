// zx_object_wait_async and zx_port_cancel (reference §2.5, §2.6): packet contents, ONCE and
// REPEATING rules, cancellation, and what closing handles does to observers and packets.

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr uint64_t kKey = 0x1234567890abcdefu;

// Registers a wait and fails the test on error.
void WaitAsync(const OwnedHandle& object, const OwnedHandle& port, uint64_t key,
               zx_signals_t signals, uint32_t options) {
  ASSERT_EQ(zx_object_wait_async(object.get(), port.get(), key, signals, options), ZX_OK);
}

zx_status_t Signal(const OwnedHandle& object, zx_signals_t clear, zx_signals_t set) {
  return zx_object_signal(object.get(), clear, set);
}

TEST(WaitAsyncTest, AssertedSignalQueuesAPacketBeforeTheCallReturns) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_5), ZX_OK);
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1, ZX_WAIT_ASYNC_ONCE);

  zx_port_packet_t packet = {};
  ASSERT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
  EXPECT_EQ(packet.status, ZX_OK);
  EXPECT_EQ(packet.signal.trigger, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
  EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_5);
  EXPECT_EQ(packet.signal.count, 1u);
  EXPECT_EQ(packet.signal.reserved0, 0u);
  EXPECT_EQ(packet.signal.reserved1, 0u);
}

TEST(WaitAsyncTest, UnassertedSignalQueuesNothingUntilItIsAsserted) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);
  EXPECT_TRUE(PortIsEmpty(port.get()));

  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_TRUE(PortIsEmpty(port.get()));

  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.signal.trigger, ZX_USER_SIGNAL_0);
  // The whole signal word, not masked by the trigger.
  EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
}

TEST(WaitAsyncTest, OnceDeliversOnlyOnePacket) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);

  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(Signal(event, ZX_USER_SIGNAL_0, 0u), ZX_OK);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(TakePacket(port.get()).type, ZX_PKT_TYPE_SIGNAL_ONE);
  EXPECT_TRUE(PortIsEmpty(port.get()));
  ASSERT_EQ(Signal(event, ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, RepeatingDeliversOnePacketPerChangeWhileAsserted) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);

  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
    zx_port_packet_t packet = TakePacket(port.get());
    EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_REP);
    EXPECT_EQ(packet.key, kKey);
    EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0);
    EXPECT_EQ(packet.signal.count, 1u);
    EXPECT_TRUE(PortIsEmpty(port.get()));

    ASSERT_EQ(Signal(event, ZX_USER_SIGNAL_0, 0u), ZX_OK);
    EXPECT_TRUE(PortIsEmpty(port.get())) << "clearing the trigger must not queue";
  }
}

TEST(WaitAsyncTest, RepeatingIsSilentWhileTheStateDoesNotChange) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);
  EXPECT_EQ(TakePacket(port.get()).type, ZX_PKT_TYPE_SIGNAL_REP);

  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(Signal(event, ZX_USER_SIGNAL_3, 0u), ZX_OK);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, RepeatingFiresOnAnUnrelatedChangeWhileTheTriggerIsAsserted) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(TakePacket(port.get()).signal.observed, ZX_USER_SIGNAL_0);

  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_1), ZX_OK);
  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
  EXPECT_EQ(packet.signal.count, 1u);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, RepeatingOrsNewStateIntoItsStillQueuedPacket) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1, ZX_WAIT_ASYNC_REPEATING);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  zx_port_packet_t user = UserPacket(7u);
  ASSERT_EQ(zx_port_queue(port.get(), &user), ZX_OK);
  ASSERT_EQ(Signal(event, ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_1), ZX_OK);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_2), ZX_OK);

  // Still one packet, in its original place ahead of the user packet, with every state seen.
  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_REP);
  EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_2);
  EXPECT_EQ(packet.signal.count, 1u);
  EXPECT_EQ(TakePacket(port.get()).key, 7u);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, ObservedIsTheWholeSignalWordOfAChannel) {
  OwnedHandle port = NewPort();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  WaitAsync(end1, port, kKey, ZX_CHANNEL_READABLE, ZX_WAIT_ASYNC_ONCE);
  ASSERT_EQ(zx_channel_write(end0.get(), 0u, "x", 1u, nullptr, 0u), ZX_OK);

  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.signal.trigger, ZX_CHANNEL_READABLE);
  EXPECT_EQ(packet.signal.observed, ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(packet.signal.count, 1u);
}

// A trigger that includes READABLE, met by another signal on an empty channel, reports a count
// of 1 (found by the fuzzer: it reported 0, the number of queued messages).
TEST(WaitAsyncTest, ChannelTriggerMetByAnotherSignalCountsOne) {
  OwnedHandle port = NewPort();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  WaitAsync(end1, port, kKey, ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE, ZX_WAIT_ASYNC_ONCE);

  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.signal.observed, ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(packet.signal.count, 1u);
}

TEST(WaitAsyncTest, ChannelReadableAtRegistrationCountsQueuedMessages) {
  OwnedHandle port = NewPort();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(zx_channel_write(end0.get(), 0u, "abc", 3u, nullptr, 0u), ZX_OK);
  }
  WaitAsync(end1, port, kKey, ZX_CHANNEL_READABLE, ZX_WAIT_ASYNC_REPEATING);

  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.signal.count, 3u);
  EXPECT_EQ(packet.signal.observed, ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE);

  // Later packets count 1, whatever the queue length.
  ASSERT_EQ(zx_object_signal(end1.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(TakePacket(port.get()).signal.count, 1u);
}

TEST(WaitAsyncTest, OnePacketPerRegistrationOnTheSameObject) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, 1u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);
  WaitAsync(event, port, 2u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);
  WaitAsync(event, port, 3u, ZX_USER_SIGNAL_1, ZX_WAIT_ASYNC_ONCE);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);

  uint64_t first = TakePacket(port.get()).key;
  uint64_t second = TakePacket(port.get()).key;
  EXPECT_EQ(first + second, 3u);
  EXPECT_NE(first, second);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, PeerClosedOfAnEventPairIsDelivered) {
  OwnedHandle port = NewPort();
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  WaitAsync(end0, port, kKey, ZX_EVENTPAIR_PEER_CLOSED, ZX_WAIT_ASYNC_ONCE);

  ASSERT_EQ(zx_handle_close(end1.release()), ZX_OK);
  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.signal.observed, ZX_EVENTPAIR_PEER_CLOSED);
}

TEST(WaitAsyncTest, UnknownOptionsReturnInvalidArgs) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);

  for (uint32_t options : {2u, 3u, 0xffffffffu}) {
    EXPECT_EQ(zx_object_wait_async(event.get(), port.get(), kKey, ZX_USER_SIGNAL_0, options),
              ZX_ERR_INVALID_ARGS)
        << "options " << options;
  }
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, BadPortHandleReturnsBadHandle) {
  OwnedHandle event = NewEvent();
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_object_wait_async(event.get(), bad, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE),
              ZX_ERR_BAD_HANDLE)
        << "port " << bad;
  }
}

TEST(WaitAsyncTest, PortWithoutWriteRightReturnsAccessDenied) {
  OwnedHandle port = NewPort();
  OwnedHandle read_only = Duplicate(port.get(), Without(RightsOf(port.get()), ZX_RIGHT_WRITE));
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(zx_object_wait_async(event.get(), read_only.get(), kKey, ZX_USER_SIGNAL_0,
                                 ZX_WAIT_ASYNC_ONCE),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, PortArgumentChecksRightsBeforeType) {
  OwnedHandle event = NewEvent();
  OwnedHandle other_event = NewEvent();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);

  // An event lacks ZX_RIGHT_WRITE; a channel has it and is not a port.
  EXPECT_EQ(zx_object_wait_async(event.get(), other_event.get(), kKey, ZX_USER_SIGNAL_0,
                                 ZX_WAIT_ASYNC_ONCE),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(
      zx_object_wait_async(event.get(), end0.get(), kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE),
      ZX_ERR_WRONG_TYPE);
}

TEST(WaitAsyncTest, BadObjectHandleReturnsBadHandle) {
  OwnedHandle port = NewPort();
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_object_wait_async(bad, port.get(), kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE),
              ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(WaitAsyncTest, ObjectWithoutWaitRightReturnsAccessDenied) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  OwnedHandle no_wait = Duplicate(event.get(), Without(RightsOf(event.get()), ZX_RIGHT_WAIT));
  OwnedHandle other_port = NewPort();

  EXPECT_EQ(
      zx_object_wait_async(no_wait.get(), port.get(), kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE),
      ZX_ERR_ACCESS_DENIED);
  // Ports lack ZX_RIGHT_WAIT too.
  EXPECT_EQ(zx_object_wait_async(other_port.get(), port.get(), kKey, ZX_USER_SIGNAL_0,
                                 ZX_WAIT_ASYNC_ONCE),
            ZX_ERR_ACCESS_DENIED);
}

TEST(WaitAsyncTest, PortIsValidatedBeforeTheObjectAndTheObjectBeforeOptions) {
  OwnedHandle port = NewPort();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  zx_handle_t stale = StaleHandle();

  EXPECT_EQ(zx_object_wait_async(stale, end0.get(), kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE),
            ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_object_wait_async(stale, port.get(), kKey, ZX_USER_SIGNAL_0, 7u), ZX_ERR_BAD_HANDLE);
}

TEST(WaitAsyncTest, PortFullOfUserPacketsStillTakesSignalPackets) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);
  zx_port_packet_t user = UserPacket(1u);
  size_t user_packets = 0;
  while (zx_port_queue(port.get(), &user) == ZX_OK) {
    ++user_packets;
  }
  EXPECT_EQ(user_packets, 2049u);

  // The wait's packet lives in its observer: it is queued although user packets are refused.
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  zx_port_packet_t packet;
  size_t signal_packets = 0;
  while (zx_port_wait(port.get(), 0, &packet) == ZX_OK) {
    signal_packets += packet.key == kKey ? 1 : 0;
  }
  EXPECT_EQ(signal_packets, 1u);
}

TEST(WaitAsyncTest, CancelRemovesTheObserver) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);

  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_OK);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_TRUE(PortIsEmpty(port.get()));
  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);
}

TEST(WaitAsyncTest, CancelRemovesAQueuedPacket) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);

  // The ONCE observer is gone already, but its packet still counts.
  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_OK);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, CancelAfterThePacketWasDequeuedReturnsNotFound) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);
  EXPECT_EQ(TakePacket(port.get()).key, kKey);

  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);
}

TEST(WaitAsyncTest, CancelWithNothingRegisteredReturnsNotFound) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);

  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);
  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey + 1u), ZX_ERR_NOT_FOUND);
  OwnedHandle other_port = NewPort();
  EXPECT_EQ(zx_port_cancel(other_port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);
}

TEST(WaitAsyncTest, CancelRemovesOnlyTheMatchingKey) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, 1u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);
  WaitAsync(event, port, 2u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);

  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), 1u), ZX_OK);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(TakePacket(port.get()).key, 2u);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, CancelMatchesTheRegisteringHandleNotTheObject) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get());
  WaitAsync(duplicate, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);

  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(TakePacket(port.get()).key, kKey);
}

TEST(WaitAsyncTest, CancelLeavesQueuedPacketsOfTheDuplicateHandle) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get());
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  WaitAsync(duplicate, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);

  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(TakePacket(port.get()).key, kKey);
}

TEST(WaitAsyncTest, CancelNeverRemovesUserPackets) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  zx_port_packet_t user = UserPacket(kKey);
  ASSERT_EQ(zx_port_queue(port.get(), &user), ZX_OK);

  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(TakePacket(port.get()).type, ZX_PKT_TYPE_USER);
}

TEST(WaitAsyncTest, CancelWithBadHandlesReturnsBadHandle) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_port_cancel(bad, event.get(), kKey), ZX_ERR_BAD_HANDLE) << "port " << bad;
    EXPECT_EQ(zx_port_cancel(port.get(), bad, kKey), ZX_ERR_BAD_HANDLE) << "source " << bad;
  }
}

TEST(WaitAsyncTest, CancelChecksRightsOfBothHandles) {
  OwnedHandle port = NewPort();
  OwnedHandle read_only = Duplicate(port.get(), Without(RightsOf(port.get()), ZX_RIGHT_WRITE));
  OwnedHandle event = NewEvent();
  OwnedHandle no_wait = Duplicate(event.get(), Without(RightsOf(event.get()), ZX_RIGHT_WAIT));
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE);

  EXPECT_EQ(zx_port_cancel(read_only.get(), event.get(), kKey), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_port_cancel(port.get(), no_wait.get(), kKey), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_port_cancel(port.get(), port.get(), kKey), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_port_cancel(port.get(), event.get(), kKey), ZX_OK);
}

TEST(WaitAsyncTest, CancelOnANonPortChecksRightsBeforeType) {
  OwnedHandle event = NewEvent();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);

  EXPECT_EQ(zx_port_cancel(event.get(), event.get(), kKey), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_port_cancel(end0.get(), event.get(), kKey), ZX_ERR_WRONG_TYPE);
}

TEST(WaitAsyncTest, ClosingTheWaitedHandleRemovesTheObserver) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get());
  WaitAsync(duplicate, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);

  ASSERT_EQ(zx_handle_close(duplicate.release()), ZX_OK);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, ClosingTheWaitedHandleLeavesItsQueuedPacket) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  WaitAsync(event, port, kKey, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);

  ASSERT_EQ(zx_handle_close(event.release()), ZX_OK);
  zx_port_packet_t packet = TakePacket(port.get());
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_REP);
  EXPECT_EQ(packet.signal.observed, ZX_USER_SIGNAL_0);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(WaitAsyncTest, SignallingAfterThePortClosedIsHarmless) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, port, 1u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);
  WaitAsync(event, port, 2u, ZX_USER_SIGNAL_1, ZX_WAIT_ASYNC_ONCE);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);

  ASSERT_EQ(zx_handle_close(port.release()), ZX_OK);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Signal(event, ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1), ZX_OK);
    EXPECT_EQ(Signal(event, ZX_USER_SIGNAL_ALL, 0u), ZX_OK);
  }
  EXPECT_EQ(zx_handle_close(event.release()), ZX_OK);
}

TEST(WaitAsyncTest, ClosingThePortDoesNotAffectOtherPorts) {
  OwnedHandle port = NewPort();
  OwnedHandle doomed = NewPort();
  OwnedHandle event = NewEvent();
  WaitAsync(event, doomed, 1u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);
  WaitAsync(event, port, 2u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_REPEATING);

  ASSERT_EQ(zx_handle_close(doomed.release()), ZX_OK);
  ASSERT_EQ(Signal(event, 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(TakePacket(port.get()).key, 2u);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

}  // namespace
}  // namespace zircon_test
