// The contract every dispatcher must keep: one typed GoogleTest suite, instantiated for each
// dispatcher through a "dispatcher fixture" (below). It holds the behaviours that Fuchsia
// documents for `async_dispatcher_t` and its C++ wrappers and that async::Loop (on one thread or
// several) and async::TestLoop share. What legitimately differs between dispatchers stays in
// their own tests: TestLoop has no shutdown state, while the real loop rejects new work once it
// is shutting down, so nothing here posts or begins after Shutdown() or from a CANCELED handler.
//
// A dispatcher fixture is a default-constructible class with:
//
//   static constexpr bool kMultiThreaded;     // handlers run on threads other than the test's
//   static constexpr bool kSupportsReceivers;  // async_queue_packet() works
//   async_dispatcher_t* dispatcher();
//   zx::duration ShortDelay();                 // a delay the fixture's time control can wait out
//   void RunUntilIdle();   // returns once everything ready now, and all that it makes ready, ran
//   bool RunUntil(const std::function<bool()>& condition);  // false if it never held
//   void Shutdown();       // shutdown or destroy: pending waits and tasks get ZX_ERR_CANCELED
//
// RunUntil() runs (or, multi-threaded, waits for) the dispatcher until `condition` holds, moving
// the fixture's clock as needed; its bound only turns a hang into a failure. When Shutdown()
// returns, every handler it caused has returned; afterwards the test no longer uses dispatcher().
// Destroying the fixture shuts the dispatcher down if the test did not. A multi-threaded fixture
// must run task handlers one at a time, as async::Loop does (TaskGate relies on it), and
// `condition` must only read thread-safe state, such as a CallLog.
//
// Every test reads as single-threaded and is deterministic on every fixture: tasks that must
// stay pending are due far in the future, waits that must stay pending wait on an event nobody
// signals, and where a multi-threaded loop could otherwise run a due task too early, a TaskGate
// holds task handlers back. Outcomes are read after RunUntilIdle() or Shutdown().
//
// The helpers (CallLog, LoggedTask, LoggedWait, TaskGate, the suite's test fixture) are in
// conformance_support.h. Instantiate inside namespace dispatcher_conformance, for example:
//   INSTANTIATE_TYPED_TEST_SUITE_P(TestLoop, DispatcherConformanceTest, TestLoopFixture);
#ifndef ASYNC_TEST_CONFORMANCE_DISPATCHER_CONFORMANCE_H_
#define ASYNC_TEST_CONFORMANCE_DISPATCHER_CONFORMANCE_H_

#include <lib/async/cpp/receiver.h>
#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <lib/async/cpp/wait.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>
#include <lib/zx/time.h>
#include <zircon/rights.h>
#include <zircon/types.h>

#include <memory>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "async/test/conformance/conformance_support.h"

namespace dispatcher_conformance {

TYPED_TEST_SUITE_P(DispatcherConformanceTest);

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// --- Tasks ---------------------------------------------------------------------------------

TYPED_TEST_P(DispatcherConformanceTest, PostedTaskRunsExactlyOnce) {
  async_dispatcher_t* expected = this->dispatcher();
  LoggedTask* task = this->NewTask(1, async::Now(expected),
                                   [expected](async_dispatcher_t* dispatcher, LoggedTask*,
                                              zx_status_t) { EXPECT_EQ(dispatcher, expected); });
  ASSERT_EQ(async_post_task(this->dispatcher(), task), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, false}));
  this->Shutdown();
  EXPECT_EQ(this->log().size(), 1u);
}

TYPED_TEST_P(DispatcherConformanceTest, TasksWithEqualDeadlinesRunInPostingOrder) {
  {
    TaskGate<TypeParam> gate(this->fixture());
    zx::time deadline = async::Now(this->dispatcher());
    for (int id = 0; id < 5; ++id) {
      ASSERT_EQ(async_post_task(this->dispatcher(), this->NewTask(id, deadline)), ZX_OK);
    }
  }
  EXPECT_TRUE(this->RunUntilCalls(5));
  this->RunUntilIdle();
  EXPECT_THAT(this->log().ids(), ElementsAre(0, 1, 2, 3, 4));
}

TYPED_TEST_P(DispatcherConformanceTest, TasksRunInDeadlineOrder) {
  {
    TaskGate<TypeParam> gate(this->fixture());
    zx::time start = async::Now(this->dispatcher());
    for (int id : {3, 1, 2}) {
      zx::time deadline = start + this->fixture().ShortDelay() * id;
      ASSERT_EQ(async_post_task(this->dispatcher(), this->NewTask(id, deadline)), ZX_OK);
    }
  }
  EXPECT_TRUE(this->RunUntilCalls(3));
  this->RunUntilIdle();
  EXPECT_THAT(this->log().ids(), ElementsAre(1, 2, 3));
}

