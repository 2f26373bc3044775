// Clocks and sleeping (reference §2.8), zx_cprng_draw, and the saturating time arithmetic of
// <zircon/time.h> (reference §1.7). No test measures how long anything took.

#include <zircon/syscalls.h>
#include <zircon/time.h>
#include <zircon/types.h>

#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

namespace zircon_test {
namespace {

TEST(ClockTest, MonotonicNeverDecreases) {
  zx_time_t previous = zx_clock_get_monotonic();
  EXPECT_GT(previous, 0);
  for (int i = 0; i < 100000; ++i) {
    zx_time_t now = zx_clock_get_monotonic();
    ASSERT_GE(now, previous) << "read " << i;
    previous = now;
  }
}

TEST(ClockTest, ClockGetMonotonicAgreesWithClockGetMonotonic) {
  zx_time_t before = zx_clock_get_monotonic();
  zx_time_t middle = zx_clock_get(ZX_CLOCK_MONOTONIC);
  zx_time_t after = zx_clock_get_monotonic();
  EXPECT_LE(before, middle);
  EXPECT_LE(middle, after);
}

TEST(ClockTest, ClockGetOfAnUnknownClockReturnsZero) {
  EXPECT_EQ(zx_clock_get(3u), 0);
  EXPECT_EQ(zx_clock_get(0xffffffffu), 0);
}

TEST(ClockTest, ThreadClockNeverDecreases) {
  zx_time_t previous = zx_clock_get(ZX_CLOCK_THREAD);
  EXPECT_GE(previous, 0);
  for (int i = 0; i < 1000; ++i) {
    zx_time_t now = zx_clock_get(ZX_CLOCK_THREAD);
    ASSERT_GE(now, previous) << "read " << i;
    previous = now;
  }
}

TEST(ClockTest, UtcIsPositive) { EXPECT_GT(zx_clock_get(ZX_CLOCK_UTC), 0); }

TEST(ClockTest, ClockGetNewReportsKnownClocks) {
  zx_time_t before = zx_clock_get_monotonic();
  zx_time_t now = 0;
  ASSERT_EQ(zx_clock_get_new(ZX_CLOCK_MONOTONIC, &now), ZX_OK);
  EXPECT_LE(before, now);
  EXPECT_LE(now, zx_clock_get_monotonic());

  now = 0;
  EXPECT_EQ(zx_clock_get_new(ZX_CLOCK_UTC, &now), ZX_OK);
  EXPECT_GT(now, 0);
  EXPECT_EQ(zx_clock_get_new(ZX_CLOCK_THREAD, &now), ZX_OK);
}

TEST(ClockTest, ClockGetNewOfAnUnknownClockReturnsInvalidArgs) {
  zx_time_t now = 42;
  EXPECT_EQ(zx_clock_get_new(3u, &now), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(now, 42);
}

TEST(ClockTest, ClockGetNewWithNullOutReturnsInvalidArgs) {
  EXPECT_EQ(zx_clock_get_new(ZX_CLOCK_MONOTONIC, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(ClockTest, DeadlineAfterIsNowPlusTheDuration) {
  zx_time_t before = zx_clock_get_monotonic();
  zx_time_t deadline = zx_deadline_after(ZX_SEC(10));
  zx_time_t after = zx_clock_get_monotonic();
  EXPECT_GE(deadline, before + ZX_SEC(10));
  EXPECT_LE(deadline, after + ZX_SEC(10));
}

TEST(ClockTest, DeadlineAfterSaturates) {
  EXPECT_EQ(zx_deadline_after(ZX_TIME_INFINITE), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_deadline_after(ZX_TIME_INFINITE - 1), ZX_TIME_INFINITE);
  EXPECT_LT(zx_deadline_after(ZX_TIME_INFINITE_PAST), 0);
}

TEST(ClockTest, NanosleepWithPastDeadlineReturnsAtOnce) {
  EXPECT_EQ(zx_nanosleep(0), ZX_OK);
  EXPECT_EQ(zx_nanosleep(-1), ZX_OK);
  EXPECT_EQ(zx_nanosleep(ZX_TIME_INFINITE_PAST), ZX_OK);
  EXPECT_EQ(zx_nanosleep(zx_clock_get_monotonic()), ZX_OK);
}

TEST(ClockTest, NanosleepWithFutureDeadlineReturnsOk) {
  EXPECT_EQ(zx_nanosleep(zx_deadline_after(ZX_USEC(100))), ZX_OK);
}

TEST(ClockTest, TicksNeverDecreaseAndHaveAPositiveRate) {
  EXPECT_GT(zx_ticks_per_second(), 0u);
  zx_ticks_t previous = zx_ticks_get();
  for (int i = 0; i < 1000; ++i) {
    zx_ticks_t now = zx_ticks_get();
    ASSERT_GE(now, previous) << "read " << i;
    previous = now;
  }
}

TEST(CprngTest, DrawFillsTheBufferWithFreshBytes) {
  uint8_t first[64] = {};
  uint8_t second[64] = {};
  zx_cprng_draw(first, sizeof(first));
  zx_cprng_draw(second, sizeof(second));
  // Each assertion fails for a working generator with probability 2^-512.
  EXPECT_NE(std::memcmp(first, second, sizeof(first)), 0);
  uint8_t zeros[64] = {};
  EXPECT_NE(std::memcmp(first, zeros, sizeof(first)), 0);
  zx_cprng_draw(nullptr, 0u);
}

TEST(TimeArithmeticTest, DurationMacrosScaleNanoseconds) {
  EXPECT_EQ(ZX_NSEC(7), 7);
  EXPECT_EQ(ZX_USEC(7), 7000);
  EXPECT_EQ(ZX_MSEC(7), 7000000);
  EXPECT_EQ(ZX_SEC(7), INT64_C(7000000000));
  EXPECT_EQ(ZX_MIN(2), INT64_C(120000000000));
  EXPECT_EQ(ZX_HOUR(1), INT64_C(3600000000000));
  EXPECT_EQ(ZX_TIME_INFINITE, INT64_MAX);
  EXPECT_EQ(ZX_TIME_INFINITE_PAST, INT64_MIN);
}

TEST(TimeArithmeticTest, AddAndSubtractDurationSaturate) {
  EXPECT_EQ(zx_time_add_duration(5, 3), 8);
  EXPECT_EQ(zx_time_add_duration(ZX_TIME_INFINITE, 1), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_time_add_duration(ZX_TIME_INFINITE_PAST, -1), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_time_add_duration(ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST), -1);

  EXPECT_EQ(zx_time_sub_duration(5, 3), 2);
  EXPECT_EQ(zx_time_sub_duration(ZX_TIME_INFINITE_PAST, 1), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_time_sub_duration(ZX_TIME_INFINITE, -1), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_time_sub_duration(0, ZX_TIME_INFINITE_PAST), ZX_TIME_INFINITE);
}

TEST(TimeArithmeticTest, DifferenceOfTimesSaturates) {
  EXPECT_EQ(zx_time_sub_time(10, 4), 6);
  EXPECT_EQ(zx_time_sub_time(4, 10), -6);
  EXPECT_EQ(zx_time_sub_time(ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_time_sub_time(ZX_TIME_INFINITE_PAST, ZX_TIME_INFINITE), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_time_sub_time(ZX_TIME_INFINITE_PAST, 1), ZX_TIME_INFINITE_PAST);
}

TEST(TimeArithmeticTest, DurationSumsSaturate) {
  EXPECT_EQ(zx_duration_add_duration(ZX_SEC(1), ZX_MSEC(1)), ZX_MSEC(1001));
  EXPECT_EQ(zx_duration_add_duration(ZX_TIME_INFINITE, ZX_TIME_INFINITE), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_duration_add_duration(ZX_TIME_INFINITE_PAST, -5), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_duration_sub_duration(ZX_SEC(1), ZX_MSEC(1)), ZX_MSEC(999));
  EXPECT_EQ(zx_duration_sub_duration(ZX_TIME_INFINITE, -1), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_duration_sub_duration(ZX_TIME_INFINITE_PAST, 1), ZX_TIME_INFINITE_PAST);
}

TEST(TimeArithmeticTest, DurationProductSaturatesTowardTheSignOfTheExactProduct) {
  EXPECT_EQ(zx_duration_mul_int64(ZX_MSEC(3), 4), ZX_MSEC(12));
  EXPECT_EQ(zx_duration_mul_int64(ZX_MSEC(3), -4), -ZX_MSEC(12));
  EXPECT_EQ(zx_duration_mul_int64(INT64_MAX / 2 + 1, 2), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_duration_mul_int64(INT64_MAX, -2), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_duration_mul_int64(-INT64_MAX, -2), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_duration_mul_int64(ZX_TIME_INFINITE_PAST, -1), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_duration_mul_int64(ZX_TIME_INFINITE_PAST, 1), ZX_TIME_INFINITE_PAST);
}

}  // namespace
}  // namespace zircon_test
