// async::DispatcherStub: its defaults, and that the C operations reach the overrides.
#include <lib/async-testing/dispatcher_stub.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/trap.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>

#include <gtest/gtest.h>

namespace {

TEST(DispatcherStubTest, TableIsVersionTwo) {
  async::DispatcherStub stub;
  ASSERT_NE(stub.ops, nullptr);
  EXPECT_EQ(stub.ops->version, ASYNC_OPS_V2);
  EXPECT_EQ(stub.ops->reserved, 0u);
}

TEST(DispatcherStubTest, DefaultsAreNotSupportedAndTimeZero) {
  async::DispatcherStub stub;
  async_dispatcher_t* dispatcher = &stub;
  async_wait_t wait = {};
  async_task_t task = {};
  async_receiver_t receiver = {};
  async_guest_bell_trap_t trap = {};
  async_exception_t exception = {};

  EXPECT_EQ(async_now(dispatcher), 0);
  EXPECT_EQ(async_begin_wait(dispatcher, &wait), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_cancel_wait(dispatcher, &wait), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_post_task(dispatcher, &task), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_cancel_task(dispatcher, &task), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_queue_packet(dispatcher, &receiver, nullptr), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_set_guest_bell_trap(dispatcher, &trap, ZX_HANDLE_INVALID, 0, 0),
            ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_bind_exception_port(dispatcher, &exception), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_unbind_exception_port(dispatcher, &exception), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(async_resume_from_exception(dispatcher, &exception, ZX_HANDLE_INVALID, 0),
            ZX_ERR_NOT_SUPPORTED);
}

// Overrides every operation with the exact signature (`override` checks it) and records what
// each received.
struct RecordingStub : public async::DispatcherStub {
  zx::time Now() override { return zx::time(1234); }
  zx_status_t BeginWait(async_wait_t* wait) override { return Record(wait, 1); }
  zx_status_t CancelWait(async_wait_t* wait) override { return Record(wait, 2); }
  zx_status_t PostTask(async_task_t* task) override { return Record(task, 3); }
  zx_status_t CancelTask(async_task_t* task) override { return Record(task, 4); }
  zx_status_t QueuePacket(async_receiver_t* receiver, const zx_packet_user_t* data) override {
    packet = data;
    return Record(receiver, 5);
  }
  zx_status_t SetGuestBellTrap(async_guest_bell_trap_t* trap, const zx::guest& guest,
                               zx_vaddr_t addr, size_t length) override {
    guest_handle = guest.get();
    trap_addr = addr;
    trap_length = length;
    return Record(trap, 6);
  }
  zx_status_t BindExceptionPort(async_exception_t* exception) override {
    return Record(exception, 7);
  }
  zx_status_t UnbindExceptionPort(async_exception_t* exception) override {
    return Record(exception, 8);
  }
  zx_status_t ResumeFromException(async_exception_t* exception, uint32_t options) override {
    resume_options = options;
    return Record(exception, 9);
  }

  zx_status_t Record(const void* operation, int which) {
    last_operation = operation;
    last_call = which;
    return ZX_OK;
  }

  const void* last_operation = nullptr;
  int last_call = 0;
  const zx_packet_user_t* packet = nullptr;
  zx_handle_t guest_handle = ZX_HANDLE_INVALID;
  zx_vaddr_t trap_addr = 0;
  size_t trap_length = 0;
  uint32_t resume_options = 0;
};

TEST(DispatcherStubTest, OperationsReachOverrides) {
  RecordingStub stub;
  async_dispatcher_t* dispatcher = &stub;
  async_wait_t wait = {};
  async_task_t task = {};
  async_receiver_t receiver = {};
  async_exception_t exception = {};
  const zx_packet_user_t data = {};

  EXPECT_EQ(async_now(dispatcher), 1234);
  EXPECT_EQ(async_begin_wait(dispatcher, &wait), ZX_OK);
  EXPECT_EQ(stub.last_call, 1);
  EXPECT_EQ(stub.last_operation, &wait);
  EXPECT_EQ(async_cancel_wait(dispatcher, &wait), ZX_OK);
  EXPECT_EQ(stub.last_call, 2);
  EXPECT_EQ(async_post_task(dispatcher, &task), ZX_OK);
  EXPECT_EQ(stub.last_call, 3);
  EXPECT_EQ(stub.last_operation, &task);
  EXPECT_EQ(async_cancel_task(dispatcher, &task), ZX_OK);
  EXPECT_EQ(stub.last_call, 4);
  EXPECT_EQ(async_queue_packet(dispatcher, &receiver, &data), ZX_OK);
  EXPECT_EQ(stub.last_call, 5);
  EXPECT_EQ(stub.last_operation, &receiver);
  EXPECT_EQ(stub.packet, &data);
  EXPECT_EQ(async_bind_exception_port(dispatcher, &exception), ZX_OK);
  EXPECT_EQ(stub.last_call, 7);
  EXPECT_EQ(async_unbind_exception_port(dispatcher, &exception), ZX_OK);
  EXPECT_EQ(stub.last_call, 8);
  EXPECT_EQ(async_resume_from_exception(dispatcher, &exception, ZX_HANDLE_INVALID, 42u), ZX_OK);
  EXPECT_EQ(stub.last_call, 9);
  EXPECT_EQ(stub.resume_options, 42u);
}

TEST(DispatcherStubTest, BellTrapBorrowsTheGuestHandle) {
  RecordingStub stub;
  async_guest_bell_trap_t trap = {};
  // Any live handle shows whether the stub closed it; the stub never looks at the object.
  zx::event stand_in;
  ASSERT_EQ(zx::event::create(0, &stand_in), ZX_OK);

  EXPECT_EQ(async_set_guest_bell_trap(&stub, &trap, stand_in.get(), 0x1000, 0x2000), ZX_OK);
  EXPECT_EQ(stub.last_call, 6);
  EXPECT_EQ(stub.last_operation, &trap);
  EXPECT_EQ(stub.guest_handle, stand_in.get());
  EXPECT_EQ(stub.trap_addr, 0x1000u);
  EXPECT_EQ(stub.trap_length, 0x2000u);
  EXPECT_EQ(stand_in.signal(0, ZX_USER_SIGNAL_0), ZX_OK);  // still open
}

}  // namespace
