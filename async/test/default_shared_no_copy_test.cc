// One default-dispatcher slot per thread per process when the program itself has no copy of
// async-default and only the probe libraries A and B (linked in that order) each have one: the
// dynamic linker binds both to the first library loaded, even B, which was linked with
// -Bsymbolic. This program must therefore never call
// async_get_default_dispatcher() or async_set_default_dispatcher() itself.

#include <thread>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include "async/test/default_probe.h"

namespace {

using async_test::ObjectContaining;

class DefaultDispatcherNoCopyTest : public ::testing::Test {
 protected:
  void TearDown() override { AsyncDefaultProbeASet(nullptr); }

  async_dispatcher_t first_{};
  async_dispatcher_t second_{};
};

TEST_F(DefaultDispatcherNoCopyTest, TheFirstLibraryLoadedProvidesTheFunctions) {
  const char* library_a = ObjectContaining(reinterpret_cast<const void*>(&AsyncDefaultProbeAGet));
  ASSERT_STRNE(library_a, "");

  EXPECT_STREQ(ObjectContaining(dlsym(RTLD_DEFAULT, "async_get_default_dispatcher")), library_a);
  EXPECT_STREQ(ObjectContaining(dlsym(RTLD_DEFAULT, "async_set_default_dispatcher")), library_a);
}

TEST_F(DefaultDispatcherNoCopyTest, SetInOneLibraryIsSeenInTheOther) {
  AsyncDefaultProbeASet(&first_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &first_);

  AsyncDefaultProbeBSet(&second_);
  EXPECT_EQ(AsyncDefaultProbeAGet(), &second_);

  AsyncDefaultProbeASet(nullptr);
  EXPECT_EQ(AsyncDefaultProbeBGet(), nullptr);
}

TEST_F(DefaultDispatcherNoCopyTest, OtherThreadsSeeNull) {
  AsyncDefaultProbeASet(&first_);

  async_dispatcher_t* seen_by_a = &first_;
  async_dispatcher_t* seen_by_b = &first_;
  async_dispatcher_t* set_by_a_seen_by_b = nullptr;
  std::thread other([&] {
    seen_by_a = AsyncDefaultProbeAGet();
    seen_by_b = AsyncDefaultProbeBGet();
    AsyncDefaultProbeASet(&second_);
    set_by_a_seen_by_b = AsyncDefaultProbeBGet();
  });
  other.join();

  EXPECT_EQ(seen_by_a, nullptr);
  EXPECT_EQ(seen_by_b, nullptr);
  EXPECT_EQ(set_by_a_seen_by_b, &second_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &first_);
}

}  // namespace
