// Receivers, guest bell traps and exception ports on the loop. Guests and tasks (processes,
// threads) do not exist yet, so the trap and exception tests cover the error paths only.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/trap.h>
#include <lib/zx/event.h>
#include <lib/zx/timer.h>
#include <zircon/syscalls.h>

#include <vector>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace {

using async_loop_test::MakeEvent;
using async_loop_test::Payload;
using async_loop_test::SamePayload;
using async_loop_test::TestReceiver;

TEST(LoopReceiverTest, PacketIsDeliveredWithItsData) {
  const zx_packet_user_t data = Payload(11, 12, 13, 14);
  async_dispatcher_t* seen_dispatcher = nullptr;
  TestReceiver receiver([&](async_dispatcher_t* dispatcher, zx_status_t, const zx_packet_user_t*) {
    seen_dispatcher = dispatcher;
  });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(receiver.Queue(loop.dispatcher(), &data), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  std::vector<TestReceiver::Delivery> deliveries = receiver.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].status, ZX_OK);
  EXPECT_FALSE(deliveries[0].data_was_null);
  EXPECT_TRUE(SamePayload(deliveries[0].data, data));
  EXPECT_EQ(seen_dispatcher, loop.dispatcher());
}

TEST(LoopReceiverTest, NullDataIsDeliveredAsZeros) {
  TestReceiver receiver;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(receiver.Queue(loop.dispatcher(), nullptr), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  std::vector<TestReceiver::Delivery> deliveries = receiver.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].status, ZX_OK);
  EXPECT_FALSE(deliveries[0].data_was_null);
  EXPECT_TRUE(SamePayload(deliveries[0].data, zx_packet_user_t{}));
}

TEST(LoopReceiverTest, DataIsCopiedWhenQueued) {
  zx_packet_user_t data = Payload(1, 2, 3, 4);
  TestReceiver receiver;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(receiver.Queue(loop.dispatcher(), &data), ZX_OK);
  data = Payload(9, 9, 9, 9);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(receiver.delivery_count(), 1u);
  EXPECT_TRUE(SamePayload(receiver.deliveries()[0].data, Payload(1, 2, 3, 4)));
}

