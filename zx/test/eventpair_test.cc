// Tests for <lib/zx/eventpair.h>.

#include <lib/zx/eventpair.h>

#include <gtest/gtest.h>

namespace {

constexpr zx::time kPoll = zx::time(0);

static_assert(zx::eventpair::TYPE == ZX_OBJ_TYPE_EVENTPAIR);
static_assert(zx::object_traits<zx::eventpair>::has_peer_handle);

// Returns the signals asserted on `end` now.
zx_signals_t Asserted(const zx::eventpair& end) {
  zx_signals_t pending = 0;
  zx_status_t status = end.wait_one(ZX_EVENTPAIR_SIGNAL_MASK, kPoll, &pending);
  EXPECT_TRUE(status == ZX_OK || status == ZX_ERR_TIMED_OUT) << status;
  return pending;
}

TEST(EventpairTest, CreateGivesTwoQuietEnds) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);
  EXPECT_TRUE(a.is_valid());
  EXPECT_TRUE(b.is_valid());
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(Asserted(a), ZX_SIGNAL_NONE);
  EXPECT_EQ(Asserted(b), ZX_SIGNAL_NONE);
}

TEST(EventpairTest, CreateWithNonZeroOptionsIsNotSupported) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);
  EXPECT_EQ(zx::eventpair::create(1, &a, &b), ZX_ERR_NOT_SUPPORTED);
  EXPECT_FALSE(a.is_valid());
  EXPECT_FALSE(b.is_valid());
}

TEST(EventpairTest, CreateIntoHeldWrappersClosesOldEnds) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);
  const zx_handle_t old_a = a.get();

  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);
  EXPECT_EQ(zx_object_signal(old_a, 0, 0), ZX_ERR_BAD_HANDLE);
  ASSERT_EQ(a.signal_peer(0, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(Asserted(b), ZX_USER_SIGNAL_0);
}

TEST(EventpairTest, SignalChangesOwnEndOnly) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);
  ASSERT_EQ(a.signal(0, ZX_EVENTPAIR_SIGNALED), ZX_OK);
  EXPECT_EQ(Asserted(a), ZX_EVENTPAIR_SIGNALED);
  EXPECT_EQ(Asserted(b), ZX_SIGNAL_NONE);
}

TEST(EventpairTest, SignalPeerChangesOtherEnd) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);

  ASSERT_EQ(a.signal_peer(0, ZX_USER_SIGNAL_2 | ZX_EVENTPAIR_SIGNALED), ZX_OK);
  EXPECT_EQ(Asserted(b), ZX_USER_SIGNAL_2 | ZX_EVENTPAIR_SIGNALED);
  EXPECT_EQ(Asserted(a), ZX_SIGNAL_NONE);

  ASSERT_EQ(b.signal_peer(0, ZX_USER_SIGNAL_3), ZX_OK);
  ASSERT_EQ(a.signal_peer(ZX_USER_SIGNAL_2, 0), ZX_OK);
  EXPECT_EQ(Asserted(a), ZX_USER_SIGNAL_3);
  EXPECT_EQ(Asserted(b), ZX_EVENTPAIR_SIGNALED);
}

TEST(EventpairTest, ClosingOneEndAssertsPeerClosed) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);

  a.reset();
  zx_signals_t pending = 0;
  EXPECT_EQ(b.wait_one(ZX_EVENTPAIR_PEER_CLOSED, kPoll, &pending), ZX_OK);
  EXPECT_EQ(pending & ZX_EVENTPAIR_PEER_CLOSED, ZX_EVENTPAIR_PEER_CLOSED);
  EXPECT_EQ(b.signal_peer(0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
  EXPECT_EQ(b.signal(0, ZX_USER_SIGNAL_0), ZX_OK);
}

TEST(EventpairTest, PeerStaysOpenWhileADuplicateLives) {
  zx::eventpair a;
  zx::eventpair b;
  ASSERT_EQ(zx::eventpair::create(0, &a, &b), ZX_OK);
  zx::eventpair a_copy;
  ASSERT_EQ(a.duplicate(ZX_RIGHT_SAME_RIGHTS, &a_copy), ZX_OK);

  a.reset();
  EXPECT_EQ(Asserted(b) & ZX_EVENTPAIR_PEER_CLOSED, 0u);
  a_copy.reset();
  EXPECT_EQ(Asserted(b) & ZX_EVENTPAIR_PEER_CLOSED, ZX_EVENTPAIR_PEER_CLOSED);
}

}  // namespace
