// Events (reference §2.9) and zx_object_signal on every object type (reference §2.2, §2.3).

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

// Bits that no object lets zx_object_signal touch.
constexpr zx_signals_t kNeverUserSettable[] = {
    ZX_CHANNEL_READABLE,     ZX_CHANNEL_WRITABLE, ZX_EVENTPAIR_PEER_CLOSED, 1u << 4, 1u << 22,
    ZX_SIGNAL_HANDLE_CLOSED,
};

TEST(EventTest, CreateGivesAnUnsignaledEventWithDefaultRights) {
  OwnedHandle event;
  ASSERT_EQ(zx_event_create(0u, event.reset_and_get_address()), ZX_OK);

  EXPECT_NE(event.get(), ZX_HANDLE_INVALID);
  EXPECT_EQ(SignalsOf(event.get()), ZX_SIGNAL_NONE);
  EXPECT_EQ(BasicInfo(event.get()).type, ZX_OBJ_TYPE_EVENT);
  EXPECT_EQ(RightsOf(event.get()), ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL);
}

TEST(EventTest, CreateWithOptionsReturnsInvalidArgs) {
  for (uint32_t options : {1u, 2u, 0x80000000u}) {
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_EQ(zx_event_create(options, &out), ZX_ERR_INVALID_ARGS) << "options " << options;
    EXPECT_EQ(out, ZX_HANDLE_INVALID);
  }
}

TEST(EventTest, CreateWithNullOutReturnsInvalidArgs) {
  EXPECT_EQ(zx_event_create(0u, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(EventTest, SignalClearsThenSets) {
  OwnedHandle event = NewEvent();

  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);

  ASSERT_EQ(zx_object_signal(event.get(), ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_7), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_7);

  // A bit in both masks ends up set: the new state is (old & ~clear) | set.
  ASSERT_EQ(zx_object_signal(event.get(), ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_USER_SIGNAL_1);
}

TEST(EventTest, SignalMaySetAndClearEventSignaled) {
  OwnedHandle event = NewEvent();

  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_EVENT_SIGNALED), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_EVENT_SIGNALED);
  ASSERT_EQ(zx_object_signal(event.get(), ZX_EVENT_SIGNALED, 0u), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_SIGNAL_NONE);
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_EVENT_SIGNAL_MASK), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_EVENT_SIGNAL_MASK);
}

TEST(EventTest, SignalOfNonUserBitReturnsInvalidArgsAndChangesNothing) {
  OwnedHandle event = NewEvent();
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_3), ZX_OK);

  for (zx_signals_t bit : kNeverUserSettable) {
    EXPECT_EQ(zx_object_signal(event.get(), 0u, bit | ZX_USER_SIGNAL_0), ZX_ERR_INVALID_ARGS)
        << "set " << bit;
    EXPECT_EQ(zx_object_signal(event.get(), bit | ZX_USER_SIGNAL_3, 0u), ZX_ERR_INVALID_ARGS)
        << "clear " << bit;
  }
  EXPECT_EQ(SignalsOf(event.get()), ZX_USER_SIGNAL_3);
}

TEST(EventTest, SignalWithoutSignalRightReturnsAccessDenied) {
  OwnedHandle event = NewEvent();
  OwnedHandle restricted = Duplicate(event.get(), Without(RightsOf(event.get()), ZX_RIGHT_SIGNAL));

  EXPECT_EQ(zx_object_signal(restricted.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
  // Rights are checked before the masks.
  EXPECT_EQ(zx_object_signal(restricted.get(), 0u, ZX_CHANNEL_READABLE), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(SignalsOf(event.get()), ZX_SIGNAL_NONE);
}

TEST(EventTest, SignalBadHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_object_signal(bad, 0u, ZX_USER_SIGNAL_0), ZX_ERR_BAD_HANDLE) << "handle " << bad;
    // The handle is looked up before the masks are checked.
    EXPECT_EQ(zx_object_signal(bad, 0u, ZX_CHANNEL_READABLE), ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(EventTest, SignalPeerOnEventReturnsAccessDenied) {
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_object_signal_peer(event.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(SignalsOf(event.get()), ZX_SIGNAL_NONE);
}

TEST(EventTest, SignalThroughADuplicateIsSeenThroughTheOriginal) {
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get());

  ASSERT_EQ(zx_object_signal(duplicate.get(), 0u, ZX_USER_SIGNAL_5), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_USER_SIGNAL_5);
  ASSERT_EQ(zx_object_signal(event.get(), ZX_USER_SIGNAL_5, 0u), ZX_OK);
  EXPECT_EQ(SignalsOf(duplicate.get()), ZX_SIGNAL_NONE);
}

TEST(EventTest, SignalsSurviveClosingOtherHandles) {
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get());
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_1), ZX_OK);

  EXPECT_EQ(zx_handle_close(event.release()), ZX_OK);
  EXPECT_EQ(SignalsOf(duplicate.get()), ZX_USER_SIGNAL_1);
}

TEST(ObjectSignalTest, ChannelAcceptsOnlyUserSignals) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);

  EXPECT_EQ(zx_object_signal(end0.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_CHANNEL_WRITABLE | ZX_USER_SIGNAL_0);
  EXPECT_EQ(zx_object_signal(end0.get(), 0u, ZX_EVENT_SIGNALED), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_object_signal(end0.get(), ZX_CHANNEL_WRITABLE, 0u), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_object_signal(end0.get(), 0u, ZX_CHANNEL_READABLE), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_CHANNEL_WRITABLE | ZX_USER_SIGNAL_0);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_CHANNEL_WRITABLE);
}

TEST(ObjectSignalTest, ChannelSignalPeerSetsUserSignalsOnThePeer) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);

  EXPECT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_USER_SIGNAL_4), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()), ZX_CHANNEL_WRITABLE | ZX_USER_SIGNAL_4);
  EXPECT_EQ(SignalsOf(end0.get()), ZX_CHANNEL_WRITABLE);
  EXPECT_EQ(zx_object_signal_peer(end0.get(), 0u, ZX_CHANNEL_READABLE), ZX_ERR_INVALID_ARGS);
}

TEST(ObjectSignalTest, TimerAcceptsOnlyUserSignals) {
  OwnedHandle timer = NewTimer();

  EXPECT_EQ(zx_object_signal(timer.get(), 0u, ZX_USER_SIGNAL_2), ZX_OK);
  EXPECT_EQ(SignalsOf(timer.get()), ZX_USER_SIGNAL_2);
  EXPECT_EQ(zx_object_signal(timer.get(), 0u, ZX_TIMER_SIGNALED), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(SignalsOf(timer.get()), ZX_USER_SIGNAL_2);
}

TEST(ObjectSignalTest, PortCannotBeSignaled) {
  OwnedHandle port = NewPort();
  // Ports lack ZX_RIGHT_SIGNAL and ZX_RIGHT_SIGNAL_PEER; rights are checked first.
  EXPECT_EQ(zx_object_signal(port.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_object_signal_peer(port.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
}

TEST(ObjectSignalTest, SignalThatChangesNothingIsStillOk) {
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_object_signal(event.get(), 0u, 0u), ZX_OK);
  EXPECT_EQ(zx_object_signal(event.get(), ZX_USER_SIGNAL_0, 0u), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_SIGNAL_NONE);
}

}  // namespace
}  // namespace zircon_test
