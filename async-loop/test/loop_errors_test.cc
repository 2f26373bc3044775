// Where Fuchsia's 2018 loop aborts or corrupts its lists on a caller's mistake, this loop returns
// a status instead (docs/compatibility.md, "Errors instead of aborts").
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <zircon/syscalls.h>

#include <gtest/gtest.h>

#include "async-loop/test/test_helpers.h"

namespace async_loop_test {
namespace {

TEST(LoopErrorsTest, PostingATaskThatIsAlreadyPendingReturnsAlreadyExists) {
  TestTask task(FarFuture());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(task.Post(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(task.Post(loop.dispatcher()), ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(task.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(task.run_count, 0);
}

TEST(LoopErrorsTest, BeginningAWaitThatIsAlreadyPendingReturnsAlreadyExists) {
  zx::event event = MakeEvent();
  TestWait wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(wait.Begin(loop.dispatcher()), ZX_ERR_ALREADY_EXISTS);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(wait.run_count, 1);  // delivered once, not twice
}

TEST(LoopErrorsTest, NullOperationsReturnInvalidArgs) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  async_dispatcher_t* dispatcher = loop.dispatcher();
  EXPECT_EQ(async_post_task(dispatcher, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(async_cancel_task(dispatcher, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(async_begin_wait(dispatcher, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(async_cancel_wait(dispatcher, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(async_queue_packet(dispatcher, nullptr, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(async_bind_exception_port(dispatcher, nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(async_unbind_exception_port(dispatcher, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(LoopErrorsTest, WaitingOnABadOrClosedHandleReturnsBadHandle) {
  zx_handle_t closed;
  ASSERT_EQ(zx_event_create(0u, &closed), ZX_OK);
  ASSERT_EQ(zx_handle_close(closed), ZX_OK);
  TestWait on_closed(closed, ZX_USER_SIGNAL_0);
  TestWait on_forged(0x7fffffffu, ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  EXPECT_EQ(on_closed.Begin(loop.dispatcher()), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(on_forged.Begin(loop.dispatcher()), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(on_closed.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
}

TEST(LoopErrorsTest, CancellingAWaitWhoseHandleWasClosedReturnsBadHandleAndShutdownCancelsIt) {
  zx_handle_t event;
  ASSERT_EQ(zx_event_create(0u, &event), ZX_OK);
  TestWait wait(event, ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(zx_handle_close(event), ZX_OK);
  EXPECT_EQ(wait.Cancel(loop.dispatcher()), ZX_ERR_BAD_HANDLE);
  loop.Shutdown();
  EXPECT_EQ(wait.run_count, 1);
  EXPECT_EQ(wait.last_status, ZX_ERR_CANCELED);
}

TEST(LoopErrorsTest, ForgedOperationStatesAreNotTrusted) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  TestTask pending(FarFuture());
  ASSERT_EQ(pending.Post(loop.dispatcher()), ZX_OK);
  // Claims to be pending at every place a real operation could be recorded.
  for (uintptr_t location = 0; location < 4; ++location) {
    TestTask forged(FarFuture());
    forged.state.reserved[0] = location;
    forged.state.reserved[1] = 0;
    EXPECT_EQ(forged.Cancel(loop.dispatcher()), ZX_ERR_NOT_FOUND);
  }
  EXPECT_EQ(pending.Cancel(loop.dispatcher()), ZX_OK);
}

}  // namespace
}  // namespace async_loop_test
