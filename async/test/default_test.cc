// The calling thread's default dispatcher: async_get_default_dispatcher() and
// async_set_default_dispatcher().

#include <lib/async/default.h>

#include <thread>

#include <gtest/gtest.h>

namespace {

// Clears this thread's slot when a test ends, pass or fail.
class DefaultDispatcherTest : public ::testing::Test {
 protected:
  void TearDown() override { async_set_default_dispatcher(nullptr); }

  async_dispatcher_t first_{};
  async_dispatcher_t second_{};
};

// Runs `body` on a new thread and waits for it.
template <typename Body>
void OnNewThread(Body body) {
  std::thread thread(body);
  thread.join();
}

TEST_F(DefaultDispatcherTest, IsNullOnANewThread) {
  async_dispatcher_t* seen = &first_;
  OnNewThread([&] { seen = async_get_default_dispatcher(); });
  EXPECT_EQ(seen, nullptr);
}

TEST_F(DefaultDispatcherTest, GetReturnsWhatSetStored) {
  async_set_default_dispatcher(&first_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);

  async_set_default_dispatcher(&second_);
  EXPECT_EQ(async_get_default_dispatcher(), &second_);
}

TEST_F(DefaultDispatcherTest, SettingNullClearsIt) {
  async_set_default_dispatcher(&first_);
  async_set_default_dispatcher(nullptr);
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

TEST_F(DefaultDispatcherTest, EachThreadHasItsOwn) {
  async_set_default_dispatcher(&first_);

  async_dispatcher_t* seen_before_set = &first_;
  async_dispatcher_t* seen_after_set = nullptr;
  OnNewThread([&] {
    seen_before_set = async_get_default_dispatcher();
    async_set_default_dispatcher(&second_);
    seen_after_set = async_get_default_dispatcher();
  });

  EXPECT_EQ(seen_before_set, nullptr);
  EXPECT_EQ(seen_after_set, &second_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);
}

}  // namespace