TYPED_TEST_P(DispatcherConformanceTest, CancelBeforeRunReturnsOkAndHandlerNeverRuns) {
  async_dispatcher_t* dispatcher = this->dispatcher();
  LoggedTask* due = this->NewTask(1, async::Now(dispatcher));
  LoggedTask* later = this->NewTask(2, this->FarFuture());
  {
    TaskGate<TypeParam> gate(this->fixture());
    ASSERT_EQ(async_post_task(dispatcher, due), ZX_OK);
    ASSERT_EQ(async_post_task(dispatcher, later), ZX_OK);
    EXPECT_EQ(async_cancel_task(dispatcher, due), ZX_OK);
    EXPECT_EQ(async_cancel_task(dispatcher, later), ZX_OK);
  }
  ASSERT_EQ(async_post_task(dispatcher, this->NewTask(3, async::Now(dispatcher))), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(3));
}

TYPED_TEST_P(DispatcherConformanceTest, CancelAfterRunReturnsNotFound) {
  LoggedTask* task = this->NewTask(1, async::Now(this->dispatcher()));
  LoggedTask* never_posted = this->NewTask(2, async::Now(this->dispatcher()));
  ASSERT_EQ(async_post_task(this->dispatcher(), task), ZX_OK);
  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();

  EXPECT_EQ(async_cancel_task(this->dispatcher(), task), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(async_cancel_task(this->dispatcher(), never_posted), ZX_ERR_NOT_FOUND);
  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(1));
}

TYPED_TEST_P(DispatcherConformanceTest, TaskCancelingItselfFromItsHandlerGetsNotFound) {
  constexpr int kCancelResult = 100;
  LoggedTask* task =
      this->NewTask(1, async::Now(this->dispatcher()),
                    [](async_dispatcher_t* dispatcher, LoggedTask* self, zx_status_t) {
                      self->log->Add(kCancelResult, async_cancel_task(dispatcher, self));
                    });
  ASSERT_EQ(async_post_task(this->dispatcher(), task), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(2));
  this->RunUntilIdle();
  EXPECT_THAT(this->log().calls(),
              ElementsAre(Call{1, ZX_OK, false}, Call{kCancelResult, ZX_ERR_NOT_FOUND, false}));
}

TYPED_TEST_P(DispatcherConformanceTest, TaskHandlerMayDeleteItsTask) {
  auto* task = new LoggedTask(&this->log(), 1, async::Now(this->dispatcher()),
                              [](async_dispatcher_t*, LoggedTask* self, zx_status_t) {
                                delete self;  // AddressSanitizer reports any later use
                              });
  ASSERT_EQ(async_post_task(this->dispatcher(), task), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, false}));
}

TYPED_TEST_P(DispatcherConformanceTest, TaskHandlerMayPostItsTaskAgain) {
  LoggedTask* task =
      this->NewTask(1, async::Now(this->dispatcher()),
                    [](async_dispatcher_t* dispatcher, LoggedTask* self, zx_status_t status) {
                      if (status == ZX_OK && self->log->CountOf(1) < 3) {
                        EXPECT_EQ(async_post_task(dispatcher, self), ZX_OK);
                      }
                    });
  ASSERT_EQ(async_post_task(this->dispatcher(), task), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(3));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(),
              ElementsAre(Call{1, ZX_OK, false}, Call{1, ZX_OK, false}, Call{1, ZX_OK, false}));
}

// --- Waits ---------------------------------------------------------------------------------

TYPED_TEST_P(DispatcherConformanceTest, WaitCompletesExactlyOnceWhileTheSignalStaysAsserted) {
  zx::event& event = this->NewEvent();
  ASSERT_EQ(async_begin_wait(this->dispatcher(), this->NewWait(1, event)), ZX_OK);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, true}));
  this->Shutdown();
  EXPECT_EQ(this->log().size(), 1u);
}

TYPED_TEST_P(DispatcherConformanceTest, AlreadyAssertedSignalCompletesWithinOneRunUntilIdle) {
  zx::event& event = this->NewEvent();
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), this->NewWait(1, event)), ZX_OK);

  this->RunUntilIdle();
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, true}));
}

