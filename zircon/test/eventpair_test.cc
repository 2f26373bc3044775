// Event pairs (reference §2.9) and zx_object_signal_peer (reference §2.3).

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <thread>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr zx_rights_t kEventPairRights = ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER;

TEST(EventPairTest, CreateGivesTwoUnsignaledPeersWithDefaultRights) {
  OwnedHandle end0, end1;
  ASSERT_EQ(zx_eventpair_create(0u, end0.reset_and_get_address(), end1.reset_and_get_address()),
            ZX_OK);

  EXPECT_NE(end0.get(), end1.get());
  for (const OwnedHandle* end : {&end0, &end1}) {
    EXPECT_EQ(SignalsOf(end->get()), ZX_SIGNAL_NONE);
    EXPECT_EQ(BasicInfo(end->get()).type, ZX_OBJ_TYPE_EVENTPAIR);
    EXPECT_EQ(RightsOf(end->get()), kEventPairRights);
  }
}

TEST(EventPairTest, CreateWithOptionsReturnsNotSupported) {
  zx_handle_t out0 = ZX_HANDLE_INVALID;
  zx_handle_t out1 = ZX_HANDLE_INVALID;
  // Unlike the other create calls, the era's eventpair_create answers NOT_SUPPORTED.
  EXPECT_EQ(zx_eventpair_create(1u, &out0, &out1), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(out0, ZX_HANDLE_INVALID);
  EXPECT_EQ(out1, ZX_HANDLE_INVALID);
}

TEST(EventPairTest, CreateWithNullOutReturnsInvalidArgs) {
  zx_handle_t out = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_eventpair_create(0u, nullptr, &out), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_eventpair_create(0u, &out, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(EventPairTest, SignalPeerChangesOnlyThePeer) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);

  ASSERT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_USER_SIGNAL_0 | ZX_EVENTPAIR_SIGNALED), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_USER_SIGNAL_0 | ZX_EVENTPAIR_SIGNALED);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_SIGNAL_NONE);

  ASSERT_EQ(zx_object_signal_peer(end0.get(), ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_USER_SIGNAL_1 | ZX_EVENTPAIR_SIGNALED);
}

TEST(EventPairTest, SignalChangesOnlyTheSameEnd) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);

  ASSERT_EQ(zx_object_signal(end1.get(), 0u, ZX_EVENTPAIR_SIGNALED | ZX_USER_SIGNAL_6), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_EVENTPAIR_SIGNALED | ZX_USER_SIGNAL_6);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_SIGNAL_NONE);
}

TEST(EventPairTest, PeerClosedCannotBeSignaledByTheUser) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);

  EXPECT_EQ(zx_object_signal(end0.get(), 0u, ZX_EVENTPAIR_PEER_CLOSED), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_EVENTPAIR_PEER_CLOSED), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_object_signal_peer(end0.get(), ZX_CHANNEL_READABLE, 0u), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_SIGNAL_NONE);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_SIGNAL_NONE);
}

TEST(EventPairTest, ClosingOneEndAssertsPeerClosedOnTheOther) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  ASSERT_EQ(zx_object_signal(end1.get(), 0u, ZX_USER_SIGNAL_2), ZX_OK);

  EXPECT_EQ(zx_handle_close(end0.release()), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_EVENTPAIR_PEER_CLOSED | ZX_USER_SIGNAL_2);

  // PEER_CLOSED stays asserted; user signals still work on the surviving end.
  ASSERT_EQ(zx_object_signal(end1.get(), ZX_USER_SIGNAL_2, 0u), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_EVENTPAIR_PEER_CLOSED);
}

TEST(EventPairTest, SignalPeerAfterPeerClosedReturnsPeerClosed) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  ASSERT_EQ(zx_handle_close(end1.release()), ZX_OK);

  EXPECT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
  // The masks are checked before the peer.
  EXPECT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_CHANNEL_READABLE), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_EVENTPAIR_PEER_CLOSED);
}

TEST(EventPairTest, PeerClosedWaitsForTheLastHandleOfTheEnd) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  OwnedHandle duplicate = Duplicate(end1.get());

  EXPECT_EQ(zx_handle_close(end1.release()), ZX_OK);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_SIGNAL_NONE);
  EXPECT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(SignalsOf(duplicate.get()), ZX_USER_SIGNAL_0);

  EXPECT_EQ(zx_handle_close(duplicate.release()), ZX_OK);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_EVENTPAIR_PEER_CLOSED);
}

TEST(EventPairTest, PeerCloseWakesAWaiterOnTheOtherEnd) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  zx_status_t status = ZX_ERR_INTERNAL;
  zx_signals_t observed = 0u;
  std::thread waiter([&] {
    status =
        zx_object_wait_one(end0.get(), ZX_EVENTPAIR_PEER_CLOSED, GenerousDeadline(), &observed);
  });

  EXPECT_EQ(zx_handle_close(end1.release()), ZX_OK);
  waiter.join();
  EXPECT_EQ(status, ZX_OK);
  EXPECT_EQ(observed, ZX_EVENTPAIR_PEER_CLOSED);
}

TEST(EventPairTest, SignalPeerWithoutSignalPeerRightReturnsAccessDenied) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  OwnedHandle restricted = Duplicate(end0.get(), Without(kEventPairRights, ZX_RIGHT_SIGNAL_PEER));

  EXPECT_EQ(zx_object_signal_peer(restricted.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_object_signal(restricted.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_SIGNAL_NONE);
}

TEST(EventPairTest, SignalPeerBadHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_object_signal_peer(bad, 0u, ZX_USER_SIGNAL_0), ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

}  // namespace
}  // namespace zircon_test
