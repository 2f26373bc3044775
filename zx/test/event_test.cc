// Tests for <lib/zx/event.h>.

#include <lib/zx/event.h>

#include <utility>

#include <gtest/gtest.h>

namespace {

constexpr zx::time kPoll = zx::time(0);

static_assert(zx::event::TYPE == ZX_OBJ_TYPE_EVENT);

// Returns the signals asserted on `event` now.
zx_signals_t Asserted(const zx::event& event) {
  zx_signals_t pending = 0;
  zx_status_t status = event.wait_one(ZX_EVENT_SIGNAL_MASK, kPoll, &pending);
  EXPECT_TRUE(status == ZX_OK || status == ZX_ERR_TIMED_OUT) << status;
  return pending;
}

TEST(EventTest, CreateGivesEventWithNoSignals) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  EXPECT_TRUE(event.is_valid());
  EXPECT_EQ(Asserted(event), ZX_SIGNAL_NONE);
}

TEST(EventTest, CreateWithNonZeroOptionsFailsAndInvalidatesResult) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  EXPECT_EQ(zx::event::create(1, &event), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(event.is_valid());
}

TEST(EventTest, SignalSetsThenClears) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);

  ASSERT_EQ(event.signal(0, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(Asserted(event), ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0);

  ASSERT_EQ(event.signal(ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_7), ZX_OK);
  EXPECT_EQ(Asserted(event), ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_7);

  ASSERT_EQ(event.signal(ZX_EVENT_SIGNAL_MASK, 0), ZX_OK);
  EXPECT_EQ(Asserted(event), ZX_SIGNAL_NONE);
}

TEST(EventTest, SignalRejectsObjectOwnedBits) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  EXPECT_EQ(event.signal(0, ZX_CHANNEL_READABLE), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(event.signal(ZX_EVENTPAIR_PEER_CLOSED, 0), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(Asserted(event), ZX_SIGNAL_NONE);
}

TEST(EventTest, SignalOnEmptyWrapperIsBadHandle) {
  zx::event event;
  EXPECT_EQ(event.signal(0, ZX_EVENT_SIGNALED), ZX_ERR_BAD_HANDLE);
}

TEST(EventTest, ConstructsFromHandleAndMoves) {
  zx::event original;
  ASSERT_EQ(zx::event::create(0, &original), ZX_OK);
  const zx_handle_t raw = original.get();

  zx::handle handle(std::move(original));
  zx::event from_handle(std::move(handle));
  zx::event moved(std::move(from_handle));
  zx::event assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.get(), raw);
  EXPECT_EQ(assigned.signal(0, ZX_EVENT_SIGNALED), ZX_OK);
}

TEST(EventTest, UnownedEventSignalsOwnersEvent) {
  zx::event event;
  ASSERT_EQ(zx::event::create(0, &event), ZX_OK);
  EXPECT_EQ(zx::unowned_event(event.get())->signal(0, ZX_EVENT_SIGNALED), ZX_OK);
  EXPECT_EQ(Asserted(event), ZX_EVENT_SIGNALED);
}

}  // namespace
