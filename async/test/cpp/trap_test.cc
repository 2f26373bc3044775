// async::GuestBellTrap and async::GuestBellTrapMethod through FakeDispatcher, whose recorded
// trap the test calls as a dispatcher would, and a loop's answer for a handle that is not a
// guest. Bells from a real KVM guest to a loop: async-loop/test/loop_guest_test.cc.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/trap.h>
#include <lib/zx/channel.h>
#include <lib/zx/guest.h>

#include <gtest/gtest.h>

#include "async/test/cpp/fake_dispatcher.h"

namespace async_cpp_test {
namespace {

constexpr zx_vaddr_t kTrapAddr = 0x10000;
constexpr size_t kTrapLength = 0x1000;

// What a trap handler was called with.
struct Bell {
  int count = 0;
  async::GuestBellTrapBase* trap = nullptr;
  zx_status_t status = ZX_ERR_INTERNAL;
  zx_gpaddr_t addr = 0;
};

void Record(Bell* bell, async::GuestBellTrapBase* trap, zx_status_t status,
            const zx_packet_guest_bell_t* packet) {
  *bell = {bell->count + 1, trap, status, packet != nullptr ? packet->addr : 0u};
}

// Calls the trap recorded by `dispatcher` as a dispatcher would for a guest write at `addr`.
void RingBell(FakeDispatcher* dispatcher, zx_gpaddr_t addr) {
  zx_packet_guest_bell_t packet = {};
  packet.addr = addr;
  dispatcher->trap->handler(dispatcher, dispatcher->trap, ZX_OK, &packet);
}

TEST(GuestBellTrapTest, SetTrapOnNonGuestHandleReturnsWrongTypeThroughLoop) {
  // A channel end has ZX_RIGHT_WRITE, which a bell trap needs, so only its type is wrong.
  zx::channel channel;
  zx::channel peer;
  ASSERT_EQ(zx::channel::create(0u, &channel, &peer), ZX_OK);
  Bell bell;
  async::GuestBellTrap trap(
      [&bell](async_dispatcher_t*, async::GuestBellTrap* self, zx_status_t status,
              const zx_packet_guest_bell_t* packet) { Record(&bell, self, status, packet); });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(
      trap.SetTrap(loop.dispatcher(), *zx::unowned_guest(channel.get()), kTrapAddr, kTrapLength),
      ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(bell.count, 0);
}

TEST(GuestBellTrapTest, SetTrapForwardsGuestRangeAndHandlerGetsBells) {
  FakeDispatcher dispatcher;
  Bell bell;
  async::GuestBellTrap trap;
  EXPECT_FALSE(trap.has_handler());
  trap.set_handler(
      [&bell](async_dispatcher_t*, async::GuestBellTrap* self, zx_status_t status,
              const zx_packet_guest_bell_t* packet) { Record(&bell, self, status, packet); });
  EXPECT_TRUE(trap.has_handler());

  ASSERT_EQ(trap.SetTrap(&dispatcher, *zx::unowned_guest(42), kTrapAddr, kTrapLength), ZX_OK);
  EXPECT_EQ(dispatcher.guest, 42u);
  EXPECT_EQ(dispatcher.addr, kTrapAddr);
  EXPECT_EQ(dispatcher.length, kTrapLength);

  RingBell(&dispatcher, kTrapAddr + 8);
  RingBell(&dispatcher, kTrapAddr + 16);
  EXPECT_EQ(bell.count, 2);
  EXPECT_EQ(bell.trap, &trap);
  EXPECT_EQ(bell.status, ZX_OK);
  EXPECT_EQ(bell.addr, kTrapAddr + 16);
}

TEST(GuestBellTrapTest, SetTrapReturnsDispatcherError) {
  FakeDispatcher dispatcher;
  dispatcher.status = ZX_ERR_NOT_SUPPORTED;
  async::GuestBellTrap trap;

  EXPECT_EQ(trap.SetTrap(&dispatcher, *zx::unowned_guest(42), kTrapAddr, kTrapLength),
            ZX_ERR_NOT_SUPPORTED);
}

class Handlers {
 public:
  void OnBell(async_dispatcher_t* dispatcher, async::GuestBellTrapBase* trap, zx_status_t status,
              const zx_packet_guest_bell_t* packet) {
    (void)dispatcher;
    Record(&bell, trap, status, packet);
  }
  Bell bell;
};

TEST(GuestBellTrapMethodTest, CallsMethodForEachBell) {
  FakeDispatcher dispatcher;
  Handlers handlers;
  async::GuestBellTrapMethod<Handlers, &Handlers::OnBell> trap(&handlers);
  ASSERT_EQ(trap.SetTrap(&dispatcher, *zx::unowned_guest(42), kTrapAddr, kTrapLength), ZX_OK);

  RingBell(&dispatcher, kTrapAddr);
  EXPECT_EQ(handlers.bell.count, 1);
  EXPECT_EQ(handlers.bell.trap, &trap);
  EXPECT_EQ(handlers.bell.status, ZX_OK);
  EXPECT_EQ(handlers.bell.addr, kTrapAddr);
}

}  // namespace
}  // namespace async_cpp_test
