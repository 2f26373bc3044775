// Handles and rights (reference §2.1): close, close_many, duplicate, replace, value reuse.

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr zx_rights_t kEventRights = ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL;

TEST(HandleTest, CloseInvalidatesTheHandle) {
  OwnedHandle event = NewEvent();
  zx_handle_t value = event.release();
  ASSERT_TRUE(IsValidHandle(value));

  EXPECT_EQ(zx_handle_close(value), ZX_OK);
  EXPECT_FALSE(IsValidHandle(value));
  EXPECT_EQ(zx_handle_close(value), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_object_signal(value, 0u, ZX_USER_SIGNAL_0), ZX_ERR_BAD_HANDLE);
}

TEST(HandleTest, ClosingTheInvalidHandleIsOk) {
  EXPECT_EQ(zx_handle_close(ZX_HANDLE_INVALID), ZX_OK);
}

TEST(HandleTest, ClosingStaleOrForgedHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    if (bad != ZX_HANDLE_INVALID) {
      EXPECT_EQ(zx_handle_close(bad), ZX_ERR_BAD_HANDLE) << "handle " << bad;
    }
  }
}

TEST(HandleTest, CloseManyClosesEveryHandleAndSkipsInvalidOnes) {
  zx_handle_t handles[] = {NewEvent().release(), ZX_HANDLE_INVALID, NewPort().release()};

  EXPECT_EQ(zx_handle_close_many(handles, 3u), ZX_OK);
  EXPECT_FALSE(IsValidHandle(handles[0]));
  EXPECT_FALSE(IsValidHandle(handles[2]));
}

TEST(HandleTest, CloseManyWithABadHandleStillClosesTheOthers) {
  zx_handle_t handles[] = {NewEvent().release(), StaleHandle(), NewEvent().release()};

  EXPECT_EQ(zx_handle_close_many(handles, 3u), ZX_ERR_BAD_HANDLE);
  EXPECT_FALSE(IsValidHandle(handles[0]));
  EXPECT_FALSE(IsValidHandle(handles[2]));
}

TEST(HandleTest, CloseManyOfNothingIsOk) { EXPECT_EQ(zx_handle_close_many(nullptr, 0u), ZX_OK); }

TEST(HandleTest, DuplicateWithSameRightsNamesTheSameObject) {
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate;
  ASSERT_EQ(
      zx_handle_duplicate(event.get(), ZX_RIGHT_SAME_RIGHTS, duplicate.reset_and_get_address()),
      ZX_OK);

  EXPECT_NE(duplicate.get(), event.get());
  EXPECT_EQ(RightsOf(duplicate.get()), kEventRights);
  EXPECT_EQ(KoidOf(duplicate.get()), KoidOf(event.get()));
  EXPECT_TRUE(IsValidHandle(event.get()));

  ASSERT_EQ(zx_object_signal(duplicate.get(), 0u, ZX_USER_SIGNAL_2), ZX_OK);
  EXPECT_EQ(SignalsOf(event.get()), ZX_USER_SIGNAL_2);
}

