// Timers (reference §2.7). Real-clock tests assert only what must eventually happen, never how
// long it took.

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr zx_rights_t kTimerRights = ZX_RIGHTS_BASIC | ZX_RIGHT_WRITE | ZX_RIGHT_SIGNAL;

// Far enough ahead that the timer cannot fire while a test runs.
zx_time_t FarFuture() { return zx_deadline_after(ZX_HOUR(1)); }

bool IsSignaled(const OwnedHandle& timer) {
  return (SignalsOf(timer.get()) & ZX_TIMER_SIGNALED) != 0u;
}

TEST(TimerTest, CreateGivesAnUnarmedTimerWithDefaultRights) {
  OwnedHandle timer;
  ASSERT_EQ(zx_timer_create(0u, ZX_CLOCK_MONOTONIC, timer.reset_and_get_address()), ZX_OK);

  zx_info_handle_basic_t info = BasicInfo(timer.get());
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_TIMER);
  EXPECT_EQ(info.rights, kTimerRights);
  EXPECT_EQ(SignalsOf(timer.get()), ZX_SIGNAL_NONE);
}

TEST(TimerTest, CreateAcceptsEverySlackOption) {
  for (uint32_t options : {ZX_TIMER_SLACK_CENTER, ZX_TIMER_SLACK_EARLY, ZX_TIMER_SLACK_LATE}) {
    OwnedHandle timer;
    EXPECT_EQ(zx_timer_create(options, ZX_CLOCK_MONOTONIC, timer.reset_and_get_address()), ZX_OK)
        << "options " << options;
    EXPECT_TRUE(timer.is_valid());
  }
}

TEST(TimerTest, CreateWithUnknownOptionsReturnsInvalidArgs) {
  for (uint32_t options : {3u, 4u, 0xffffffffu}) {
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_EQ(zx_timer_create(options, ZX_CLOCK_MONOTONIC, &out), ZX_ERR_INVALID_ARGS)
        << "options " << options;
    EXPECT_EQ(out, ZX_HANDLE_INVALID);
  }
}

TEST(TimerTest, CreateOnAnyClockButMonotonicReturnsInvalidArgs) {
  for (zx_clock_t clock : {ZX_CLOCK_UTC, ZX_CLOCK_THREAD, zx_clock_t{3}, zx_clock_t{99}}) {
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_EQ(zx_timer_create(0u, clock, &out), ZX_ERR_INVALID_ARGS) << "clock " << clock;
    EXPECT_EQ(out, ZX_HANDLE_INVALID);
  }
}