TYPED_TEST_P(DispatcherConformanceTest, CascadeOfWaitsAndTasksCompletesWithinOneRunUntilIdle) {
  async_dispatcher_t* dispatcher = this->dispatcher();
  zx::event& first = this->NewEvent();
  zx::event& second = this->NewEvent();
  LoggedTask* relay = this->NewTask(2, async::Now(dispatcher), [event = &second](auto...) {
    EXPECT_EQ(event->signal(0u, kTrigger), ZX_OK);
  });
  LoggedWait* wait1 = this->NewWait(1, first, [relay](async_dispatcher_t* d, auto...) {
    EXPECT_EQ(async_post_task(d, relay), ZX_OK);
  });
  ASSERT_EQ(async_begin_wait(dispatcher, wait1), ZX_OK);
  ASSERT_EQ(async_begin_wait(dispatcher, this->NewWait(3, second)), ZX_OK);
  ASSERT_EQ(first.signal(0u, kTrigger), ZX_OK);

  this->RunUntilIdle();
  EXPECT_THAT(this->log().ids(), ElementsAre(1, 2, 3));
}

TYPED_TEST_P(DispatcherConformanceTest, CancelWaitBeforeSignalReturnsOkAndHandlerNeverRuns) {
  zx::event& event = this->NewEvent();
  LoggedWait* canceled = this->NewWait(1, event);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), canceled), ZX_OK);
  EXPECT_EQ(async_cancel_wait(this->dispatcher(), canceled), ZX_OK);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), this->NewWait(2, event)), ZX_OK);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(2));
}

TYPED_TEST_P(DispatcherConformanceTest, CancelWaitWithQueuedCompletionReturnsOk) {
  if constexpr (TypeParam::kMultiThreaded) {
    GTEST_SKIP() << "a loop thread may take the completion first (see the race tests)";
  }
  zx::event& event = this->NewEvent();
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  LoggedWait* canceled = this->NewWait(1, event);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), canceled), ZX_OK);
  EXPECT_EQ(async_cancel_wait(this->dispatcher(), canceled), ZX_OK);

  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_EQ(this->log().size(), 0u);
}

TYPED_TEST_P(DispatcherConformanceTest, CancelWaitAfterCompletionReturnsNotFound) {
  zx::event& event = this->NewEvent();
  LoggedWait* wait = this->NewWait(1, event);
  LoggedWait* never_begun = this->NewWait(2, event);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), wait), ZX_OK);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();

  EXPECT_EQ(async_cancel_wait(this->dispatcher(), wait), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(async_cancel_wait(this->dispatcher(), never_begun), ZX_ERR_NOT_FOUND);
  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(1));
}

TYPED_TEST_P(DispatcherConformanceTest, WaitCancelingItselfFromItsHandlerGetsNotFound) {
  constexpr int kCancelResult = 100;
  zx::event& event = this->NewEvent();
  LoggedWait* wait =
      this->NewWait(1, event, [](async_dispatcher_t* dispatcher, LoggedWait* self, zx_status_t) {
        self->log->Add(kCancelResult, async_cancel_wait(dispatcher, self));
      });
  ASSERT_EQ(async_begin_wait(this->dispatcher(), wait), ZX_OK);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(2));
  this->RunUntilIdle();
  EXPECT_THAT(this->log().calls(),
              ElementsAre(Call{1, ZX_OK, true}, Call{kCancelResult, ZX_ERR_NOT_FOUND, false}));
}

TYPED_TEST_P(DispatcherConformanceTest, WaitHandlerMayDeleteItsWait) {
  zx::event& event = this->NewEvent();
  auto* wait = new LoggedWait(&this->log(), 1, event.get(),
                              [](async_dispatcher_t*, LoggedWait* self, zx_status_t) {
                                delete self;  // AddressSanitizer reports any later use
                              });
  ASSERT_EQ(async_begin_wait(this->dispatcher(), wait), ZX_OK);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, true}));
}

TYPED_TEST_P(DispatcherConformanceTest, WaitHandlerMayBeginItsWaitAgain) {
  zx::event& event = this->NewEvent();
  LoggedWait* wait = this->NewWait(
      1, event, [](async_dispatcher_t* dispatcher, LoggedWait* self, zx_status_t status) {
        if (status == ZX_OK && self->log->CountOf(1) < 3) {
          EXPECT_EQ(async_begin_wait(dispatcher, self), ZX_OK);
        }
      });
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), wait), ZX_OK);

  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(),
              ElementsAre(Call{1, ZX_OK, true}, Call{1, ZX_OK, true}, Call{1, ZX_OK, true}));
}

