// One default-dispatcher slot per thread per process, although the process holds three copies of
// async-default: this program's, and one in each of the probe libraries A and B (see
// default_probe.h), which this program links. The program's copy comes first and wins.
// default_shared_no_copy_test.cc covers a program without a copy, default_dlopen_test.cc one that
// opens the libraries with dlopen(RTLD_LOCAL).

#include <lib/async/default.h>

#include <thread>

#include <gtest/gtest.h>

#include "async/test/default_probe.h"

namespace {

using async_test::GetDefaultFn;
using async_test::Library;
using async_test::SetDefaultFn;

// Clears this thread's slot when a test ends, pass or fail.
class DefaultDispatcherSharedTest : public ::testing::Test {
 protected:
  void TearDown() override { async_set_default_dispatcher(nullptr); }

  async_dispatcher_t first_{};
  async_dispatcher_t second_{};
};

TEST_F(DefaultDispatcherSharedTest, EveryLibraryCarriesItsOwnCopy) {
  Library a = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeAGet));
  Library b = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeBGet));
  ASSERT_TRUE(a.is_open());
  ASSERT_TRUE(b.is_open());

  GetDefaultFn* a_get = a.Find<GetDefaultFn>("async_get_default_dispatcher");
  GetDefaultFn* b_get = b.Find<GetDefaultFn>("async_get_default_dispatcher");
  ASSERT_NE(a_get, nullptr);
  ASSERT_NE(b_get, nullptr);
  EXPECT_NE(a_get, b_get);
  EXPECT_NE(a_get, &async_get_default_dispatcher);
  EXPECT_NE(b_get, &async_get_default_dispatcher);
}

TEST_F(DefaultDispatcherSharedTest, SetInOneLibraryIsSeenInTheOtherAndTheProgram) {
  AsyncDefaultProbeASet(&first_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &first_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);

  async_set_default_dispatcher(&second_);
  EXPECT_EQ(AsyncDefaultProbeAGet(), &second_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &second_);

  AsyncDefaultProbeBSet(nullptr);
  EXPECT_EQ(AsyncDefaultProbeAGet(), nullptr);
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

// Each library's own functions, called directly rather than through the dynamic linker's
// binding, still use the one slot, because the slot itself is interposed too.
TEST_F(DefaultDispatcherSharedTest, EachCopyCalledDirectlyUsesTheSameSlot) {
  Library a = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeAGet));
  Library b = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeBGet));
  SetDefaultFn* a_set = a.Find<SetDefaultFn>("async_set_default_dispatcher");
  GetDefaultFn* b_get = b.Find<GetDefaultFn>("async_get_default_dispatcher");
  ASSERT_NE(a_set, nullptr);
  ASSERT_NE(b_get, nullptr);

  a_set(&first_);
  EXPECT_EQ(b_get(), &first_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);

  async_set_default_dispatcher(&second_);
  EXPECT_EQ(b_get(), &second_);
}

TEST_F(DefaultDispatcherSharedTest, OtherThreadsSeeNullInEveryCopy) {
  AsyncDefaultProbeASet(&first_);

  async_dispatcher_t* seen_by_a = &first_;
  async_dispatcher_t* seen_by_b = &first_;
  async_dispatcher_t* seen_by_program = &first_;
  async_dispatcher_t* set_by_b_seen_by_a = nullptr;
  std::thread other([&] {
    seen_by_a = AsyncDefaultProbeAGet();
    seen_by_b = AsyncDefaultProbeBGet();
    seen_by_program = async_get_default_dispatcher();
    AsyncDefaultProbeBSet(&second_);
    set_by_b_seen_by_a = AsyncDefaultProbeAGet();
  });
  other.join();

  EXPECT_EQ(seen_by_a, nullptr);
  EXPECT_EQ(seen_by_b, nullptr);
  EXPECT_EQ(seen_by_program, nullptr);
  EXPECT_EQ(set_by_b_seen_by_a, &second_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &first_);
}

}  // namespace
