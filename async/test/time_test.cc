// <lib/async/cpp/time.h>: async::Now() reads the dispatcher's clock as a zx::time.

#include <lib/async/cpp/time.h>

#include <gtest/gtest.h>

namespace {

constexpr zx_time_t kDispatcherTime = ZX_SEC(42);

zx_time_t FixedNow(async_dispatcher_t*) { return kDispatcherTime; }

TEST(AsyncNowTest, ReturnsTheDispatchersTimeAsZxTime) {
  async_ops_t ops{};
  ops.version = ASYNC_OPS_V1;
  ops.v1.now = FixedNow;
  async_dispatcher_t dispatcher = {&ops};

  zx::time now = async::Now(&dispatcher);
  EXPECT_EQ(now, zx::time(kDispatcherTime));
  EXPECT_EQ(now.get(), async_now(&dispatcher));
}

}  // namespace