TYPED_TEST_P(DispatcherConformanceTest, WaitWithoutWaitRightFailsAndIsNeverCalled) {
  zx::event& event = this->NewEvent();
  zx::event& no_wait_right = this->NewEvent();
  ASSERT_EQ(event.duplicate(ZX_DEFAULT_EVENT_RIGHTS & ~ZX_RIGHT_WAIT, &no_wait_right), ZX_OK);
  EXPECT_EQ(async_begin_wait(this->dispatcher(), this->NewWait(1, no_wait_right)),
            ZX_ERR_ACCESS_DENIED);
  async::Wait wait(no_wait_right.get(), kTrigger, [this](auto&&...) { this->log().Add(2, ZX_OK); });
  EXPECT_EQ(wait.Begin(this->dispatcher()), ZX_ERR_ACCESS_DENIED);
  EXPECT_FALSE(wait.is_pending());
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_EQ(this->log().size(), 0u) << "a wait that failed to begin is never called";
}

// --- Shutdown ------------------------------------------------------------------------------

TYPED_TEST_P(DispatcherConformanceTest, ShutdownCancelsEveryPendingWaitAndTaskOnce) {
  async_dispatcher_t* dispatcher = this->dispatcher();
  ASSERT_EQ(async_begin_wait(dispatcher, this->NewWait(1, this->NewEvent())), ZX_OK);
  ASSERT_EQ(async_begin_wait(dispatcher, this->NewWait(2, this->NewEvent())), ZX_OK);
  ASSERT_EQ(async_post_task(dispatcher, this->NewTask(3, this->FarFuture())), ZX_OK);
  ASSERT_EQ(async_post_task(dispatcher, this->NewTask(4, zx::time::infinite())), ZX_OK);
  this->RunUntilIdle();
  EXPECT_EQ(this->log().size(), 0u);

  this->Shutdown();
  EXPECT_THAT(
      this->log().calls(),
      UnorderedElementsAre(Call{1, ZX_ERR_CANCELED, false}, Call{2, ZX_ERR_CANCELED, false},
                           Call{3, ZX_ERR_CANCELED, false}, Call{4, ZX_ERR_CANCELED, false}));
}

TYPED_TEST_P(DispatcherConformanceTest, ShutdownCancelsNewestWaitFirstThenTasksByDeadline) {
  async_dispatcher_t* dispatcher = this->dispatcher();
  zx::time far = this->FarFuture();
  ASSERT_EQ(async_post_task(dispatcher, this->NewTask(4, far + zx::sec(2))), ZX_OK);
  ASSERT_EQ(async_begin_wait(dispatcher, this->NewWait(2, this->NewEvent())), ZX_OK);
  ASSERT_EQ(async_post_task(dispatcher, this->NewTask(3, far + zx::sec(1))), ZX_OK);
  ASSERT_EQ(async_begin_wait(dispatcher, this->NewWait(1, this->NewEvent())), ZX_OK);

  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(1, 2, 3, 4));
}

TYPED_TEST_P(DispatcherConformanceTest, ShutdownHandlersMayCancelOperations) {
  constexpr int kWaitCancelsItself = 100;
  constexpr int kWaitCancelsTask = 101;
  constexpr int kTaskCancelsItself = 102;
  LoggedTask* canceled_by_wait = this->NewTask(2, this->FarFuture());
  LoggedWait* wait = this->NewWait(
      1, this->NewEvent(),
      [canceled_by_wait](async_dispatcher_t* dispatcher, LoggedWait* self, zx_status_t) {
        self->log->Add(kWaitCancelsItself, async_cancel_wait(dispatcher, self));
        self->log->Add(kWaitCancelsTask, async_cancel_task(dispatcher, canceled_by_wait));
      });
  LoggedTask* task = this->NewTask(
      3, this->FarFuture(), [](async_dispatcher_t* dispatcher, LoggedTask* self, zx_status_t) {
        self->log->Add(kTaskCancelsItself, async_cancel_task(dispatcher, self));
      });
  ASSERT_EQ(async_post_task(this->dispatcher(), canceled_by_wait), ZX_OK);
  ASSERT_EQ(async_post_task(this->dispatcher(), task), ZX_OK);
  ASSERT_EQ(async_begin_wait(this->dispatcher(), wait), ZX_OK);

  this->Shutdown();
  EXPECT_THAT(this->log().calls(),
              ElementsAre(Call{1, ZX_ERR_CANCELED, false},
                          Call{kWaitCancelsItself, ZX_ERR_NOT_FOUND, false},
                          Call{kWaitCancelsTask, ZX_OK, false}, Call{3, ZX_ERR_CANCELED, false},
                          Call{kTaskCancelsItself, ZX_ERR_NOT_FOUND, false}));
}

