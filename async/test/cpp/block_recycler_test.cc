// async::internal::BlockRecycler, the block cache behind async::PostTask. Each test uses its own
// block size, hence its own instantiation, caches and depot.

#include "async/src/cpp/block_recycler.h"

#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "async/test/cpp/allocation_counter.h"

namespace async_cpp_test {
namespace {

using async::internal::BlockRecycler;
constexpr size_t kBatch = async::internal::kRecyclerBatchSize;
constexpr size_t kMaxDepotBlocks = async::internal::kRecyclerMaxDepotBatches * kBatch;

template <typename Recycler>
std::vector<void*> AllocateBlocks(size_t count) {
  std::vector<void*> blocks;
  blocks.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    blocks.push_back(Recycler::Allocate());
  }
  return blocks;
}

template <typename Recycler>
void FreeBlocks(const std::vector<void*>& blocks) {
  for (void* block : blocks) {
    Recycler::Free(block);
  }
}

TEST(BlockRecyclerTest, FreedBlockIsReusedByNextAllocate) {
  using Recycler = BlockRecycler<40>;
  void* first = Recycler::Allocate();
  Recycler::Free(first);

  uint64_t before = AllocationsOnThisThread();
  void* second = Recycler::Allocate();
  EXPECT_EQ(AllocationsOnThisThread() - before, 0u);
  EXPECT_EQ(second, first);
  Recycler::Free(second);
}

TEST(BlockRecyclerTest, ThreadKeepsTwoBatchesAndDepotTheRest) {
  using Recycler = BlockRecycler<48>;
  constexpr size_t kBlocks = 5 * kBatch + 3;
  std::vector<void*> blocks = AllocateBlocks<Recycler>(kBlocks);
  FreeBlocks<Recycler>(blocks);
  // Every block came back (the slabs' spare blocks too), and the thread keeps two batches.
  EXPECT_LE(Recycler::ThreadBlockCountForTest(), 2 * kBatch);
  EXPECT_GE(Recycler::ThreadBlockCountForTest() + Recycler::DepotBlockCountForTest(), kBlocks);

  std::vector<void*> again;
  again.reserve(kBlocks);
  uint64_t before = AllocationsOnThisThread();
  for (size_t i = 0; i < kBlocks; ++i) {
    again.push_back(Recycler::Allocate());
  }
  EXPECT_EQ(AllocationsOnThisThread() - before, 0u);
  FreeBlocks<Recycler>(again);
}

// A cold burst allocates one slab per 2 * kBatch - 1 blocks, not one allocation per block.
TEST(BlockRecyclerTest, AColdBurstAllocatesOncePerSlab) {
  using Recycler = BlockRecycler<64>;
  Recycler::Free(Recycler::Allocate());  // registers this thread's exit hook, which allocates
  constexpr size_t kBlocks = 100'000;
  uint64_t before = AllocationsOnThisThread();
  std::vector<void*> blocks;
  blocks.reserve(kBlocks);
  const uint64_t reserve_allocations = AllocationsOnThisThread() - before;
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(Recycler::Allocate());
  }
  const uint64_t allocations = AllocationsOnThisThread() - before - reserve_allocations;
  EXPECT_LE(allocations, kBlocks / (2 * kBatch - 1) + 1);
  EXPECT_GE(allocations, 1u);
  FreeBlocks<Recycler>(blocks);
}

TEST(BlockRecyclerTest, BlocksFreedOnAnotherThreadComeBackWithoutAllocating) {
  using Recycler = BlockRecycler<56>;
  Recycler::Free(Recycler::Allocate());  // registers this thread's exit hook, which allocates
  std::vector<void*> blocks = AllocateBlocks<Recycler>(4 * kBatch);

  std::thread freeing_thread([&blocks] { FreeBlocks<Recycler>(blocks); });
  freeing_thread.join();  // its exit hands its magazines to the depot
  EXPECT_EQ(Recycler::DepotBlockCountForTest(), 4 * kBatch);

  std::vector<void*> again;
  again.reserve(blocks.size());
  uint64_t before = AllocationsOnThisThread();
  for (size_t i = 0; i < blocks.size(); ++i) {
    again.push_back(Recycler::Allocate());
  }
  EXPECT_EQ(AllocationsOnThisThread() - before, 0u);
  FreeBlocks<Recycler>(again);
}

TEST(BlockRecyclerTest, DepotIsBoundedAndOverflowIsFreed) {
  using Recycler = BlockRecycler<72>;
  constexpr size_t kBlocks = kMaxDepotBlocks + 4 * kBatch;
  std::vector<void*> blocks = AllocateBlocks<Recycler>(kBlocks);

  std::thread freeing_thread([&blocks] {
    FreeBlocks<Recycler>(blocks);
    EXPECT_EQ(Recycler::ThreadBlockCountForTest(), 2 * kBatch);
  });
  freeing_thread.join();
  // The rest went back to operator delete; LeakSanitizer checks that none was lost.
  EXPECT_EQ(Recycler::DepotBlockCountForTest(), kMaxDepotBlocks);
}

TEST(BlockRecyclerTest, ExitedThreadBypassesItsCache) {
  using Recycler = BlockRecycler<80>;
  struct FreesAtThreadExit {
    ~FreesAtThreadExit() { Recycler::Free(Recycler::Allocate()); }
  };
  size_t cached_at_exit = 0;
  std::thread thread([&cached_at_exit] {
    thread_local FreesAtThreadExit frees_at_exit;  // constructed first, so destroyed last...
    (void)&frees_at_exit;
    Recycler::Free(Recycler::Allocate());  // ...after the recycler's exit hook, registered here
    cached_at_exit = Recycler::ThreadBlockCountForTest();
  });
  thread.join();
  // The blocks cached while active went to the depot; the late Allocate() did not take one back
  // (it would have, through a cache still in use) but came from a slab of its own.
  EXPECT_GE(cached_at_exit, 1u);
  EXPECT_EQ(Recycler::DepotBlockCountForTest(), cached_at_exit);
}

TEST(BlockRecyclerDeathTest, UseOfCachedBlockIsReportedByAddressSanitizer) {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  using Recycler = BlockRecycler<88>;
  EXPECT_DEATH(
      {
        auto* block = static_cast<volatile char*>(Recycler::Allocate());
        Recycler::Free(const_cast<char*>(block));
        block[16] = 1;
      },
      "use-after-poison");
  return;
#endif
#endif
  GTEST_SKIP() << "needs AddressSanitizer";
}

}  // namespace
}  // namespace async_cpp_test
