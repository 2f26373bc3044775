// zx_object_get_info: ZX_INFO_HANDLE_VALID and ZX_INFO_HANDLE_BASIC (reference §1.5, §2.1).

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

TEST(ObjectInfoTest, HandleValidIsOkForALiveHandle) {
  OwnedHandle event = NewEvent();
  EXPECT_EQ(zx_object_get_info(event.get(), ZX_INFO_HANDLE_VALID, nullptr, 0u, nullptr, nullptr),
            ZX_OK);
}

TEST(ObjectInfoTest, HandleValidReportsBadHandleForClosedOrForgedValues) {
  for (zx_handle_t bad : BadHandles()) {
    EXPECT_EQ(zx_object_get_info(bad, ZX_INFO_HANDLE_VALID, nullptr, 0u, nullptr, nullptr),
              ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(ObjectInfoTest, HandleValidNeedsNoRights) {
  OwnedHandle powerless = Replace(NewEvent(), ZX_RIGHT_NONE);
  EXPECT_TRUE(IsValidHandle(powerless.get()));
}

TEST(ObjectInfoTest, BasicInfoOfSoloObjects) {
  struct Case {
    OwnedHandle handle;
    zx_obj_type_t type;
    zx_rights_t rights;
    zx_obj_props_t props;
  } cases[] = {
      {NewEvent(), ZX_OBJ_TYPE_EVENT, ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL, ZX_OBJ_PROP_WAITABLE},
      {NewPort(), ZX_OBJ_TYPE_PORT, Without(ZX_RIGHTS_BASIC, ZX_RIGHT_WAIT) | ZX_RIGHTS_IO,
       ZX_OBJ_PROP_NONE},
      {NewTimer(), ZX_OBJ_TYPE_TIMER, ZX_RIGHTS_BASIC | ZX_RIGHT_WRITE | ZX_RIGHT_SIGNAL,
       ZX_OBJ_PROP_WAITABLE},
  };
  for (const Case& c : cases) {
    zx_info_handle_basic_t info = BasicInfo(c.handle.get());
    EXPECT_EQ(info.type, c.type);
    EXPECT_EQ(info.rights, c.rights) << "type " << c.type;
    EXPECT_EQ(info.props, c.props) << "type " << c.type;
    EXPECT_EQ(info.related_koid, ZX_KOID_INVALID) << "type " << c.type;
    EXPECT_GT(info.koid, ZX_KOID_KERNEL) << "type " << c.type;
  }
}

TEST(ObjectInfoTest, EventPairPeersReportEachOtherAsRelated) {
  OwnedHandle end0, end1;
  NewEventPair(&end0, &end1);
  zx_info_handle_basic_t info0 = BasicInfo(end0.get());
  zx_info_handle_basic_t info1 = BasicInfo(end1.get());

  EXPECT_EQ(info0.type, ZX_OBJ_TYPE_EVENTPAIR);
  EXPECT_EQ(info0.rights, ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER);
  EXPECT_EQ(info0.props, ZX_OBJ_PROP_WAITABLE);
  EXPECT_NE(info0.koid, info1.koid);
  EXPECT_EQ(info0.related_koid, info1.koid);
  EXPECT_EQ(info1.related_koid, info0.koid);
}

TEST(ObjectInfoTest, ChannelPeersReportEachOtherAsRelated) {
  OwnedHandle end0, end1;
  NewChannel(&end0, &end1);
  zx_info_handle_basic_t info0 = BasicInfo(end0.get());
  zx_info_handle_basic_t info1 = BasicInfo(end1.get());

  EXPECT_EQ(info0.type, ZX_OBJ_TYPE_CHANNEL);
  EXPECT_EQ(info1.rights, Without(ZX_RIGHTS_BASIC, ZX_RIGHT_DUPLICATE) | ZX_RIGHTS_IO |
                              ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER);
  EXPECT_EQ(info1.props, ZX_OBJ_PROP_WAITABLE);
  EXPECT_NE(info0.koid, info1.koid);
  EXPECT_EQ(info0.related_koid, info1.koid);
  EXPECT_EQ(info1.related_koid, info0.koid);
}

TEST(ObjectInfoTest, KoidsAreUniqueAcrossObjects) {
  std::set<zx_koid_t> koids;
  std::vector<OwnedHandle> handles;
  for (int i = 0; i < 50; ++i) {
    OwnedHandle end0, end1;
    NewChannel(&end0, &end1);
    handles.push_back(NewEvent());
    handles.push_back(std::move(end0));
    handles.push_back(std::move(end1));
  }
  for (const OwnedHandle& handle : handles) {
    koids.insert(KoidOf(handle.get()));
  }
  EXPECT_EQ(koids.size(), handles.size());
  EXPECT_EQ(koids.count(ZX_KOID_INVALID), 0u);
}

TEST(ObjectInfoTest, DuplicatesShareTheKoidButNotTheRights) {
  OwnedHandle event = NewEvent();
  OwnedHandle duplicate = Duplicate(event.get(), ZX_RIGHT_WAIT);

  zx_info_handle_basic_t info = BasicInfo(duplicate.get());
  EXPECT_EQ(info.koid, KoidOf(event.get()));
  EXPECT_EQ(info.rights, ZX_RIGHT_WAIT);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_EVENT);
}

TEST(ObjectInfoTest, BasicInfoNeedsNoRights) {
  OwnedHandle event = NewEvent();
  zx_koid_t koid = KoidOf(event.get());
  OwnedHandle powerless = Replace(std::move(event), ZX_RIGHT_NONE);

  zx_info_handle_basic_t info = BasicInfo(powerless.get());
  EXPECT_EQ(info.koid, koid);
  EXPECT_EQ(info.rights, ZX_RIGHT_NONE);
}

TEST(ObjectInfoTest, BasicInfoReportsOneRecordActualAndAvailable) {
  OwnedHandle event = NewEvent();
  zx_info_handle_basic_t info = {};
  size_t actual = 0u;
  size_t avail = 0u;

  EXPECT_EQ(
      zx_object_get_info(event.get(), ZX_INFO_HANDLE_BASIC, &info, sizeof(info), &actual, &avail),
      ZX_OK);
  EXPECT_EQ(actual, 1u);
  EXPECT_EQ(avail, 1u);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_EVENT);
}

TEST(ObjectInfoTest, BasicInfoIntoSmallBufferReturnsBufferTooSmall) {
  OwnedHandle event = NewEvent();
  zx_info_handle_basic_t info = {};
  size_t actual = 99u;
  size_t avail = 99u;

  EXPECT_EQ(zx_object_get_info(event.get(), ZX_INFO_HANDLE_BASIC, &info, sizeof(info) - 1u, &actual,
                               &avail),
            ZX_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(actual, 0u);
  EXPECT_EQ(avail, 1u);
  EXPECT_EQ(zx_object_get_info(event.get(), ZX_INFO_HANDLE_BASIC, nullptr, 0u, nullptr, nullptr),
            ZX_ERR_BUFFER_TOO_SMALL);
}

TEST(ObjectInfoTest, BasicInfoOfBadHandleReturnsBadHandle) {
  for (zx_handle_t bad : BadHandles()) {
    zx_info_handle_basic_t info = {};
    EXPECT_EQ(zx_object_get_info(bad, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr),
              ZX_ERR_BAD_HANDLE)
        << "handle " << bad;
  }
}

TEST(ObjectInfoTest, UnknownTopicReturnsNotSupported) {
  OwnedHandle event = NewEvent();
  char buffer[256] = {};
  EXPECT_EQ(zx_object_get_info(event.get(), 0x7fffu, buffer, sizeof(buffer), nullptr, nullptr),
            ZX_ERR_NOT_SUPPORTED);
}

}  // namespace
}  // namespace zircon_test
