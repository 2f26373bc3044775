// async::TestLoop's seed: where it comes from, that it is printed, and that it alone fixes the
// interleaving of handlers across loops.
#include <lib/async-testing/test_loop.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/wait.h>
#include <lib/zx/event.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <stdlib.h>

namespace {

// Sets TEST_LOOP_RANDOM_SEED for the lifetime of the object.
class ScopedSeedVariable {
 public:
  explicit ScopedSeedVariable(const char* value) {
    EXPECT_EQ(setenv("TEST_LOOP_RANDOM_SEED", value, 1), 0);
  }
  ~ScopedSeedVariable() { EXPECT_EQ(unsetenv("TEST_LOOP_RANDOM_SEED"), 0); }
  ScopedSeedVariable(const ScopedSeedVariable&) = delete;
  ScopedSeedVariable& operator=(const ScopedSeedVariable&) = delete;
};

std::unique_ptr<async::TestLoop> LoopSeededFromEnvironment(uint32_t seed) {
  ScopedSeedVariable variable(std::to_string(seed).c_str());
  return std::make_unique<async::TestLoop>();
}

// The order in which two tasks and two waits on four loops run: order[i] is the rank of the
// i-th handler (1 to 4).
using Order = std::array<int, 4>;

Order DispatchOrder(async::TestLoop* loop) {
  auto loop_a = loop->StartNewLoop();
  auto loop_b = loop->StartNewLoop();
  auto loop_c = loop->StartNewLoop();
  zx::event event;
  EXPECT_EQ(zx::event::create(0, &event), ZX_OK);
  Order order = {};
  int rank = 0;
  auto record = [&](int i) {
    return [&order, &rank, i](async_dispatcher_t*, async::Wait*, zx_status_t,
                              const zx_packet_signal_t*) { order[i] = ++rank; };
  };
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0, record(0));
  async::Wait wait_b(event.get(), ZX_USER_SIGNAL_0, record(2));
  async::PostTask(loop_a->dispatcher(), [&] { order[1] = ++rank; });
  async::PostTask(loop_c->dispatcher(), [&] { order[3] = ++rank; });
  EXPECT_EQ(wait.Begin(loop->dispatcher()), ZX_OK);
  EXPECT_EQ(wait_b.Begin(loop_b->dispatcher()), ZX_OK);
  EXPECT_EQ(event.signal(0, ZX_USER_SIGNAL_0), ZX_OK);

  loop->RunUntilIdle();
  EXPECT_EQ(rank, 4);
  return order;
}

TEST(TestLoopSeedTest, ExplicitSeedIsTheInitialState) {
  async::TestLoop loop(42);
  EXPECT_EQ(loop.initial_state(), 42u);
}

TEST(TestLoopSeedTest, SeedComesFromTheEnvironment) {
  ScopedSeedVariable variable("893");
  async::TestLoop loop;
  EXPECT_EQ(loop.initial_state(), 893u);
  async::TestLoop zero_means_environment(0);
  EXPECT_EQ(zero_means_environment.initial_state(), 893u);
}

TEST(TestLoopSeedTest, RandomSeedIsNeverZero) {
  async::TestLoop loop;
  EXPECT_NE(loop.initial_state(), 0u);
}

TEST(TestLoopSeedTest, SeedIsPrintedAtConstruction) {
  testing::internal::CaptureStdout();
  { async::TestLoop loop(1323234373); }
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "\nTEST_LOOP_RANDOM_SEED=\"1323234373\"\n");
}

TEST(TestLoopSeedDeathTest, InvalidSeedInTheEnvironmentAborts) {
  for (const char* bad : {"", "0", "12abc", "-3", "4294967296"}) {
    ScopedSeedVariable variable(bad);
    EXPECT_DEATH({ async::TestLoop loop; }, "TEST_LOOP_RANDOM_SEED") << "seed \"" << bad << "\"";
  }
}

TEST(TestLoopSeedTest, DispatchOrderIsDeterministic) {
  for (uint32_t seed :
       {1u, 43u, 893u, 39408u, 844018u, 83018299u, 3213u, 139133113u, 1323234373u}) {
    const Order expected = DispatchOrder(LoopSeededFromEnvironment(seed).get());
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(DispatchOrder(LoopSeededFromEnvironment(seed).get()), expected) << seed;
      async::TestLoop seeded(seed);
      EXPECT_EQ(DispatchOrder(&seeded), expected) << seed;
    }
  }
}

TEST(TestLoopSeedTest, DifferentSeedsGiveDifferentOrders) {
  async::TestLoop first(1);
  const Order reference = DispatchOrder(&first);
  bool saw_another_order = false;
  for (uint32_t seed = 2; seed < 64 && !saw_another_order; ++seed) {
    async::TestLoop loop(seed);
    saw_another_order = DispatchOrder(&loop) != reference;
  }
  EXPECT_TRUE(saw_another_order);
}

}  // namespace