// --- C++ wrappers --------------------------------------------------------------------------

TYPED_TEST_P(DispatcherConformanceTest, TaskObjectIsPendingUntilItsHandlerRuns) {
  async::Task task([this](async_dispatcher_t*, async::Task* self, zx_status_t status) {
    EXPECT_FALSE(self->is_pending());
    this->log().Add(1, status);
  });
  EXPECT_FALSE(task.is_pending());
  {
    TaskGate<TypeParam> gate(this->fixture());
    ASSERT_EQ(task.Post(this->dispatcher()), ZX_OK);
    EXPECT_TRUE(task.is_pending());
  }
  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  EXPECT_FALSE(task.is_pending());
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, false}));
}

TYPED_TEST_P(DispatcherConformanceTest, PendingTaskObjectRejectsSecondPost) {
  async::Task task([this](async_dispatcher_t*, async::Task*, zx_status_t status) {
    this->log().Add(1, status);
  });
  zx::time deadline = this->FarFuture();
  ASSERT_EQ(task.PostForTime(this->dispatcher(), deadline), ZX_OK);
  EXPECT_EQ(task.PostForTime(this->dispatcher(), deadline + zx::sec(1)), ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(task.Post(this->dispatcher()), ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(task.last_deadline(), deadline);
  EXPECT_TRUE(task.is_pending());

  EXPECT_EQ(task.Cancel(), ZX_OK);
  EXPECT_FALSE(task.is_pending());
  EXPECT_EQ(task.Cancel(), ZX_ERR_NOT_FOUND);
  this->Shutdown();
  EXPECT_EQ(this->log().size(), 0u);
}

TYPED_TEST_P(DispatcherConformanceTest, PendingWaitObjectRejectsSecondBegin) {
  zx::event& event = this->NewEvent();
  async::Wait wait(
      event.get(), kTrigger,
      [this](async_dispatcher_t*, async::Wait*, zx_status_t status,
             const zx_packet_signal_t* signal) { this->log().Add(1, status, signal != nullptr); });
  ASSERT_EQ(wait.Begin(this->dispatcher()), ZX_OK);
  EXPECT_EQ(wait.Begin(this->dispatcher()), ZX_ERR_ALREADY_EXISTS);
  EXPECT_TRUE(wait.is_pending());

  EXPECT_EQ(wait.Cancel(), ZX_OK);
  EXPECT_FALSE(wait.is_pending());
  EXPECT_EQ(wait.Cancel(), ZX_ERR_NOT_FOUND);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_EQ(this->log().size(), 0u);
}

TYPED_TEST_P(DispatcherConformanceTest, DestroyingPendingObjectsCancelsThem) {
  zx::event& event = this->NewEvent();
  auto log_call = [this](auto&&...) { this->log().Add(1, ZX_OK); };
  {
    TaskGate<TypeParam> gate(this->fixture());
    async::TaskClosure task(log_call);
    async::Wait wait(event.get(), kTrigger, log_call);
    ASSERT_EQ(task.Post(this->dispatcher()), ZX_OK);
    ASSERT_EQ(wait.Begin(this->dispatcher()), ZX_OK);
  }
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  ASSERT_EQ(async_post_task(this->dispatcher(), this->NewTask(2, async::Now(this->dispatcher()))),
            ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(2));
}

TYPED_TEST_P(DispatcherConformanceTest, ShutdownCancelsPendingObjects) {
  async::Task task([this](async_dispatcher_t*, async::Task* self, zx_status_t status) {
    EXPECT_FALSE(self->is_pending());
    this->log().Add(1, status);
  });
  async::Wait wait(this->NewEvent().get(), kTrigger,
                   [this](async_dispatcher_t*, async::Wait* self, zx_status_t status,
                          const zx_packet_signal_t* signal) {
                     EXPECT_FALSE(self->is_pending());
                     this->log().Add(2, status, signal != nullptr);
                   });
  async::TaskClosure closure([this] { this->log().Add(3, ZX_OK); });
  ASSERT_EQ(task.PostForTime(this->dispatcher(), this->FarFuture()), ZX_OK);
  ASSERT_EQ(wait.Begin(this->dispatcher()), ZX_OK);
  ASSERT_EQ(closure.PostForTime(this->dispatcher(), this->FarFuture()), ZX_OK);

  this->Shutdown();
  EXPECT_THAT(this->log().calls(), UnorderedElementsAre(Call{1, ZX_ERR_CANCELED, false},
                                                        Call{2, ZX_ERR_CANCELED, false}));
  EXPECT_FALSE(task.is_pending());
  EXPECT_FALSE(wait.is_pending());
  EXPECT_FALSE(closure.is_pending());
}

TYPED_TEST_P(DispatcherConformanceTest, PostTaskRunsItsClosureOnceOrDestroysItAtShutdown) {
  auto canceled_capture = std::make_shared<int>(0);
  ASSERT_EQ(async::PostTask(this->dispatcher(), [this] { this->log().Add(1, ZX_OK); }), ZX_OK);
  ASSERT_EQ(async::PostTaskForTime(
                this->dispatcher(), [this, canceled_capture] { this->log().Add(2, ZX_OK); },
                this->FarFuture()),
            ZX_OK);
  EXPECT_EQ(canceled_capture.use_count(), 2);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().ids(), ElementsAre(1));
  EXPECT_EQ(canceled_capture.use_count(), 1) << "the canceled closure was not destroyed";
}

TYPED_TEST_P(DispatcherConformanceTest, HandlersMayDeleteTheirObjects) {
  zx::event& event = this->NewEvent();
  auto* task = new async::Task([this](async_dispatcher_t*, async::Task* self, zx_status_t status) {
    this->log().Add(1, status);
    delete self;  // AddressSanitizer reports any later use
  });
  auto* wait = new async::Wait(event.get(), kTrigger,
                               [this](async_dispatcher_t*, async::Wait* self, zx_status_t status,
                                      const zx_packet_signal_t* signal) {
                                 this->log().Add(2, status, signal != nullptr);
                                 delete self;
                               });
  ASSERT_EQ(task->Post(this->dispatcher()), ZX_OK);
  ASSERT_EQ(wait->Begin(this->dispatcher()), ZX_OK);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(2));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(),
              UnorderedElementsAre(Call{1, ZX_OK, false}, Call{2, ZX_OK, true}));
}

