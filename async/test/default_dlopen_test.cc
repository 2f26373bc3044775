// One default-dispatcher slot per thread per process when the probe libraries A and B, which
// each carry a copy of async-default, are opened with dlopen(RTLD_LOCAL), so that neither sees
// the other's symbols. The program links async-default but never calls it: the target's link
// options still put a copy into the program and export it, and both libraries bind to that copy.

#include <thread>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include "async/test/default_probe.h"

namespace {

using async_test::GetDefaultFn;
using async_test::Library;
using async_test::ObjectContaining;
using async_test::SetDefaultFn;

// Both probe libraries, opened with RTLD_LOCAL for each test and closed after it.
class DefaultDispatcherDlopenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(a_.is_open()) << ASYNC_DEFAULT_PROBE_A_PATH;
    ASSERT_TRUE(b_.is_open()) << ASYNC_DEFAULT_PROBE_B_PATH;
    a_set_ = a_.Find<SetDefaultFn>("AsyncDefaultProbeASet");
    a_get_ = a_.Find<GetDefaultFn>("AsyncDefaultProbeAGet");
    b_set_ = b_.Find<SetDefaultFn>("AsyncDefaultProbeBSet");
    b_get_ = b_.Find<GetDefaultFn>("AsyncDefaultProbeBGet");
    ASSERT_TRUE(a_set_ != nullptr && a_get_ != nullptr && b_set_ != nullptr && b_get_ != nullptr);
  }
  void TearDown() override {
    if (a_set_ != nullptr) {
      a_set_(nullptr);
    }
  }

  Library a_ = Library::Open(ASYNC_DEFAULT_PROBE_A_PATH, RTLD_NOW | RTLD_LOCAL);
  Library b_ = Library::Open(ASYNC_DEFAULT_PROBE_B_PATH, RTLD_NOW | RTLD_LOCAL);
  SetDefaultFn* a_set_ = nullptr;
  GetDefaultFn* a_get_ = nullptr;
  SetDefaultFn* b_set_ = nullptr;
  GetDefaultFn* b_get_ = nullptr;
  async_dispatcher_t first_{};
  async_dispatcher_t second_{};
};

// Any function of this file: it lives in the program.
void InTheProgram() {}

TEST_F(DefaultDispatcherDlopenTest, TheProgramCarriesAndExportsItsOwnCopy) {
  const char* program = ObjectContaining(reinterpret_cast<const void*>(&InTheProgram));
  ASSERT_STRNE(program, "");

  EXPECT_STREQ(ObjectContaining(dlsym(RTLD_DEFAULT, "async_get_default_dispatcher")), program);
  EXPECT_STREQ(ObjectContaining(dlsym(RTLD_DEFAULT, "async_set_default_dispatcher")), program);
}

TEST_F(DefaultDispatcherDlopenTest, SetInOneLibraryIsSeenInTheOther) {
  a_set_(&first_);
  EXPECT_EQ(b_get_(), &first_);

  b_set_(&second_);
  EXPECT_EQ(a_get_(), &second_);
}

TEST_F(DefaultDispatcherDlopenTest, OtherThreadsSeeNull) {
  a_set_(&first_);

  async_dispatcher_t* seen_by_a = &first_;
  async_dispatcher_t* seen_by_b = &first_;
  async_dispatcher_t* set_by_b_seen_by_a = nullptr;
  std::thread other([&] {
    seen_by_a = a_get_();
    seen_by_b = b_get_();
    b_set_(&second_);
    set_by_b_seen_by_a = a_get_();
  });
  other.join();

  EXPECT_EQ(seen_by_a, nullptr);
  EXPECT_EQ(seen_by_b, nullptr);
  EXPECT_EQ(set_by_b_seen_by_a, &second_);
  EXPECT_EQ(b_get_(), &first_);
}

}  // namespace