TEST(TimerTest, CreateWithNullOutReturnsInvalidArgs) {
  EXPECT_EQ(zx_timer_create(0u, ZX_CLOCK_MONOTONIC, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(TimerTest, SetWithPastDeadlineSignalsBeforeReturning) {
  for (zx_time_t deadline :
       {zx_time_t{0}, zx_time_t{1}, ZX_TIME_INFINITE_PAST, zx_clock_get_monotonic()}) {
    OwnedHandle timer = NewTimer();
    ASSERT_EQ(zx_timer_set(timer.get(), deadline, 0), ZX_OK);
    EXPECT_EQ(SignalsOf(timer.get()), ZX_TIMER_SIGNALED) << "deadline " << deadline;
  }
}

TEST(TimerTest, NearFutureTimerIsEventuallySignaled) {
  for (uint32_t options : {ZX_TIMER_SLACK_CENTER, ZX_TIMER_SLACK_EARLY, ZX_TIMER_SLACK_LATE}) {
    OwnedHandle timer = NewTimer(options);
    ASSERT_EQ(zx_timer_set(timer.get(), zx_deadline_after(ZX_MSEC(1)), ZX_USEC(100)), ZX_OK);

    zx_signals_t observed = 0u;
    EXPECT_EQ(zx_object_wait_one(timer.get(), ZX_TIMER_SIGNALED, GenerousDeadline(), &observed),
              ZX_OK)
        << "options " << options;
    EXPECT_EQ(observed, ZX_TIMER_SIGNALED);
    EXPECT_TRUE(IsSignaled(timer)) << "the signal stays until the next set or cancel";
  }
}

TEST(TimerTest, FutureDeadlineIsNotSignaledAtOnce) {
  OwnedHandle timer = NewTimer();
  ASSERT_EQ(zx_timer_set(timer.get(), FarFuture(), ZX_SEC(1)), ZX_OK);
  EXPECT_FALSE(IsSignaled(timer));
}

TEST(TimerTest, SetAgainClearsTheSignal) {
  OwnedHandle timer = NewTimer();
  ASSERT_EQ(zx_timer_set(timer.get(), 0, 0), ZX_OK);
  ASSERT_TRUE(IsSignaled(timer));

  ASSERT_EQ(zx_timer_set(timer.get(), FarFuture(), 0), ZX_OK);
  EXPECT_FALSE(IsSignaled(timer));
}

TEST(TimerTest, CancelClearsTheSignal) {
  OwnedHandle timer = NewTimer();
  ASSERT_EQ(zx_timer_set(timer.get(), 0, 0), ZX_OK);
  ASSERT_TRUE(IsSignaled(timer));

  EXPECT_EQ(zx_timer_cancel(timer.get()), ZX_OK);
  EXPECT_FALSE(IsSignaled(timer));
}

TEST(TimerTest, CancelOfAnUnarmedTimerIsOk) {
  OwnedHandle timer = NewTimer();
  EXPECT_EQ(zx_timer_cancel(timer.get()), ZX_OK);
  EXPECT_EQ(zx_timer_cancel(timer.get()), ZX_OK);
  EXPECT_FALSE(IsSignaled(timer));
}

TEST(TimerTest, CancelledTimerDoesNotFire) {
  OwnedHandle timer = NewTimer();
  ASSERT_EQ(zx_timer_set(timer.get(), zx_deadline_after(ZX_MSEC(1)), 0), ZX_OK);
  ASSERT_EQ(zx_timer_cancel(timer.get()), ZX_OK);

  EXPECT_EQ(
      zx_object_wait_one(timer.get(), ZX_TIMER_SIGNALED, zx_deadline_after(ZX_MSEC(20)), nullptr),
      ZX_ERR_TIMED_OUT);
}

TEST(TimerTest, ResetToALaterDeadlineReplacesTheEarlierOne) {
  OwnedHandle timer = NewTimer();
  ASSERT_EQ(zx_timer_set(timer.get(), zx_deadline_after(ZX_MSEC(1)), 0), ZX_OK);
  ASSERT_EQ(zx_timer_set(timer.get(), FarFuture(), 0), ZX_OK);

  EXPECT_EQ(
      zx_object_wait_one(timer.get(), ZX_TIMER_SIGNALED, zx_deadline_after(ZX_MSEC(20)), nullptr),
      ZX_ERR_TIMED_OUT);
}

TEST(TimerTest, NegativeSlackReturnsOutOfRange) {
  OwnedHandle timer = NewTimer();
  EXPECT_EQ(zx_timer_set(timer.get(), 0, -1), ZX_ERR_OUT_OF_RANGE);
  EXPECT_FALSE(IsSignaled(timer));
  EXPECT_EQ(zx_timer_set(timer.get(), 0, 0), ZX_OK);
  EXPECT_EQ(zx_timer_set(timer.get(), FarFuture(), ZX_TIME_INFINITE), ZX_OK);
  // The era's zx_timer_set checks the slack before it looks up the handle.
  EXPECT_EQ(zx_timer_set(ZX_HANDLE_INVALID, 0, -1), ZX_ERR_OUT_OF_RANGE);
}

TEST(TimerTest, RepeatingWaitGetsOnePacketPerFire) {
  OwnedHandle port = NewPort();
  OwnedHandle timer = NewTimer(ZX_TIMER_SLACK_LATE);
  ASSERT_EQ(
      zx_object_wait_async(timer.get(), port.get(), 7u, ZX_TIMER_SIGNALED, ZX_WAIT_ASYNC_REPEATING),
      ZX_OK);

  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(zx_timer_set(timer.get(), zx_deadline_after(ZX_USEC(100)), 0), ZX_OK);
    zx_port_packet_t packet = {};
    ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK) << "round " << round;
    EXPECT_EQ(packet.key, 7u);
    EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_REP);
    EXPECT_EQ(packet.signal.observed, ZX_TIMER_SIGNALED);
    EXPECT_EQ(packet.signal.count, 1u);
    EXPECT_TRUE(PortIsEmpty(port.get()));
  }
}