TYPED_TEST_P(DispatcherConformanceTest, HandlersMayPostOrBeginTheirObjectsAgain) {
  zx::event& event = this->NewEvent();
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  async::Task task([this](async_dispatcher_t* dispatcher, async::Task* self, zx_status_t status) {
    this->log().Add(1, status);
    if (status == ZX_OK && this->log().CountOf(1) < 3) {
      EXPECT_EQ(self->Post(dispatcher), ZX_OK);
    }
  });
  async::Wait wait(event.get(), kTrigger,
                   [this](async_dispatcher_t* dispatcher, async::Wait* self, zx_status_t status,
                          const zx_packet_signal_t*) {
                     this->log().Add(2, status);
                     if (status == ZX_OK && this->log().CountOf(2) < 3) {
                       EXPECT_EQ(self->Begin(dispatcher), ZX_OK);
                     }
                   });
  ASSERT_EQ(task.Post(this->dispatcher()), ZX_OK);
  ASSERT_EQ(wait.Begin(this->dispatcher()), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(6));
  this->RunUntilIdle();
  EXPECT_EQ(this->log().CountOf(1), 3);
  EXPECT_EQ(this->log().CountOf(2), 3);
}

TYPED_TEST_P(DispatcherConformanceTest, WaitOnceCompletesOnce) {
  zx::event& event = this->NewEvent();
  async::WaitOnce wait(event.get(), kTrigger);
  auto handler = [this](async_dispatcher_t*, async::WaitOnce* self, zx_status_t status,
                        const zx_packet_signal_t* signal) {
    EXPECT_FALSE(self->is_pending());
    this->log().Add(1, status, signal != nullptr);
  };
  ASSERT_EQ(wait.Begin(this->dispatcher(), handler), ZX_OK);
  EXPECT_EQ(wait.Begin(this->dispatcher(), handler), ZX_ERR_ALREADY_EXISTS);
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_FALSE(wait.is_pending());
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{1, ZX_OK, true}));
}

// --- Receivers -----------------------------------------------------------------------------

