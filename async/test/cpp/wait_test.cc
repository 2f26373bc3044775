// async::Wait, async::WaitMethod and async::WaitOnce, against a real loop and FakeDispatcher.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/wait.h>
#include <lib/zx/event.h>
#include <zircon/assert.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "async/test/cpp/fake_dispatcher.h"
#include "async/test/cpp/test_helpers.h"

namespace async_cpp_test {
namespace {

// What a wait handler was called with.
struct Call {
  int count = 0;
  async_dispatcher_t* dispatcher = nullptr;
  async::WaitBase* wait = nullptr;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool has_signal = false;
  zx_signals_t observed = 0;
  bool pending = true;
};

void Record(Call* call, async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
            const zx_packet_signal_t* signal) {
  *call = {call->count + 1,
           dispatcher,
           wait,
           status,
           signal != nullptr,
           signal != nullptr ? signal->observed : 0,
           wait->is_pending()};
}

async::Wait::Handler Recorder(Call* call) {
  return
      [call](async_dispatcher_t* dispatcher, async::Wait* wait, zx_status_t status,
             const zx_packet_signal_t* signal) { Record(call, dispatcher, wait, status, signal); };
}

TEST(WaitTest, HandlerGetsSignalAndSeesWaitNoLongerPending) {
  zx::event event = MakeEvent();
  Call call;
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0, Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  EXPECT_TRUE(wait.is_pending());
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(call.count, 0);

  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(call.count, 1);
  EXPECT_EQ(call.dispatcher, loop.dispatcher());
  EXPECT_EQ(call.wait, &wait);
  EXPECT_EQ(call.status, ZX_OK);
  EXPECT_TRUE(call.has_signal);
  EXPECT_EQ(call.observed & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
  EXPECT_FALSE(call.pending);
  EXPECT_FALSE(wait.is_pending());
}

TEST(WaitTest, AccessorsSetTheRecordBegun) {
  FakeDispatcher dispatcher;
  async::Wait wait;
  EXPECT_EQ(wait.object(), ZX_HANDLE_INVALID);
  EXPECT_EQ(wait.trigger(), ZX_SIGNAL_NONE);
  EXPECT_FALSE(wait.has_handler());

  wait.set_object(7);
  wait.set_trigger(ZX_USER_SIGNAL_2);
  ASSERT_EQ(wait.Begin(&dispatcher), ZX_OK);
  EXPECT_EQ(wait.object(), 7u);
  EXPECT_EQ(wait.trigger(), ZX_USER_SIGNAL_2);
  EXPECT_EQ(dispatcher.wait->object, 7u);
  EXPECT_EQ(dispatcher.wait->trigger, ZX_USER_SIGNAL_2);
  EXPECT_EQ(wait.Cancel(), ZX_OK);
}

TEST(WaitTest, BeginWhilePendingReturnsAlreadyExistsWithoutAskingDispatcher) {
  FakeDispatcher dispatcher;
  async::Wait wait(1, ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait.Begin(&dispatcher), ZX_OK);

  EXPECT_EQ(wait.Begin(&dispatcher), ZX_ERR_ALREADY_EXISTS);
  EXPECT_TRUE(wait.is_pending());
  EXPECT_EQ(wait.Cancel(), ZX_OK);
  EXPECT_EQ(wait.Cancel(), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(dispatcher.calls, (std::vector<std::string>{"begin_wait", "cancel_wait"}));
}

TEST(WaitTest, FailedBeginLeavesWaitIdle) {
  FakeDispatcher dispatcher;
  dispatcher.status = ZX_ERR_ACCESS_DENIED;
  async::Wait wait(1, ZX_USER_SIGNAL_0);

  EXPECT_EQ(wait.Begin(&dispatcher), ZX_ERR_ACCESS_DENIED);
  EXPECT_FALSE(wait.is_pending());
  EXPECT_EQ(wait.Cancel(), ZX_ERR_NOT_FOUND);
}

TEST(WaitTest, CancelStopsPendingWait) {
  zx::event event = MakeEvent();
  Call call;
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0, Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  EXPECT_EQ(wait.Cancel(), ZX_OK);
  EXPECT_FALSE(wait.is_pending());
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(call.count, 0);
}

TEST(WaitTest, DestructorCancelsPendingWait) {
  zx::event event = MakeEvent();
  Call call;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  {
    async::Wait wait(event.get(), ZX_USER_SIGNAL_0, Recorder(&call));
    ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  }
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  loop.Shutdown();  // a wait still pending would now be called with ZX_ERR_CANCELED
  EXPECT_EQ(call.count, 0);
}

TEST(WaitTest, ShutdownCallsHandlerWithCanceledAndNoSignal) {
  zx::event event = MakeEvent();
  Call call;
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0, Recorder(&call));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(call.count, 1);
  EXPECT_EQ(call.status, ZX_ERR_CANCELED);
  EXPECT_FALSE(call.has_signal);
  EXPECT_FALSE(wait.is_pending());
}

TEST(WaitTest, HandlerCanBeginItsWaitAgain) {
  zx::event event = MakeEvent();
  int runs = 0;
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0,
                   [&runs](async_dispatcher_t* dispatcher, async::Wait* self, zx_status_t status,
                           const zx_packet_signal_t*) {
                     ASSERT_EQ(status, ZX_OK);
                     if (++runs < 3) {
                       EXPECT_EQ(self->Begin(dispatcher), ZX_OK);  // the signal is still set
                     }
                   });
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(runs, 3);
  EXPECT_FALSE(wait.is_pending());
}

TEST(WaitTest, HandlerCanDestroyItsWait) {
  zx::event event = MakeEvent();
  bool handler_destroyed = false;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  auto* wait = new async::Wait(event.get(), ZX_USER_SIGNAL_0,
                               [flag = DestructionFlag(&handler_destroyed)](
                                   async_dispatcher_t*, async::Wait* self, zx_status_t,
                                   const zx_packet_signal_t*) { delete self; });
  ASSERT_EQ(wait->Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_TRUE(handler_destroyed);  // and AddressSanitizer saw no use after free
}

TEST(WaitTest, SetHandlerReplacesHandler) {
  zx::event event = MakeEvent();
  Call first;
  Call second;
  async::Wait wait(event.get(), ZX_USER_SIGNAL_0, Recorder(&first));
  EXPECT_TRUE(wait.has_handler());
  wait.set_handler(Recorder(&second));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(first.count, 0);
  EXPECT_EQ(second.count, 1);
}

TEST(WaitDeathTest, DestroyingPendingWaitAbortsIfDispatcherCannotCancel) {
  EXPECT_DEATH(
      {
        FakeDispatcher dispatcher;
        async::Wait wait(1, ZX_USER_SIGNAL_0);
        ZX_ASSERT(wait.Begin(&dispatcher) == ZX_OK);
        dispatcher.status = ZX_ERR_NOT_FOUND;
      },
      "cancel failed");
}

class Handlers {
 public:
  void OnSignal(async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
                const zx_packet_signal_t* signal) {
    Record(&call, dispatcher, wait, status, signal);
  }
  Call call;
};

TEST(WaitMethodTest, CallsMethodWithSignalThenCanceled) {
  zx::event event = MakeEvent();
  Handlers handlers;
  async::WaitMethod<Handlers, &Handlers::OnSignal> wait(&handlers, event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(handlers.call.count, 1);
  EXPECT_EQ(handlers.call.wait, &wait);
  EXPECT_EQ(handlers.call.status, ZX_OK);
  EXPECT_TRUE(handlers.call.has_signal);

  wait.set_trigger(ZX_USER_SIGNAL_1);
  ASSERT_EQ(wait.Begin(loop.dispatcher()), ZX_OK);
  loop.Shutdown();
  EXPECT_EQ(handlers.call.count, 2);
  EXPECT_EQ(handlers.call.status, ZX_ERR_CANCELED);
  EXPECT_FALSE(wait.is_pending());
}

// A WaitOnce handler that counts its calls and reports its own destruction.
async::WaitOnce::Handler OnceRecorder(int* calls, zx_status_t* status, bool* destroyed) {
  return [calls, status, flag = DestructionFlag(destroyed)](
             async_dispatcher_t*, async::WaitOnce*, zx_status_t s, const zx_packet_signal_t*) {
    ++*calls;
    *status = s;
  };
}

TEST(WaitOnceTest, HandlerIsCalledOnceThenDestroyed) {
  zx::event event = MakeEvent();
  int calls = 0;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool destroyed = false;
  async::WaitOnce wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher(), OnceRecorder(&calls, &status, &destroyed)), ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status, ZX_OK);
  EXPECT_TRUE(destroyed);
  EXPECT_FALSE(wait.is_pending());

  bool second_destroyed = false;
  ASSERT_EQ(wait.Begin(loop.dispatcher(), OnceRecorder(&calls, &status, &second_destroyed)), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);  // the signal is still set
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(second_destroyed);
}

TEST(WaitOnceTest, HandlerCanDestroyItsWaitAndKeepUsingItsCaptures) {
  zx::event event = MakeEvent();
  int after_delete = 0;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  auto* wait = new async::WaitOnce(event.get(), ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait->Begin(loop.dispatcher(),
                        [counter = &after_delete](async_dispatcher_t*, async::WaitOnce* self,
                                                  zx_status_t, const zx_packet_signal_t*) {
                          delete self;
                          ++*counter;  // the handler no longer lives in `self`
                        }),
            ZX_OK);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);

  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(after_delete, 1);  // and AddressSanitizer saw no use after free
}

TEST(WaitOnceTest, BeginWhilePendingKeepsFirstHandler) {
  FakeDispatcher dispatcher;
  int first_calls = 0;
  int second_calls = 0;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool first_destroyed = false;
  bool second_destroyed = false;
  async::WaitOnce wait(1, ZX_USER_SIGNAL_0);
  ASSERT_EQ(wait.Begin(&dispatcher, OnceRecorder(&first_calls, &status, &first_destroyed)), ZX_OK);

  EXPECT_EQ(wait.Begin(&dispatcher, OnceRecorder(&second_calls, &status, &second_destroyed)),
            ZX_ERR_ALREADY_EXISTS);
  EXPECT_TRUE(second_destroyed);
  EXPECT_EQ(dispatcher.calls, std::vector<std::string>{"begin_wait"});

  zx_packet_signal_t signal = {ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0, 1, 0, 0};
  dispatcher.wait->handler(&dispatcher, dispatcher.wait, ZX_OK, &signal);
  EXPECT_EQ(first_calls, 1);
  EXPECT_EQ(second_calls, 0);
  EXPECT_TRUE(first_destroyed);
  EXPECT_FALSE(wait.is_pending());
}

TEST(WaitOnceTest, FailedBeginDestroysHandler) {
  FakeDispatcher dispatcher;
  dispatcher.status = ZX_ERR_BAD_STATE;
  int calls = 0;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool destroyed = false;
  async::WaitOnce wait(1, ZX_USER_SIGNAL_0);

  EXPECT_EQ(wait.Begin(&dispatcher, OnceRecorder(&calls, &status, &destroyed)), ZX_ERR_BAD_STATE);
  EXPECT_TRUE(destroyed);
  EXPECT_FALSE(wait.is_pending());
  EXPECT_EQ(calls, 0);
}

TEST(WaitOnceTest, ShutdownCallsHandlerWithCanceled) {
  zx::event event = MakeEvent();
  int calls = 0;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool destroyed = false;
  async::WaitOnce wait(event.get(), ZX_USER_SIGNAL_0);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  ASSERT_EQ(wait.Begin(loop.dispatcher(), OnceRecorder(&calls, &status, &destroyed)), ZX_OK);

  loop.Shutdown();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status, ZX_ERR_CANCELED);
  EXPECT_TRUE(destroyed);
  EXPECT_FALSE(wait.is_pending());
}

TEST(WaitOnceTest, DestructorCancelsAndDestroysHandlerUncalled) {
  zx::event event = MakeEvent();
  int calls = 0;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool destroyed = false;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  {
    async::WaitOnce wait(event.get(), ZX_USER_SIGNAL_0);
    ASSERT_EQ(wait.Begin(loop.dispatcher(), OnceRecorder(&calls, &status, &destroyed)), ZX_OK);
  }
  EXPECT_TRUE(destroyed);
  ASSERT_EQ(event.signal(0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace async_cpp_test
