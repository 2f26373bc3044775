// zx_object_wait_one and zx_object_wait_many (reference §2.4).

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

// Runs `wait(handle, &observed)` on another thread, blocked on a fresh event's handle, and
// closes that handle from this thread. The close can win the race and land before the wait has
// looked the handle up, in which case the wait reports BAD_HANDLE; so this retries, yielding a
// little longer each time, until one wait was cut short. Returns true once one was, having
// checked that it reported ZX_ERR_CANCELED with ZX_SIGNAL_HANDLE_CLOSED observed.
template <typename WaitFunction>
bool CloseHandleDuringWait(WaitFunction wait) {
  for (int attempt = 1; attempt <= 1000; ++attempt) {
    OwnedHandle event = NewEvent();
    zx_handle_t value = event.get();
    std::atomic<bool> started{false};
    zx_status_t status = ZX_ERR_INTERNAL;
    zx_signals_t observed = 0u;
    std::thread waiter([&] {
      started.store(true, std::memory_order_release);  // pairs with the acquire load below
      status = wait(value, &observed);
    });
    while (!started.load(std::memory_order_acquire)) {
      std::this_thread::yield();
    }
    for (int i = 0; i < 10 * attempt; ++i) {
      std::this_thread::yield();
    }
    EXPECT_EQ(zx_handle_close(event.release()), ZX_OK);
    waiter.join();
    if (status == ZX_ERR_CANCELED) {
      EXPECT_EQ(observed & ZX_SIGNAL_HANDLE_CLOSED, ZX_SIGNAL_HANDLE_CLOSED);
      return true;
    }
    EXPECT_EQ(status, ZX_ERR_BAD_HANDLE) << "attempt " << attempt;
  }
  return false;
}

TEST(WaitOneTest, AssertedSignalReturnsAtOnceEvenWithAPastDeadline) {
  OwnedHandle event = NewEvent();
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  zx_signals_t observed = 0u;

  EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, 0, &observed), ZX_OK);
  EXPECT_EQ(observed, ZX_USER_SIGNAL_0);
  EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1,
                               ZX_TIME_INFINITE_PAST, &observed),
            ZX_OK);
  EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, &observed), ZX_OK);
}

TEST(WaitOneTest, UnassertedSignalWithPastDeadlineTimesOutAtOnce) {
  OwnedHandle event = NewEvent();
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_1), ZX_OK);

  for (zx_time_t deadline : {zx_time_t{0}, ZX_TIME_INFINITE_PAST, zx_clock_get_monotonic()}) {
    zx_signals_t observed = 0u;
    EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, deadline, &observed),
              ZX_ERR_TIMED_OUT)
        << "deadline " << deadline;
    EXPECT_EQ(observed, ZX_USER_SIGNAL_1) << "deadline " << deadline;
  }
}

TEST(WaitOneTest, UnassertedSignalWithFutureDeadlineTimesOut) {
  OwnedHandle event = NewEvent();
  zx_signals_t observed = ZX_USER_SIGNAL_7;
  EXPECT_EQ(
      zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, zx_deadline_after(ZX_MSEC(1)), &observed),
      ZX_ERR_TIMED_OUT);
  EXPECT_EQ(observed, ZX_SIGNAL_NONE);
}

TEST(WaitOneTest, ObservedIsTheWholeSignalState) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  ASSERT_EQ(zx_object_signal(end1.get(), 0u, ZX_USER_SIGNAL_3), ZX_OK);
  ASSERT_EQ(zx_channel_write(end0.get(), 0u, "m", 1u, nullptr, 0u), ZX_OK);
  zx_signals_t observed = 0u;

  EXPECT_EQ(zx_object_wait_one(end1.get(), ZX_CHANNEL_READABLE, 0, &observed), ZX_OK);
  EXPECT_EQ(observed, ZX_CHANNEL_READABLE | ZX_CHANNEL_WRITABLE | ZX_USER_SIGNAL_3);
}

TEST(WaitOneTest, ObservedIsOptional) {
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, 0, nullptr), ZX_ERR_TIMED_OUT);
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, 0, nullptr), ZX_OK);
}

