// Tests for <lib/zx/timer.h>. Deadlines are either already past or an hour away, so no test
// depends on how fast the machine is.

#include <lib/zx/timer.h>

#include <gtest/gtest.h>

namespace {

constexpr zx::time kPoll = zx::time(0);

static_assert(zx::timer::TYPE == ZX_OBJ_TYPE_TIMER);

class TimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(zx::timer::create(ZX_TIMER_SLACK_CENTER, ZX_CLOCK_MONOTONIC, &timer_), ZX_OK);
  }

  // Returns true if `ZX_TIMER_SIGNALED` is asserted now.
  bool IsSignaled() const {
    zx_signals_t pending = 0;
    zx_status_t status = timer_.wait_one(ZX_TIMER_SIGNALED, kPoll, &pending);
    EXPECT_TRUE(status == ZX_OK || status == ZX_ERR_TIMED_OUT) << status;
    return (pending & ZX_TIMER_SIGNALED) != 0;
  }

  zx::timer timer_;
};

TEST_F(TimerTest, NewTimerIsNotSignaled) {
  EXPECT_TRUE(timer_.is_valid());
  EXPECT_FALSE(IsSignaled());
}

TEST_F(TimerTest, SetInThePastSignalsAtOnce) {
  ASSERT_EQ(timer_.set(zx::clock::get_monotonic() - zx::sec(1), zx::duration()), ZX_OK);
  EXPECT_TRUE(IsSignaled());
}

TEST_F(TimerTest, SetAtZeroSignalsAtOnce) {
  ASSERT_EQ(timer_.set(zx::time(0), zx::duration()), ZX_OK);
  EXPECT_TRUE(IsSignaled());
}

TEST_F(TimerTest, SetInTheFutureLeavesSignalClear) {
  ASSERT_EQ(timer_.set(zx::deadline_after(zx::hour(1)), zx::msec(1)), ZX_OK);
  EXPECT_FALSE(IsSignaled());
}

TEST_F(TimerTest, CancelClearsSignal) {
  ASSERT_EQ(timer_.set(zx::time(0), zx::duration()), ZX_OK);
  ASSERT_TRUE(IsSignaled());
  EXPECT_EQ(timer_.cancel(), ZX_OK);
  EXPECT_FALSE(IsSignaled());
}

TEST_F(TimerTest, CancelOnUnsetTimerSucceeds) {
  EXPECT_EQ(timer_.cancel(), ZX_OK);
  EXPECT_FALSE(IsSignaled());
}

TEST_F(TimerTest, SetAgainClearsEarlierSignal) {
  ASSERT_EQ(timer_.set(zx::time(0), zx::duration()), ZX_OK);
  ASSERT_TRUE(IsSignaled());
  ASSERT_EQ(timer_.set(zx::deadline_after(zx::hour(1)), zx::duration()), ZX_OK);
  EXPECT_FALSE(IsSignaled());
}

TEST_F(TimerTest, NegativeSlackIsOutOfRange) {
  EXPECT_EQ(timer_.set(zx::deadline_after(zx::hour(1)), zx::nsec(-1)), ZX_ERR_OUT_OF_RANGE);
}

TEST_F(TimerTest, CreateRejectsOtherClocksAndOptions) {
  zx::timer timer;
  EXPECT_EQ(zx::timer::create(0, ZX_CLOCK_UTC, &timer), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(timer.is_valid());
  EXPECT_EQ(zx::timer::create(3, ZX_CLOCK_MONOTONIC, &timer), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(timer.is_valid());
}

}  // namespace