TYPED_TEST_P(DispatcherConformanceTest, ReceiverGetsEveryPacketOnce) {
  if constexpr (!TypeParam::kSupportsReceivers) {
    GTEST_SKIP() << "the dispatcher does not support receivers";
  }
  LoggedReceiver* receiver = this->NewReceiver();
  for (uint64_t id = 1; id <= 3; ++id) {
    zx_packet_user_t data = {};
    data.u64[0] = id;
    ASSERT_EQ(async_queue_packet(this->dispatcher(), receiver, &data), ZX_OK);
  }
  ASSERT_EQ(async_queue_packet(this->dispatcher(), receiver, nullptr), ZX_OK);  // 32 zeros

  EXPECT_TRUE(this->RunUntilCalls(4));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(),
              UnorderedElementsAre(Call{1, ZX_OK, true}, Call{2, ZX_OK, true}, Call{3, ZX_OK, true},
                                   Call{0, ZX_OK, true}));
  if constexpr (!TypeParam::kMultiThreaded) {
    EXPECT_THAT(this->log().ids(), ElementsAre(1, 2, 3, 0));  // one port: first in, first out
  }
}

TYPED_TEST_P(DispatcherConformanceTest, ReceiverObjectGetsItsPacket) {
  if constexpr (!TypeParam::kSupportsReceivers) {
    GTEST_SKIP() << "the dispatcher does not support receivers";
  }
  async::Receiver receiver([this](async_dispatcher_t*, async::Receiver*, zx_status_t status,
                                  const zx_packet_user_t* data) {
    this->log().Add(data == nullptr ? -1 : static_cast<int>(data->u64[3]), status, true);
  });
  zx_packet_user_t data = {};
  data.u64[3] = 7;
  ASSERT_EQ(receiver.QueuePacket(this->dispatcher(), &data), ZX_OK);

  EXPECT_TRUE(this->RunUntilCalls(1));
  this->RunUntilIdle();
  this->Shutdown();
  EXPECT_THAT(this->log().calls(), ElementsAre(Call{7, ZX_OK, true}));
}

TYPED_TEST_P(DispatcherConformanceTest, UndeliveredPacketsAreDroppedAtShutdown) {
  if constexpr (!TypeParam::kSupportsReceivers || TypeParam::kMultiThreaded) {
    GTEST_SKIP() << "needs receivers, and no loop thread that would deliver the packet first";
  }
  ASSERT_EQ(async_queue_packet(this->dispatcher(), this->NewReceiver(), nullptr), ZX_OK);

  this->Shutdown();
  EXPECT_EQ(this->log().size(), 0u) << "receivers are never called with ZX_ERR_CANCELED";
}

// --- Several threads -----------------------------------------------------------------------

TYPED_TEST_P(DispatcherConformanceTest, TasksPostedFromOtherThreadsEachRunOnce) {
  if constexpr (!TypeParam::kMultiThreaded) {
    GTEST_SKIP() << "only a multi-threaded dispatcher may be used from other threads";
  }
  constexpr int kThreads = 4;
  constexpr int kTasksPerThread = 50;
  std::vector<std::thread> posters;
  for (int id = 0; id < kThreads; ++id) {
    posters.emplace_back([this, id] {
      for (int i = 0; i < kTasksPerThread; ++i) {
        EXPECT_EQ(async::PostTask(this->dispatcher(), [this, id] { this->log().Add(id, ZX_OK); }),
                  ZX_OK);
      }
    });
  }
  for (std::thread& poster : posters) {
    poster.join();
  }

  EXPECT_TRUE(this->RunUntilCalls(kThreads * kTasksPerThread));
  this->RunUntilIdle();
  for (int id = 0; id < kThreads; ++id) {
    EXPECT_EQ(this->log().CountOf(id), kTasksPerThread) << "poster " << id;
  }
}

TYPED_TEST_P(DispatcherConformanceTest, CancelRacingTaskDispatchEndsEachTaskOnce) {
  if constexpr (!TypeParam::kMultiThreaded) {
    GTEST_SKIP() << "needs handlers running on other threads";
  }
  constexpr int kTasks = 300;
  std::vector<LoggedTask*> tasks;
  for (int id = 0; id < kTasks; ++id) {
    tasks.push_back(this->NewTask(id, async::Now(this->dispatcher())));
    ASSERT_EQ(async_post_task(this->dispatcher(), tasks.back()), ZX_OK);
  }
  // Once the loop runs the oldest, cancel from the newest, so that the two meet.
  EXPECT_TRUE(this->RunUntilCalls(1));
  std::vector<zx_status_t> cancel_results(kTasks);
  for (int id = kTasks - 1; id >= 0; --id) {
    cancel_results[id] = async_cancel_task(this->dispatcher(), tasks[id]);
  }

  this->RunUntilIdle();
  this->Shutdown();
  for (int id = 0; id < kTasks; ++id) {
    // Either the cancel took the task, or the task ran once (a cancel then finds nothing).
    zx_status_t expected_cancel = this->log().CountOf(id) == 0 ? ZX_OK : ZX_ERR_NOT_FOUND;
    EXPECT_EQ(cancel_results[id], expected_cancel) << "task " << id;
    EXPECT_LE(this->log().CountOf(id), 1) << "task " << id;
  }
  EXPECT_THAT(this->log().calls(), ::testing::Each(::testing::Field(&Call::status, ZX_OK)));
}