TEST(WaitOneTest, SignalFromAnotherThreadWakesTheWaiter) {
  OwnedHandle event = NewEvent();
  zx_status_t status = ZX_ERR_INTERNAL;
  zx_signals_t observed = 0u;
  std::thread waiter([&] {
    status = zx_object_wait_one(event.get(), ZX_USER_SIGNAL_2, GenerousDeadline(), &observed);
  });

  EXPECT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_2), ZX_OK);
  waiter.join();
  EXPECT_EQ(status, ZX_OK);
  EXPECT_EQ(observed & ZX_USER_SIGNAL_2, ZX_USER_SIGNAL_2);
}

TEST(WaitOneTest, ClosingTheHandleFromAnotherThreadCancelsTheWait) {
  EXPECT_TRUE(CloseHandleDuringWait([](zx_handle_t handle, zx_signals_t* observed) {
    return zx_object_wait_one(handle, ZX_USER_SIGNAL_0, GenerousDeadline(), observed);
  }));
}

TEST(WaitOneTest, ClosingADuplicateDoesNotDisturbTheWait) {
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get());
  zx_status_t status = ZX_ERR_INTERNAL;
  std::thread waiter([&] {
    status = zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, GenerousDeadline(), nullptr);
  });

  EXPECT_EQ(zx_object_signal(duplicate.get(), 0u, ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_EQ(zx_object_signal(duplicate.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(zx_handle_close(duplicate.release()), ZX_OK);
  waiter.join();
  EXPECT_EQ(status, ZX_OK);
}

TEST(WaitOneTest, BadHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    zx_signals_t observed = 0u;
    EXPECT_EQ(zx_object_wait_one(bad, ZX_USER_SIGNAL_0, 0, &observed), ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(WaitOneTest, HandleWithoutWaitRightReturnsAccessDenied) {
  OwnedHandle event = NewEvent();
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  OwnedHandle no_wait = Duplicate(event.get(), Without(RightsOf(event.get()), ZX_RIGHT_WAIT));
  zx_signals_t observed = 0u;

  EXPECT_EQ(zx_object_wait_one(no_wait.get(), ZX_USER_SIGNAL_0, 0, &observed),
            ZX_ERR_ACCESS_DENIED);
}

TEST(WaitOneTest, PeerClosedOfAChannelEndsTheWait) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  zx_status_t status = ZX_ERR_INTERNAL;
  zx_signals_t observed = 0u;
  std::thread waiter([&] {
    status = zx_object_wait_one(end0.get(), ZX_CHANNEL_PEER_CLOSED, GenerousDeadline(), &observed);
  });

  EXPECT_EQ(zx_handle_close(end1.release()), ZX_OK);
  waiter.join();
  EXPECT_EQ(status, ZX_OK);
  EXPECT_EQ(observed, ZX_CHANNEL_PEER_CLOSED);
}

// Three events with their wait items, waiting for ZX_USER_SIGNAL_0 on each.
struct ThreeEvents {
  ThreeEvents() {
    for (int i = 0; i < 3; ++i) {
      events[i] = NewEvent();
      items[i] = {events[i].get(), ZX_USER_SIGNAL_0, 0xdeadbeefu};
    }
  }
  OwnedHandle events[3];
  zx_wait_item_t items[3];
};

TEST(WaitManyTest, ReturnsWhenAnyItemIsSatisfiedAndFillsEveryPending) {
  ThreeEvents three;
  ASSERT_EQ(zx_object_signal(three.events[0].get(), 0u, ZX_USER_SIGNAL_1), ZX_OK);
  ASSERT_EQ(zx_object_signal(three.events[2].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(zx_object_wait_many(three.items, 3u, 0), ZX_OK);
  EXPECT_EQ(three.items[0].pending, ZX_USER_SIGNAL_1);
  EXPECT_EQ(three.items[1].pending, ZX_SIGNAL_NONE);
  EXPECT_EQ(three.items[2].pending, ZX_USER_SIGNAL_0);
}

TEST(WaitManyTest, NothingAssertedTimesOutAndStillFillsPending) {
  ThreeEvents three;
  ASSERT_EQ(zx_object_signal(three.events[1].get(), 0u, ZX_USER_SIGNAL_6), ZX_OK);

  EXPECT_EQ(zx_object_wait_many(three.items, 3u, 0), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(three.items[0].pending, ZX_SIGNAL_NONE);
  EXPECT_EQ(three.items[1].pending, ZX_USER_SIGNAL_6);
  EXPECT_EQ(three.items[2].pending, ZX_SIGNAL_NONE);
  EXPECT_EQ(zx_object_wait_many(three.items, 3u, zx_deadline_after(ZX_MSEC(1))), ZX_ERR_TIMED_OUT);
}

TEST(WaitManyTest, SixteenItemsAreAllowedSeventeenAreOutOfRange) {
  std::vector<OwnedHandle> events;
  std::vector<zx_wait_item_t> items;
  for (size_t i = 0; i < ZX_WAIT_MANY_MAX_ITEMS + 1u; ++i) {
    events.push_back(NewEvent());
    items.push_back({events.back().get(), ZX_USER_SIGNAL_0, 0u});
  }
  ASSERT_EQ(zx_object_signal(events[0].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(zx_object_wait_many(items.data(), ZX_WAIT_MANY_MAX_ITEMS, 0), ZX_OK);
  EXPECT_EQ(zx_object_wait_many(items.data(), ZX_WAIT_MANY_MAX_ITEMS + 1u, 0), ZX_ERR_OUT_OF_RANGE);
}

TEST(WaitManyTest, ZeroItemsSleepUntilTheDeadlineAndTimeOut) {
  EXPECT_EQ(zx_object_wait_many(nullptr, 0u, 0), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(zx_object_wait_many(nullptr, 0u, zx_deadline_after(ZX_MSEC(1))), ZX_ERR_TIMED_OUT);
}

TEST(WaitManyTest, NullItemsReturnInvalidArgs) {
  EXPECT_EQ(zx_object_wait_many(nullptr, 2u, 0), ZX_ERR_INVALID_ARGS);
}

TEST(WaitManyTest, ABadHandleInAnyItemReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    ThreeEvents three;
    ASSERT_EQ(zx_object_signal(three.events[0].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
    three.items[2].handle = bad;
    EXPECT_EQ(zx_object_wait_many(three.items, 3u, 0), ZX_ERR_BAD_HANDLE) << "handle " << bad;
  }
}

TEST(WaitManyTest, AnItemWithoutWaitRightReturnsAccessDenied) {
  ThreeEvents three;
  OwnedHandle no_wait =
      Duplicate(three.events[1].get(), Without(RightsOf(three.events[1].get()), ZX_RIGHT_WAIT));
  ASSERT_EQ(zx_object_signal(three.events[0].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  three.items[1].handle = no_wait.get();

  EXPECT_EQ(zx_object_wait_many(three.items, 3u, 0), ZX_ERR_ACCESS_DENIED);
}

TEST(WaitManyTest, SignalFromAnotherThreadWakesTheWaiter) {
  ThreeEvents three;
  zx_status_t status = ZX_ERR_INTERNAL;
  std::thread waiter([&] { status = zx_object_wait_many(three.items, 3u, GenerousDeadline()); });

  EXPECT_EQ(zx_object_signal(three.events[1].get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  waiter.join();
  EXPECT_EQ(status, ZX_OK);
  EXPECT_EQ(three.items[1].pending & ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0);
}

TEST(WaitManyTest, ClosingOneHandleFromAnotherThreadCancelsTheWait) {
  OwnedHandle other = NewEvent();
  EXPECT_TRUE(CloseHandleDuringWait([&other](zx_handle_t handle, zx_signals_t* observed) {
    zx_wait_item_t items[] = {{other.get(), ZX_USER_SIGNAL_0, 0u}, {handle, ZX_USER_SIGNAL_0, 0u}};
    zx_status_t status = zx_object_wait_many(items, 2u, GenerousDeadline());
    *observed = items[1].pending;
    return status;
  }));
}

}  // namespace
}  // namespace zircon_test
