// The 2018 header paths, <lib/async-testutils/...>, and what 2018 code got through them: each
// name below is used without including its own header.
#include <lib/async-testutils/dispatcher_stub.h>
#include <lib/async-testutils/test_loop.h>
#include <lib/async-testutils/test_loop_dispatcher.h>
#include <lib/async-testutils/time-keeper.h>

#include <gtest/gtest.h>

namespace {

// A 2018-style fake dispatcher: overrides with the 2018 signatures.
struct PortRecordingStub : public async::DispatcherStub {
  zx_status_t SetGuestBellTrap(async_guest_bell_trap_t*, const zx::guest& guest, zx_vaddr_t,
                               size_t) override {
    guest_seen = guest.get();
    return ZX_OK;
  }
  zx_status_t ResumeFromException(async_exception_t*, uint32_t options) override {
    options_seen = options;
    return ZX_OK;
  }
  zx_handle_t guest_seen = ZX_HANDLE_INVALID;
  uint32_t options_seen = 0;
};

TEST(EraHeadersTest, TestLoopAndDispatcherAreReachable) {
  async::TestLoop loop;
  std::unique_ptr<async::LoopInterface> other = loop.StartNewLoop();
  async_task_t task = {};  // <lib/async/task.h>, through test_loop_dispatcher.h
  task.handler = [](async_dispatcher_t*, async_task_t*, zx_status_t) {};
  task.deadline = zx::time(0).get();
  EXPECT_EQ(async_post_task(other->dispatcher(), &task), ZX_OK);
  EXPECT_TRUE(loop.RunUntilIdle());

  list_node_t list = LIST_INITIAL_VALUE(list);  // <zircon/listnode.h>
  EXPECT_TRUE(list_is_empty(&list));
  zx::port port;  // <lib/zx/port.h>
  EXPECT_EQ(zx::port::create(0, &port), ZX_OK);
}

TEST(EraHeadersTest, TimeKeeperInterfacesAreReachable) {
  struct NullKeeper : public async::TimeKeeper {
    zx::time Now() const override { return zx::time(7); }
    void RegisterTimer(zx::time, async::TimerDispatcher*) override {}
    void CancelTimers(async::TimerDispatcher*) override {}
  } keeper;
  async::TestLoopDispatcher dispatcher(&keeper);
  EXPECT_EQ(dispatcher.Now(), zx::time(7));
}

TEST(EraHeadersTest, StubOverridesTakeTheEraSignatures) {
  PortRecordingStub stub;
  async_dispatcher_t* dispatcher = &stub;
  EXPECT_EQ(dispatcher->ops->v1.set_guest_bell_trap(dispatcher, nullptr, 5, 0, 0), ZX_OK);
  EXPECT_EQ(stub.guest_seen, 5u);
  EXPECT_EQ(dispatcher->ops->v2.resume_from_exception(dispatcher, nullptr, 9, 3), ZX_OK);
  EXPECT_EQ(stub.options_seen, 3u);
}

}  // namespace
