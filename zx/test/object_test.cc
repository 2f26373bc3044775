// Tests for <lib/zx/object.h> and <lib/zx/handle.h>: ownership, rights changes, comparisons,
// moves and non-owning views. `zx::event` stands in for every object class.

#include <lib/zx/event.h>
#include <lib/zx/handle.h>
#include <lib/zx/object.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

namespace {

// A deadline that has already passed: waits only report what is asserted now.
constexpr zx::time kPoll = zx::time(0);

// Ownership is move-only; conversion to and from `zx::handle` goes only where documented.
static_assert(!std::is_copy_constructible_v<zx::event>);
static_assert(!std::is_copy_assignable_v<zx::event>);
static_assert(std::is_nothrow_default_constructible_v<zx::event>);
static_assert(std::is_move_constructible_v<zx::event>);
static_assert(std::is_move_assignable_v<zx::event>);
static_assert(std::is_convertible_v<zx::event&&, zx::handle>);
static_assert(std::is_constructible_v<zx::event, zx::handle&&>);
static_assert(!std::is_convertible_v<zx::handle&&, zx::event>);
static_assert(!std::is_convertible_v<zx_handle_t, zx::event>);
static_assert(std::is_same_v<zx::handle, zx::object<void>>);
static_assert(std::is_same_v<decltype(*std::declval<zx::unowned_event&>()), const zx::event&>);
static_assert(zx::object_traits<zx::event>::supports_duplication);
static_assert(!zx::object_traits<zx::port>::supports_wait);

// Returns true if `handle` is still open in this process.
bool IsOpen(zx_handle_t handle) { return zx_object_signal(handle, 0, 0) != ZX_ERR_BAD_HANDLE; }

zx::event MakeEvent() {
  zx::event event;
  EXPECT_EQ(zx::event::create(0, &event), ZX_OK);
  return event;
}

TEST(ObjectTest, DefaultConstructedIsInvalid) {
  zx::event event;
  EXPECT_FALSE(event.is_valid());
  EXPECT_FALSE(static_cast<bool>(event));
  EXPECT_EQ(event.get(), ZX_HANDLE_INVALID);
  zx::handle handle;
  EXPECT_FALSE(handle.is_valid());
}

TEST(ObjectTest, ResetClosesHeldHandle) {
  zx::event event = MakeEvent();
  const zx_handle_t raw = event.get();
  ASSERT_TRUE(event.is_valid());
  ASSERT_TRUE(IsOpen(raw));

  event.reset();
  EXPECT_FALSE(event.is_valid());
  EXPECT_FALSE(IsOpen(raw));
}

TEST(ObjectTest, ResetTakesOwnershipOfNewValue) {
  zx_handle_t raw = ZX_HANDLE_INVALID;
  ASSERT_EQ(zx_event_create(0, &raw), ZX_OK);
  {
    zx::event event;
    event.reset(raw);
    EXPECT_EQ(event.get(), raw);
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(ObjectTest, DestructorClosesHandle) {
  zx_handle_t raw = ZX_HANDLE_INVALID;
  {
    zx::event event = MakeEvent();
    raw = event.get();
    ASSERT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(ObjectTest, ReleaseGivesUpOwnershipWithoutClosing) {
  zx::event event = MakeEvent();
  const zx_handle_t expected = event.get();
  const zx_handle_t raw = event.release();
  EXPECT_EQ(raw, expected);
  EXPECT_FALSE(event.is_valid());
  EXPECT_TRUE(IsOpen(raw));
  EXPECT_EQ(zx_handle_close(raw), ZX_OK);
}

TEST(ObjectTest, ResetAndGetAddressClosesAndExposesSlot) {
  zx::event event = MakeEvent();
  const zx_handle_t old_raw = event.get();

  zx_handle_t* slot = event.reset_and_get_address();
  EXPECT_FALSE(IsOpen(old_raw));
  EXPECT_EQ(*slot, ZX_HANDLE_INVALID);
  ASSERT_EQ(zx_event_create(0, slot), ZX_OK);
  EXPECT_TRUE(event.is_valid());
  EXPECT_EQ(event.signal(0, ZX_EVENT_SIGNALED), ZX_OK);
}

TEST(ObjectTest, DuplicateKeepsSourceAndSharesObject) {
  zx::event event = MakeEvent();
  zx::event copy;
  ASSERT_EQ(event.duplicate(ZX_RIGHT_SAME_RIGHTS, &copy), ZX_OK);
  EXPECT_TRUE(event.is_valid());
  EXPECT_TRUE(copy.is_valid());
  EXPECT_NE(event.get(), copy.get());

  ASSERT_EQ(copy.signal(0, ZX_USER_SIGNAL_1), ZX_OK);
  zx_signals_t pending = 0;
  EXPECT_EQ(event.wait_one(ZX_USER_SIGNAL_1, kPoll, &pending), ZX_OK);
  EXPECT_EQ(pending & ZX_USER_SIGNAL_1, ZX_USER_SIGNAL_1);
}

TEST(ObjectTest, DuplicateWithFewerRightsRestrictsCopy) {
  zx::event event = MakeEvent();
  zx::event waiter;
  ASSERT_EQ(event.duplicate(ZX_RIGHT_WAIT, &waiter), ZX_OK);
  EXPECT_EQ(waiter.signal(0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
  zx_signals_t pending = 0;
  EXPECT_EQ(waiter.wait_one(ZX_USER_SIGNAL_0, kPoll, &pending), ZX_ERR_TIMED_OUT);
}

TEST(ObjectTest, DuplicateWithExtraRightsFailsAndInvalidatesResult) {
  zx::event event = MakeEvent();
  zx::event result = MakeEvent();
  const zx_handle_t old_result = result.get();

  EXPECT_EQ(event.duplicate(ZX_RIGHT_READ, &result), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(result.is_valid());
  EXPECT_FALSE(IsOpen(old_result));
  EXPECT_TRUE(event.is_valid());
}

TEST(ObjectTest, ReplaceMovesObjectToNewHandle) {
  zx::event event = MakeEvent();
  zx::event replacement;

  ASSERT_EQ(event.replace(ZX_RIGHT_SAME_RIGHTS, &replacement), ZX_OK);
  EXPECT_FALSE(event.is_valid());
  EXPECT_TRUE(replacement.is_valid());
  EXPECT_EQ(replacement.signal(0, ZX_EVENT_SIGNALED), ZX_OK);
}

TEST(ObjectTest, ReplaceInvalidatesSourceEvenOnFailure) {
  zx::event event = MakeEvent();
  const zx_handle_t old_raw = event.get();
  zx::event replacement;

  EXPECT_EQ(event.replace(ZX_RIGHT_READ, &replacement), ZX_ERR_INVALID_ARGS);
  EXPECT_FALSE(event.is_valid());
  EXPECT_FALSE(replacement.is_valid());
  EXPECT_FALSE(IsOpen(old_raw));
}

TEST(ObjectTest, ReplaceIntoItselfKeepsObjectWithNewRights) {
  zx::event event = MakeEvent();
  ASSERT_EQ(event.replace(ZX_RIGHT_NONE, &event), ZX_OK);
  EXPECT_TRUE(event.is_valid());
  EXPECT_EQ(event.signal(0, ZX_EVENT_SIGNALED), ZX_ERR_ACCESS_DENIED);
}

TEST(ObjectTest, SwapExchangesHandles) {
  zx::event a = MakeEvent();
  zx::event b = MakeEvent();
  const zx_handle_t raw_a = a.get();
  const zx_handle_t raw_b = b.get();
  a.swap(b);
  EXPECT_EQ(a.get(), raw_b);
  EXPECT_EQ(b.get(), raw_a);
  EXPECT_TRUE(IsOpen(raw_a));
  EXPECT_TRUE(IsOpen(raw_b));
}

TEST(ObjectTest, GetInfoReportsHandleBasics) {
  zx::event event = MakeEvent();
  zx_info_handle_basic_t info = {};
  size_t actual = 0;
  size_t avail = 0;
  ASSERT_EQ(event.get_info(ZX_INFO_HANDLE_BASIC, &info, sizeof(info), &actual, &avail), ZX_OK);
  EXPECT_EQ(actual, 1u);
  EXPECT_EQ(avail, 1u);
  EXPECT_NE(info.koid, ZX_KOID_INVALID);
  EXPECT_EQ(info.type, zx::event::TYPE);
  EXPECT_EQ(info.rights, ZX_DEFAULT_EVENT_RIGHTS);
}

TEST(ObjectTest, WaitOneTimesOutWhenNothingAsserted) {
  zx::event event = MakeEvent();
  zx_signals_t pending = ZX_USER_SIGNAL_ALL;
  EXPECT_EQ(event.wait_one(ZX_USER_SIGNAL_0, kPoll, &pending), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(pending, ZX_SIGNAL_NONE);
}

TEST(ObjectTest, WaitManyReportsEachItem) {
  zx::event quiet = MakeEvent();
  zx::event loud = MakeEvent();
  ASSERT_EQ(loud.signal(0, ZX_EVENT_SIGNALED), ZX_OK);
  zx_wait_item_t items[] = {
      {quiet.get(), ZX_EVENT_SIGNALED, 0},
      {loud.get(), ZX_EVENT_SIGNALED, 0},
  };
  EXPECT_EQ(zx::event::wait_many(items, 2, kPoll), ZX_OK);
  EXPECT_EQ(items[0].pending & ZX_EVENT_SIGNALED, 0u);
  EXPECT_EQ(items[1].pending & ZX_EVENT_SIGNALED, ZX_EVENT_SIGNALED);
  EXPECT_EQ(zx::handle::wait_many(items, 1, kPoll), ZX_ERR_TIMED_OUT);
}

TEST(ObjectTest, ComparisonOperatorsCompareHandleValues) {
  zx::event a = MakeEvent();
  zx::event b = MakeEvent();
  if (b.get() < a.get()) {
    a.swap(b);
  }
  EXPECT_TRUE(a == a && !(a != a) && !(a == b) && a != b);
  EXPECT_TRUE(a < b && a <= b && b > a && b >= a && a <= a && a >= a);
  EXPECT_FALSE(b < a || b <= a || a > b || a >= b);

  const zx_handle_t raw_a = a.get();
  EXPECT_TRUE(a == raw_a && raw_a == a && !(a != raw_a) && !(raw_a != a));
  EXPECT_TRUE(a != b.get() && b.get() != a);
  EXPECT_TRUE(a < b.get() && raw_a < b && a <= b.get() && raw_a <= b);
  EXPECT_TRUE(b > raw_a && b.get() > a && b >= raw_a && b.get() >= a);
  EXPECT_TRUE(zx::event() == ZX_HANDLE_INVALID);
}

TEST(ObjectTest, MoveConstructionTransfersOwnership) {
  zx::event source = MakeEvent();
  const zx_handle_t raw = source.get();
  zx::event target(std::move(source));
  EXPECT_FALSE(source.is_valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(target.get(), raw);
  EXPECT_TRUE(IsOpen(raw));
}

TEST(ObjectTest, MoveAssignmentClosesReplacedHandle) {
  zx::event source = MakeEvent();
  zx::event target = MakeEvent();
  const zx_handle_t raw = source.get();
  const zx_handle_t replaced = target.get();

  target = std::move(source);
  EXPECT_FALSE(source.is_valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(target.get(), raw);
  EXPECT_FALSE(IsOpen(replaced));
  EXPECT_TRUE(IsOpen(raw));
}

TEST(ObjectTest, ConvertingMoveIntoHandleAndBack) {
  zx::event event = MakeEvent();
  const zx_handle_t raw = event.get();

  zx::handle handle(std::move(event));
  EXPECT_FALSE(event.is_valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(handle.get(), raw);

  zx::handle assigned;
  assigned = std::move(handle);
  EXPECT_EQ(assigned.get(), raw);

  zx::event back(std::move(assigned));
  EXPECT_EQ(back.get(), raw);
  EXPECT_EQ(back.signal(0, ZX_EVENT_SIGNALED), ZX_OK);
}

TEST(UnownedTest, DestructionDoesNotCloseHandle) {
  zx::event event = MakeEvent();
  {
    zx::unowned_event view(event);
    EXPECT_EQ(view->get(), event.get());
    EXPECT_EQ(view->signal(0, ZX_USER_SIGNAL_0), ZX_OK);
  }
  {
    zx::unowned_handle raw_view(event.get());
    EXPECT_EQ((*raw_view).get(), event.get());
  }
  EXPECT_TRUE(IsOpen(event.get()));
  zx_signals_t pending = 0;
  EXPECT_EQ(event.wait_one(ZX_USER_SIGNAL_0, kPoll, &pending), ZX_OK);
}

TEST(UnownedTest, CopiesAndMovesViewSameHandle) {
  zx::event event = MakeEvent();
  {
    zx::unowned_event first(event.get());
    zx::unowned_event copy(first);
    zx::unowned_event moved(std::move(first));
    zx::unowned_event assigned;
    EXPECT_FALSE(assigned->is_valid());
    assigned = copy;
    EXPECT_EQ(copy->get(), event.get());
    EXPECT_EQ(moved->get(), event.get());
    EXPECT_EQ(assigned->get(), event.get());
    assigned = zx::unowned_event(moved);
    EXPECT_EQ(assigned->get(), event.get());
  }
  EXPECT_TRUE(IsOpen(event.get()));
}

}  // namespace
