// Tests for <lib/zx/time.h>: value semantics, saturation, unit helpers and clock readers.

#include <lib/zx/time.h>

#include <gtest/gtest.h>
#include <stdint.h>

namespace {

// The unit helpers are usable in constant expressions and scale by the documented factors.
static_assert(zx::nsec(1).get() == 1);
static_assert(zx::usec(1) == zx::nsec(1000));
static_assert(zx::msec(1) == zx::usec(1000));
static_assert(zx::sec(1) == zx::msec(1000));
static_assert(zx::min(1) == zx::sec(60));
static_assert(zx::hour(1) == zx::min(60));
static_assert(zx::duration().get() == 0);
static_assert(zx::time().get() == 0);
static_assert(zx::duration::infinite().get() == ZX_TIME_INFINITE);
static_assert(zx::time::infinite_past().get() == ZX_TIME_INFINITE_PAST);

TEST(DurationTest, AdditionAndSubtractionSaturate) {
  EXPECT_EQ((zx::duration::infinite() + zx::nsec(1)).get(), ZX_TIME_INFINITE);
  EXPECT_EQ((zx::duration::infinite_past() - zx::nsec(1)).get(), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ((zx::duration::infinite_past() + zx::duration::infinite_past()).get(),
            ZX_TIME_INFINITE_PAST);
  EXPECT_EQ((zx::sec(2) + zx::msec(500)).get(), ZX_MSEC(2500));
  EXPECT_EQ((zx::sec(2) - zx::sec(3)).get(), ZX_SEC(-1));
}

TEST(DurationTest, MultiplicationSaturatesTowardSignOfProduct) {
  EXPECT_EQ((zx::sec(1) * INT64_MAX).get(), ZX_TIME_INFINITE);
  EXPECT_EQ((zx::sec(-1) * INT64_MAX).get(), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ((zx::sec(1) * INT64_MIN).get(), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ((zx::sec(-1) * INT64_MIN).get(), ZX_TIME_INFINITE);
  EXPECT_EQ((zx::msec(3) * 4).get(), ZX_MSEC(12));
}

TEST(DurationTest, CompoundAssignmentSaturates) {
  zx::duration d = zx::sec(1);
  d += zx::sec(1);
  EXPECT_EQ(d, zx::sec(2));
  d -= zx::msec(500);
  EXPECT_EQ(d, zx::msec(1500));
  d *= 2;
  EXPECT_EQ(d, zx::sec(3));
  d /= 3;
  EXPECT_EQ(d, zx::sec(1));
  d *= INT64_MAX;
  EXPECT_EQ(d, zx::duration::infinite());
  d += zx::sec(1);
  EXPECT_EQ(d, zx::duration::infinite());
}

TEST(DurationTest, DivisionAndRemainderTruncate) {
  EXPECT_EQ(zx::sec(7) / zx::sec(2), 3);
  EXPECT_EQ(zx::sec(7) % zx::sec(2), zx::sec(1));
  EXPECT_EQ(zx::sec(6) / 4, zx::msec(1500));
  EXPECT_EQ(zx::sec(-7) / zx::sec(2), -3);
}

TEST(DurationTest, ConversionsTruncateTowardZero) {
  EXPECT_EQ(zx::usec(3).to_nsecs(), 3000);
  EXPECT_EQ(zx::nsec(2999).to_usecs(), 2);
  EXPECT_EQ(zx::usec(1999).to_msecs(), 1);
  EXPECT_EQ(zx::msec(1500).to_secs(), 1);
  EXPECT_EQ(zx::msec(-1500).to_secs(), -1);
  EXPECT_EQ(zx::sec(119).to_mins(), 1);
  EXPECT_EQ(zx::min(150).to_hours(), 2);
}

TEST(DurationTest, ComparisonsOrderByNanoseconds) {
  const zx::duration small = zx::msec(1);
  const zx::duration large = zx::sec(1);
  EXPECT_TRUE(small < large);
  EXPECT_TRUE(small <= large);
  EXPECT_TRUE(large > small);
  EXPECT_TRUE(large >= small);
  EXPECT_TRUE(small != large);
  EXPECT_TRUE(small == zx::usec(1000));
  EXPECT_TRUE(small <= zx::usec(1000));
  EXPECT_TRUE(small >= zx::usec(1000));
  EXPECT_FALSE(small > zx::usec(1000));
}

TEST(TimeTest, ArithmeticWithDurationsSaturates) {
  EXPECT_EQ((zx::time(5) + zx::nsec(3)).get(), 8);
  EXPECT_EQ((zx::time(5) - zx::nsec(3)).get(), 2);
  EXPECT_EQ((zx::time::infinite() + zx::sec(1)).get(), ZX_TIME_INFINITE);
  EXPECT_EQ((zx::time::infinite_past() - zx::sec(1)).get(), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ((zx::time(0) + zx::duration::infinite_past()).get(), ZX_TIME_INFINITE_PAST);

  zx::time t(-200);
  t += zx::nsec(50);
  EXPECT_EQ(t.get(), -150);
  t -= zx::duration::infinite();
  EXPECT_EQ(t.get(), ZX_TIME_INFINITE_PAST);
  t += zx::duration::infinite();
  EXPECT_EQ(t.get(), -1);
}

TEST(TimeTest, DifferenceOfTimesIsSaturatingDuration) {
  EXPECT_EQ(zx::time(10) - zx::time(4), zx::nsec(6));
  EXPECT_EQ(zx::time(4) - zx::time(10), zx::nsec(-6));
  EXPECT_EQ(zx::time::infinite() - zx::time::infinite_past(), zx::duration::infinite());
  EXPECT_EQ(zx::time::infinite_past() - zx::time::infinite(), zx::duration::infinite_past());
}

TEST(TimeTest, ComparisonsOrderByValue) {
  EXPECT_TRUE(zx::time(1) < zx::time(2));
  EXPECT_TRUE(zx::time(1) <= zx::time(1));
  EXPECT_TRUE(zx::time(2) > zx::time(1));
  EXPECT_TRUE(zx::time(2) >= zx::time(2));
  EXPECT_TRUE(zx::time(2) != zx::time(1));
  EXPECT_TRUE(zx::time_utc(7) == zx::time_utc(7));
  EXPECT_TRUE(zx::time::infinite_past() < zx::time() && zx::time() < zx::time::infinite());
}

TEST(TimeTest, GetAddressWritesThrough) {
  zx::time_thread t;
  *t.get_address() = 42;
  EXPECT_EQ(t.get(), 42);
}

TEST(TicksTest, ArithmeticIsPlainInteger) {
  EXPECT_EQ((zx::ticks(10) + zx::ticks(5)).get(), 15u);
  EXPECT_EQ((zx::ticks(10) - zx::ticks(4)).get(), 6u);
  EXPECT_EQ((zx::ticks(10) * 3).get(), 30u);
  EXPECT_EQ((zx::ticks(10) / 3).get(), 3u);
  EXPECT_EQ(zx::ticks(10) / zx::ticks(3), 3u);
  zx::ticks t(4);
  t += zx::ticks(4);
  t *= 2;
  t -= zx::ticks(1);
  t /= 5;
  EXPECT_EQ(t, zx::ticks(3));
  EXPECT_TRUE(zx::ticks(1) < zx::ticks(2));
}

TEST(TicksTest, CounterDoesNotGoBackAndHasPositiveRate) {
  const zx::ticks first = zx::ticks::now();
  const zx::ticks second = zx::ticks::now();
  EXPECT_LE(first, second);
  EXPECT_GT(zx::ticks::per_second().get(), 0u);
}

TEST(ClockTest, MonotonicClockDoesNotGoBack) {
  const zx::time first = zx::clock::get_monotonic();
  zx::time second;
  ASSERT_EQ(zx::clock::get(&second), ZX_OK);
  const zx::time third = zx::clock::get<ZX_CLOCK_MONOTONIC>();
  EXPECT_LE(first, second);
  EXPECT_LE(second, third);
  EXPECT_GT(first.get(), 0);
}

TEST(ClockTest, GetReadsOtherClocks) {
  zx::time_utc utc;
  EXPECT_EQ(zx::clock::get(&utc), ZX_OK);
  EXPECT_GT(utc.get(), 0);
  zx::time_thread cpu;
  EXPECT_EQ(zx::clock::get(&cpu), ZX_OK);
  EXPECT_GE(cpu.get(), 0);
}

TEST(DeadlineAfterTest, IsNowPlusDuration) {
  const zx::time before = zx::clock::get_monotonic();
  const zx::time deadline = zx::deadline_after(zx::sec(10));
  const zx::time after = zx::clock::get_monotonic();
  EXPECT_GE(deadline, before + zx::sec(10));
  EXPECT_LE(deadline, after + zx::sec(10));
}

TEST(DeadlineAfterTest, SaturatesAtInfinity) {
  EXPECT_EQ(zx::deadline_after(zx::duration::infinite()), zx::time::infinite());
  EXPECT_LE(zx::deadline_after(zx::duration::infinite_past()), zx::clock::get_monotonic());
}

TEST(NanosleepTest, PastDeadlineReturnsAtOnce) {
  EXPECT_EQ(zx::nanosleep(zx::time(0)), ZX_OK);
  EXPECT_EQ(zx::nanosleep(zx::time::infinite_past()), ZX_OK);
  EXPECT_EQ(zx::nanosleep(zx::clock::get_monotonic() - zx::sec(1)), ZX_OK);
}

}  // namespace