TEST(TimerTest, RepeatingWaitGetsOnePacketPerPastDeadlineSet) {
  OwnedHandle port = NewPort();
  OwnedHandle timer = NewTimer();
  ASSERT_EQ(
      zx_object_wait_async(timer.get(), port.get(), 7u, ZX_TIMER_SIGNALED, ZX_WAIT_ASYNC_REPEATING),
      ZX_OK);

  for (int round = 0; round < 3; ++round) {
    // Each set clears the signal and asserts it again: one edge, one packet.
    ASSERT_EQ(zx_timer_set(timer.get(), 0, 0), ZX_OK);
    EXPECT_EQ(TakePacket(port.get()).key, 7u);
    EXPECT_TRUE(PortIsEmpty(port.get()));
  }
}

TEST(TimerTest, SetAndCancelOnBadHandleReturnBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_timer_set(bad, 0, 0), ZX_ERR_BAD_HANDLE) << "handle " << bad;
    EXPECT_EQ(zx_timer_cancel(bad), ZX_ERR_BAD_HANDLE) << "handle " << bad;
  }
}

TEST(TimerTest, SetAndCancelWithoutWriteRightReturnAccessDenied) {
  OwnedHandle timer = NewTimer();
  OwnedHandle no_write = Duplicate(timer.get(), Without(kTimerRights, ZX_RIGHT_WRITE));

  EXPECT_EQ(zx_timer_set(no_write.get(), 0, 0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_timer_cancel(no_write.get()), ZX_ERR_ACCESS_DENIED);
  EXPECT_FALSE(IsSignaled(timer));
}

TEST(TimerTest, SetAndCancelOnOtherObjectsCheckRightsBeforeType) {
  OwnedHandle event = NewEvent();
  OwnedHandle port = NewPort();
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);

  // An event lacks ZX_RIGHT_WRITE; ports and channels have it and are not timers.
  EXPECT_EQ(zx_timer_set(event.get(), 0, 0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_timer_cancel(event.get()), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_timer_set(port.get(), 0, 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_timer_cancel(port.get()), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_timer_set(end0.get(), 0, 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_timer_cancel(end0.get()), ZX_ERR_WRONG_TYPE);
}

TEST(TimerTest, ClosingAnArmedTimerIsSafe) {
  OwnedHandle port = NewPort();
  for (int i = 0; i < 20; ++i) {
    OwnedHandle timer = NewTimer();
    ASSERT_EQ(zx_object_wait_async(timer.get(), port.get(), 1u, ZX_TIMER_SIGNALED,
                                   ZX_WAIT_ASYNC_REPEATING),
              ZX_OK);
    ASSERT_EQ(zx_timer_set(timer.get(), zx_deadline_after(ZX_USEC(i * 50)), 0), ZX_OK);
    EXPECT_EQ(zx_handle_close(timer.release()), ZX_OK);
  }
}

TEST(TimerTest, ADuplicateHandleSeesTheFire) {
  OwnedHandle timer = NewTimer();
  OwnedHandle duplicate = Duplicate(timer.get(), ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT);
  ASSERT_EQ(zx_timer_set(timer.get(), zx_deadline_after(ZX_USEC(100)), 0), ZX_OK);

  EXPECT_EQ(zx_object_wait_one(duplicate.get(), ZX_TIMER_SIGNALED, GenerousDeadline(), nullptr),
            ZX_OK);
}

}  // namespace
}  // namespace zircon_test
