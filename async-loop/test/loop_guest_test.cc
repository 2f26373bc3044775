// Guest bell traps on the loop with a real KVM guest: bells reach async::GuestBellTrap and
// async::GuestBellTrapMethod handlers, in order, and shutdown with traps set is clean. Every test
// skips where /dev/kvm is missing.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/trap.h>
#include <lib/zx/guest.h>
#include <lib/zx/resource.h>
#include <lib/zx/vmar.h>
#include <zircon/syscalls.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "zircon/test/guest_test_helpers.h"

namespace {

using zircon_test::GuestImage;
using zircon_test::kGuestDataBase;
using zircon_test::kGuestEntry;

constexpr size_t kTrapLength = 0x10000;

// A guest running `image`, built with zx::guest::create.
struct LoopGuest {
  zx::guest guest;
  zx_handle_t vcpu = ZX_HANDLE_INVALID;

  ~LoopGuest() {
    if (vcpu != ZX_HANDLE_INVALID) {
      zx_handle_close(vcpu);
    }
  }

  void Create(const GuestImage& image) {
    zx::vmar vmar;
    ASSERT_EQ(zx::guest::create(zx::resource(), 0, &guest, &vmar), ZX_OK);
    EXPECT_FALSE(vmar.is_valid());
    void* memory = nullptr;
    size_t size = 0;
    ASSERT_EQ(zx_linux_guest_memory(guest.get(), &memory, &size), ZX_OK);
    memcpy(static_cast<uint8_t*>(memory) + kGuestEntry, image.bytes().data(), image.bytes().size());
    ASSERT_EQ(zx_vcpu_create(guest.get(), 0, kGuestEntry, &vcpu), ZX_OK);
  }

  // Runs the guest to its HLT on the calling thread.
  void RunToHalt() const {
    zx_port_packet_t packet;
    EXPECT_EQ(zx_vcpu_resume(vcpu, &packet), ZX_ERR_STOP);
  }
};

// Records the bells a handler saw. Thread-safe.
class BellLog {
 public:
  void Add(zx_status_t status, zx_gpaddr_t addr) {
    std::lock_guard<std::mutex> lock(mutex_);
    statuses_.push_back(status);
    addrs_.push_back(addr);
    count_.fetch_add(1, std::memory_order_release);
  }
  size_t count() const { return count_.load(std::memory_order_acquire); }
  std::vector<zx_gpaddr_t> addrs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return addrs_;
  }
  std::vector<zx_status_t> statuses() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return statuses_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<zx_status_t> statuses_;
  std::vector<zx_gpaddr_t> addrs_;
  std::atomic<size_t> count_{0};
};

TEST(LoopGuestTest, BellsRunTheTrapHandlerOnTheLoop) {
  SKIP_WITHOUT_KVM();
  LoopGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(
      GuestImage().LoadDataSegment(0x1000).StoreAl(0x0).StoreAl(0x2000).StoreAl(0x10).Halt()));
  BellLog log;
  async_dispatcher_t* seen_dispatcher = nullptr;
  async::GuestBellTrap trap([&](async_dispatcher_t* dispatcher, async::GuestBellTrap*,
                                zx_status_t status, const zx_packet_guest_bell_t* bell) {
    seen_dispatcher = dispatcher;
    log.Add(status, bell->addr);
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(trap.SetTrap(loop.dispatcher(), guest.guest, kGuestDataBase, 0x1000), ZX_OK);
  guest.RunToHalt();
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(log.addrs(), (std::vector<zx_gpaddr_t>{kGuestDataBase, kGuestDataBase + 0x10}));
  EXPECT_EQ(log.statuses(), (std::vector<zx_status_t>{ZX_OK, ZX_OK}));
  EXPECT_EQ(seen_dispatcher, loop.dispatcher());
}

class Device {
 public:
  void OnBell(async_dispatcher_t*, async::GuestBellTrapBase*, zx_status_t status,
              const zx_packet_guest_bell_t* bell) {
    log.Add(status, bell->addr);
  }
  BellLog log;
};

TEST(LoopGuestTest, BellsCallTheTrapMethod) {
  SKIP_WITHOUT_KVM();
  LoopGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(5).Halt()));
  Device device;
  async::GuestBellTrapMethod<Device, &Device::OnBell> trap(&device);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(trap.SetTrap(loop.dispatcher(), guest.guest, kGuestDataBase, kTrapLength), ZX_OK);
  guest.RunToHalt();
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  std::vector<zx_gpaddr_t> want;
  for (zx_gpaddr_t i = 0; i < 5; ++i) {
    want.push_back(kGuestDataBase + i);
  }
  EXPECT_EQ(device.log.addrs(), want);
}

TEST(LoopGuestTest, ManyBellsFromARunningGuestArriveInOrderOnALoopThread) {
  SKIP_WITHOUT_KVM();
  constexpr uint32_t kBells = 20000;
  LoopGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(kBells).Halt()));
  std::atomic<uint32_t> out_of_order{0};
  std::atomic<uint32_t> received{0};
  async::GuestBellTrap trap([&](async_dispatcher_t*, async::GuestBellTrap*, zx_status_t status,
                                const zx_packet_guest_bell_t* bell) {
    const uint32_t index = received.load(std::memory_order_relaxed);
    if (status != ZX_OK || bell->addr != kGuestDataBase + (index & 0xFFFF)) {
      out_of_order.fetch_add(1, std::memory_order_relaxed);
    }
    received.store(index + 1, std::memory_order_release);
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(trap.SetTrap(loop.dispatcher(), guest.guest, kGuestDataBase, kTrapLength), ZX_OK);
  ASSERT_EQ(loop.StartThread("bells"), ZX_OK);
  guest.RunToHalt();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (received.load(std::memory_order_acquire) < kBells &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  loop.Shutdown();
  EXPECT_EQ(received.load(), kBells);
  EXPECT_EQ(out_of_order.load(), 0u);
}

TEST(LoopGuestTest, ShutdownWithTrapsSetRunsNoHandlerAndDestroyFreesTheVcpu) {
  SKIP_WITHOUT_KVM();
  LoopGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(1000).Halt()));
  BellLog log;
  async::GuestBellTrap trap(
      [&](async_dispatcher_t*, async::GuestBellTrap*, zx_status_t status,
          const zx_packet_guest_bell_t* bell) { log.Add(status, bell->addr); });
  async::GuestBellTrap late_trap;
  std::optional<async::Loop> loop(std::in_place, &kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(trap.SetTrap(loop->dispatcher(), guest.guest, kGuestDataBase, kTrapLength), ZX_OK);
  // 1000 bells and nobody taking them: the vCPU fills the trap's 256 packets and waits.
  std::atomic<bool> halted{false};
  std::thread vcpu_thread([&] {
    guest.RunToHalt();
    halted.store(true);
  });
  loop->Shutdown();
  EXPECT_EQ(late_trap.SetTrap(loop->dispatcher(), guest.guest, 0x100000, 0x1000), ZX_ERR_BAD_STATE);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(halted.load());  // a shut-down loop still holds its port and the queued bells
  // Destroying the loop closes its port: queued bells go, later ones are dropped, the guest runs.
  loop.reset();
  vcpu_thread.join();
  EXPECT_TRUE(halted.load());
  EXPECT_EQ(log.count(), 0u);  // no trap handler ran
}

}  // namespace