TYPED_TEST_P(DispatcherConformanceTest, CancelRacingWaitDeliveryEndsEachWaitOnce) {
  if constexpr (!TypeParam::kMultiThreaded) {
    GTEST_SKIP() << "needs handlers running on other threads";
  }
  constexpr int kWaits = 300;
  zx::event& event = this->NewEvent();
  ASSERT_EQ(event.signal(0u, kTrigger), ZX_OK);
  std::vector<LoggedWait*> waits;
  for (int id = 0; id < kWaits; ++id) {
    waits.push_back(this->NewWait(id, event));
    ASSERT_EQ(async_begin_wait(this->dispatcher(), waits.back()), ZX_OK);
  }
  EXPECT_TRUE(this->RunUntilCalls(1));  // as for tasks: the loop runs from the oldest
  std::vector<zx_status_t> cancel_results(kWaits);
  for (int id = kWaits - 1; id >= 0; --id) {
    cancel_results[id] = async_cancel_wait(this->dispatcher(), waits[id]);
  }

  this->RunUntilIdle();
  this->Shutdown();
  for (int id = 0; id < kWaits; ++id) {
    zx_status_t expected_cancel = this->log().CountOf(id) == 0 ? ZX_OK : ZX_ERR_NOT_FOUND;
    EXPECT_EQ(cancel_results[id], expected_cancel) << "wait " << id;
    EXPECT_LE(this->log().CountOf(id), 1) << "wait " << id;
  }
  EXPECT_THAT(this->log().calls(), ::testing::Each(::testing::Field(&Call::status, ZX_OK)));
  EXPECT_THAT(this->log().calls(), ::testing::Each(::testing::Field(&Call::has_payload, true)));
}

REGISTER_TYPED_TEST_SUITE_P(
    DispatcherConformanceTest,
    // Tasks
    PostedTaskRunsExactlyOnce, TasksWithEqualDeadlinesRunInPostingOrder, TasksRunInDeadlineOrder,
    CancelBeforeRunReturnsOkAndHandlerNeverRuns, CancelAfterRunReturnsNotFound,
    TaskCancelingItselfFromItsHandlerGetsNotFound, TaskHandlerMayDeleteItsTask,
    TaskHandlerMayPostItsTaskAgain,
    // Waits
    WaitCompletesExactlyOnceWhileTheSignalStaysAsserted,
    AlreadyAssertedSignalCompletesWithinOneRunUntilIdle,
    CascadeOfWaitsAndTasksCompletesWithinOneRunUntilIdle,
    CancelWaitBeforeSignalReturnsOkAndHandlerNeverRuns, CancelWaitWithQueuedCompletionReturnsOk,
    CancelWaitAfterCompletionReturnsNotFound, WaitCancelingItselfFromItsHandlerGetsNotFound,
    WaitHandlerMayDeleteItsWait, WaitHandlerMayBeginItsWaitAgain,
    WaitWithoutWaitRightFailsAndIsNeverCalled,
    // Shutdown
    ShutdownCancelsEveryPendingWaitAndTaskOnce, ShutdownCancelsNewestWaitFirstThenTasksByDeadline,
    ShutdownHandlersMayCancelOperations,
    // C++ wrappers
    TaskObjectIsPendingUntilItsHandlerRuns, PendingTaskObjectRejectsSecondPost,
    PendingWaitObjectRejectsSecondBegin, DestroyingPendingObjectsCancelsThem,
    ShutdownCancelsPendingObjects, PostTaskRunsItsClosureOnceOrDestroysItAtShutdown,
    HandlersMayDeleteTheirObjects, HandlersMayPostOrBeginTheirObjectsAgain, WaitOnceCompletesOnce,
    // Receivers
    ReceiverGetsEveryPacketOnce, ReceiverObjectGetsItsPacket,
    UndeliveredPacketsAreDroppedAtShutdown,
    // Several threads
    TasksPostedFromOtherThreadsEachRunOnce, CancelRacingTaskDispatchEndsEachTaskOnce,
    CancelRacingWaitDeliveryEndsEachWaitOnce);

}  // namespace dispatcher_conformance

#endif  // ASYNC_TEST_CONFORMANCE_DISPATCHER_CONFORMANCE_H_