TEST(HandleTest, DuplicateWithSubsetCarriesExactlyThoseRights) {
  OwnedHandle event = NewEvent();
  constexpr zx_rights_t kSubset = ZX_RIGHT_DUPLICATE | ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT;
  OwnedHandle duplicate;
  ASSERT_EQ(zx_handle_duplicate(event.get(), kSubset, duplicate.reset_and_get_address()), ZX_OK);

  EXPECT_EQ(RightsOf(duplicate.get()), kSubset);
  EXPECT_EQ(RightsOf(event.get()), kEventRights);
  EXPECT_EQ(zx_object_signal(duplicate.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
}

TEST(HandleTest, DuplicateWithSupersetReturnsInvalidArgs) {
  OwnedHandle event = NewEvent();
  zx_handle_t out = ZX_HANDLE_INVALID;

  EXPECT_EQ(zx_handle_duplicate(event.get(), kEventRights | ZX_RIGHT_WRITE, &out),
            ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(out, ZX_HANDLE_INVALID);
  EXPECT_TRUE(IsValidHandle(event.get()));
}

TEST(HandleTest, DuplicateWithoutDuplicateRightReturnsAccessDenied) {
  OwnedHandle event = NewEvent();
  OwnedHandle restricted = Duplicate(event.get(), Without(kEventRights, ZX_RIGHT_DUPLICATE));
  zx_handle_t out = ZX_HANDLE_INVALID;

  EXPECT_EQ(zx_handle_duplicate(restricted.get(), ZX_RIGHT_SAME_RIGHTS, &out),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_handle_duplicate(restricted.get(), ZX_RIGHT_WAIT, &out), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(out, ZX_HANDLE_INVALID);
}

TEST(HandleTest, ChannelHandlesCannotBeDuplicated) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  zx_handle_t out = ZX_HANDLE_INVALID;

  EXPECT_EQ(zx_handle_duplicate(end0.get(), ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(out, ZX_HANDLE_INVALID);
}

TEST(HandleTest, DuplicateBadHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_EQ(zx_handle_duplicate(bad, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(HandleTest, DuplicateWithNullOutReturnsInvalidArgs) {
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_handle_duplicate(event.get(), ZX_RIGHT_SAME_RIGHTS, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(HandleTest, ReplaceInvalidatesTheOriginalAndKeepsTheObject) {
  OwnedHandle event = NewEvent();
  zx_koid_t koid = KoidOf(event.get());
  zx_handle_t original = event.release();
  OwnedHandle replacement;

  ASSERT_EQ(zx_handle_replace(original, ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT,
                              replacement.reset_and_get_address()),
            ZX_OK);
  EXPECT_FALSE(IsValidHandle(original));
  EXPECT_EQ(KoidOf(replacement.get()), koid);
  EXPECT_EQ(RightsOf(replacement.get()), ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT);
}

TEST(HandleTest, ReplaceWithSameRightsKeepsRights) {
  OwnedHandle event = NewEvent();
  OwnedHandle replacement = Replace(std::move(event), ZX_RIGHT_SAME_RIGHTS);
  EXPECT_EQ(RightsOf(replacement.get()), kEventRights);
}

TEST(HandleTest, FailedReplaceStillInvalidatesTheOriginal) {
  OwnedHandle event = NewEvent();
  zx_handle_t original = event.release();
  zx_handle_t out = ZX_HANDLE_INVALID;

  EXPECT_EQ(zx_handle_replace(original, kEventRights | ZX_RIGHT_READ, &out), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(out, ZX_HANDLE_INVALID);
  EXPECT_FALSE(IsValidHandle(original));
}

TEST(HandleTest, ReplaceNeedsNoRights) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  OwnedHandle powerless = Replace(std::move(end0), ZX_RIGHT_NONE);
  ASSERT_TRUE(powerless.is_valid());
  EXPECT_EQ(RightsOf(powerless.get()), ZX_RIGHT_NONE);

  OwnedHandle again = Replace(std::move(powerless), ZX_RIGHT_NONE);
  EXPECT_TRUE(again.is_valid());
}

TEST(HandleTest, HandleWithNoRightsCanOnlyBeClosedReplacedOrInspected) {
  OwnedHandle powerless = Replace(NewEvent(), ZX_RIGHT_NONE);
  zx_handle_t out = ZX_HANDLE_INVALID;

  EXPECT_EQ(zx_object_wait_one(powerless.get(), ZX_USER_SIGNAL_0, 0, nullptr),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_object_signal(powerless.get(), 0u, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_handle_duplicate(powerless.get(), ZX_RIGHT_NONE, &out), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(BasicInfo(powerless.get()).type, ZX_OBJ_TYPE_EVENT);
  EXPECT_EQ(zx_handle_close(powerless.release()), ZX_OK);
}

TEST(HandleTest, ReplaceBadHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_EQ(zx_handle_replace(bad, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(HandleTest, ClosedHandleValueIsNotReusedByTheNextObjects) {
  zx_handle_t closed = StaleHandle();
  std::vector<OwnedHandle> events;
  for (int i = 0; i < 1000; ++i) {
    events.push_back(NewEvent());
    ASSERT_NE(events.back().get(), closed) << "after " << i << " creations";
  }
}

TEST(HandleTest, ValuesOfABatchOfClosedHandlesAreNotReusedByTheNextBatch) {
  std::set<zx_handle_t> closed;
  for (int i = 0; i < 200; ++i) {
    closed.insert(StaleHandle());
  }
  ASSERT_EQ(closed.size(), 200u);

  std::vector<OwnedHandle> events;
  for (int i = 0; i < 200; ++i) {
    events.push_back(NewEvent());
    EXPECT_EQ(closed.count(events.back().get()), 0u) << "value " << events.back().get();
  }
}

TEST(HandleTest, LiveHandleValuesAreDistinctAndNeverInvalid) {
  std::set<zx_handle_t> values;
  std::vector<OwnedHandle> handles;
  for (int i = 0; i < 100; ++i) {
    handles.push_back(NewEvent());
    EXPECT_NE(handles.back().get(), ZX_HANDLE_INVALID);
    values.insert(handles.back().get());
  }
  EXPECT_EQ(values.size(), handles.size());
}

TEST(HandleTest, ObjectLivesUntilItsLastHandleCloses) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  OwnedHandle duplicate = Duplicate(end0.get());

  EXPECT_EQ(zx_handle_close(end0.release()), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()) & ZX_EVENTPAIR_PEER_CLOSED, 0u);

  EXPECT_EQ(zx_handle_close(duplicate.release()), ZX_OK);
  EXPECT_EQ(SignalsOf(end1.get()) & ZX_EVENTPAIR_PEER_CLOSED, ZX_EVENTPAIR_PEER_CLOSED);
}

}  // namespace
}  // namespace zircon_test