TEST(LoopReceiverTest, PacketsAreDeliveredInQueueOrder) {
  std::vector<uint64_t> order;
  auto record = [&](async_dispatcher_t*, zx_status_t, const zx_packet_user_t* data) {
    order.push_back(data->u64[0]);
  };
  TestReceiver first(record);
  TestReceiver second(record);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (uint64_t i = 1; i <= 6; i++) {
    zx_packet_user_t data = Payload(i);
    ASSERT_EQ((i % 2 == 0 ? second : first).Queue(loop.dispatcher(), &data), ZX_OK);
  }

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(order, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(first.delivery_count(), 3u);
  EXPECT_EQ(second.delivery_count(), 3u);
}

TEST(LoopReceiverTest, PacketQueuedByAHandlerIsDeliveredWithinRunUntilIdle) {
  TestReceiver receiver;
  receiver.callback = [&](async_dispatcher_t* dispatcher, zx_status_t,
                          const zx_packet_user_t* data) {
    if (data->u64[0] < 3) {
      zx_packet_user_t next = Payload(data->u64[0] + 1);
      EXPECT_EQ(receiver.Queue(dispatcher, &next), ZX_OK);
    }
  };
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  zx_packet_user_t data = Payload(1);
  ASSERT_EQ(receiver.Queue(loop.dispatcher(), &data), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(receiver.delivery_count(), 3u);
}

TEST(LoopReceiverTest, QueueAfterShutdownReturnsBadState) {
  TestReceiver receiver;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();

  zx_packet_user_t data = Payload(1);
  EXPECT_EQ(receiver.Queue(loop.dispatcher(), &data), ZX_ERR_BAD_STATE);
  EXPECT_EQ(receiver.Queue(loop.dispatcher(), nullptr), ZX_ERR_BAD_STATE);
  EXPECT_EQ(receiver.delivery_count(), 0u);
}

TEST(LoopReceiverTest, UndeliveredPacketsAreDroppedSilentlyAtShutdown) {
  TestReceiver receiver;
  {
    async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
    ASSERT_EQ(receiver.Queue(loop.dispatcher()), ZX_OK);
    ASSERT_EQ(receiver.Queue(loop.dispatcher()), ZX_OK);
    loop.Shutdown();
    EXPECT_EQ(receiver.delivery_count(), 0u);
  }
  EXPECT_EQ(receiver.delivery_count(), 0u);
}

void NeverCalledTrap(async_dispatcher_t*, async_guest_bell_trap_t*, zx_status_t,
                     const zx_packet_guest_bell_t*) {
  ADD_FAILURE() << "bell trap handler called";
}

TEST(LoopTrapTest, TrapOnAnObjectThatIsNotAGuestReturnsWrongType) {
  zx::timer timer;  // a timer has ZX_RIGHT_WRITE, which the trap needs before the type is checked
  ASSERT_EQ(zx::timer::create(0u, ZX_CLOCK_MONOTONIC, &timer), ZX_OK);
  async_guest_bell_trap_t trap{};
  trap.handler = &NeverCalledTrap;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(async_set_guest_bell_trap(loop.dispatcher(), &trap, timer.get(), 0x1000u, 0x1000u),
            ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
}

TEST(LoopTrapTest, TrapWithoutWriteRightReturnsAccessDenied) {
  zx::event event = MakeEvent();  // events carry no ZX_RIGHT_WRITE
  async_guest_bell_trap_t trap{};
  trap.handler = &NeverCalledTrap;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(async_set_guest_bell_trap(loop.dispatcher(), &trap, event.get(), 0x1000u, 0x1000u),
            ZX_ERR_ACCESS_DENIED);
}

TEST(LoopTrapTest, TrapAfterShutdownReturnsBadState) {
  zx::timer timer;
  ASSERT_EQ(zx::timer::create(0u, ZX_CLOCK_MONOTONIC, &timer), ZX_OK);
  async_guest_bell_trap_t trap{};
  trap.handler = &NeverCalledTrap;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();

  EXPECT_EQ(async_set_guest_bell_trap(loop.dispatcher(), &trap, timer.get(), 0x1000u, 0x1000u),
            ZX_ERR_BAD_STATE);
}

// An exception binding that must never be delivered.
struct TestException : async_exception_t {
  explicit TestException(zx_handle_t bound_task) : async_exception_t{} {
    handler = &TestException::Handle;
    task = bound_task;
    options = 0u;
  }

  static void Handle(async_dispatcher_t*, async_exception_t*, zx_status_t status,
                     const zx_port_packet_t*) {
    ADD_FAILURE() << "exception handler called with status " << status;
  }
};

TEST(LoopExceptionTest, BindingAnObjectThatIsNotATaskReturnsWrongType) {
  zx::event event = MakeEvent();
  TestException exception(event.get());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(async_bind_exception_port(loop.dispatcher(), &exception), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(async_unbind_exception_port(loop.dispatcher(), &exception), ZX_ERR_NOT_FOUND);
  loop.Shutdown();  // nothing was bound, so nothing is cancelled
}

TEST(LoopExceptionTest, BindingABadHandleReturnsBadHandle) {
  TestException exception(ZX_HANDLE_INVALID);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(async_bind_exception_port(loop.dispatcher(), &exception), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(async_unbind_exception_port(loop.dispatcher(), &exception), ZX_ERR_NOT_FOUND);
}

TEST(LoopExceptionTest, UnbindingWhatWasNeverBoundReturnsNotFound) {
  zx::event event = MakeEvent();
  TestException exception(event.get());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(async_unbind_exception_port(loop.dispatcher(), &exception), ZX_ERR_NOT_FOUND);
}

TEST(LoopExceptionTest, ResumingAnObjectThatIsNotAThreadReturnsWrongType) {
  zx::event event = MakeEvent();
  TestException exception(event.get());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(async_resume_from_exception(loop.dispatcher(), &exception, event.get(), 0u),
            ZX_ERR_WRONG_TYPE);
}

TEST(LoopExceptionTest, AfterShutdownBindAndResumeReturnBadStateAndUnbindNotFound) {
  zx::event event = MakeEvent();
  TestException exception(event.get());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();

  EXPECT_EQ(async_bind_exception_port(loop.dispatcher(), &exception), ZX_ERR_BAD_STATE);
  EXPECT_EQ(async_resume_from_exception(loop.dispatcher(), &exception, event.get(), 0u),
            ZX_ERR_BAD_STATE);
  EXPECT_EQ(async_unbind_exception_port(loop.dispatcher(), &exception), ZX_ERR_NOT_FOUND);
}

}  // namespace
