// async::Exception and async::ExceptionMethod. portloop has no task objects yet, so a loop
// rejects every handle with ZX_ERR_WRONG_TYPE; binding, reports and resuming are shown through
// FakeDispatcher, whose recorded exception the test calls as a dispatcher would.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/exception.h>
#include <lib/zx/event.h>
#include <zircon/assert.h>
#include <zircon/syscalls/exception.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "async/test/cpp/fake_dispatcher.h"
#include "async/test/cpp/test_helpers.h"

namespace async_cpp_test {
namespace {

constexpr zx_handle_t kTask = 5;

// What an exception handler was called with.
struct Report {
  int count = 0;
  async::ExceptionBase* exception = nullptr;
  zx_status_t status = ZX_ERR_INTERNAL;
  uint32_t type = 0;
};

void Record(Report* report, async::ExceptionBase* exception, zx_status_t status,
            const zx_port_packet_t* packet) {
  *report = {report->count + 1, exception, status, packet != nullptr ? packet->type : 0u};
}

async::Exception::Handler Recorder(Report* report) {
  return [report](async_dispatcher_t*, async::Exception* exception, zx_status_t status,
                  const zx_port_packet_t* packet) { Record(report, exception, status, packet); };
}

// Calls the exception recorded by `dispatcher` as a dispatcher would: with a page-fault report,
// or with ZX_ERR_CANCELED and no report at shutdown.
void Deliver(FakeDispatcher* dispatcher, zx_status_t status) {
  zx_port_packet_t packet = {};
  packet.type = ZX_EXCP_FATAL_PAGE_FAULT;
  dispatcher->exception->handler(dispatcher, dispatcher->exception, status,
                                 status == ZX_OK ? &packet : nullptr);
}

TEST(ExceptionTest, BindToNonTaskHandleReturnsWrongTypeThroughLoop) {
  zx::event event = MakeEvent();
  Report report;
  async::Exception exception(event.get(), 0u, Recorder(&report));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  EXPECT_EQ(exception.Bind(loop.dispatcher()), ZX_ERR_WRONG_TYPE);
  EXPECT_FALSE(exception.is_bound());
  EXPECT_EQ(exception.Unbind(), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(exception.Resume(event.get(), 0u), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(report.count, 0);
}

TEST(ExceptionTest, VersionOneDispatcherReturnsNotSupported) {
  FakeDispatcher dispatcher(ASYNC_OPS_V1);
  Report report;
  async::Exception exception(kTask, 0u, Recorder(&report));

  EXPECT_EQ(exception.Bind(&dispatcher), ZX_ERR_NOT_SUPPORTED);
  EXPECT_FALSE(exception.is_bound());
  EXPECT_TRUE(dispatcher.calls.empty());  // the version 1 table was not read past its end
}

TEST(ExceptionTest, BindAndUnbindTrackTheBinding) {
  FakeDispatcher dispatcher;
  Report report;
  async::Exception exception(kTask, ZX_EXCEPTION_PORT_DEBUGGER, Recorder(&report));

  ASSERT_EQ(exception.Bind(&dispatcher), ZX_OK);
  EXPECT_TRUE(exception.is_bound());
  EXPECT_EQ(dispatcher.exception->task, kTask);
  EXPECT_EQ(dispatcher.exception->options, ZX_EXCEPTION_PORT_DEBUGGER);
  EXPECT_EQ(exception.Bind(&dispatcher), ZX_ERR_ALREADY_EXISTS);

  EXPECT_EQ(exception.Unbind(), ZX_OK);
  EXPECT_FALSE(exception.is_bound());
  EXPECT_EQ(exception.Unbind(), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(dispatcher.calls,
            (std::vector<std::string>{"bind_exception_port", "unbind_exception_port"}));
}

TEST(ExceptionTest, FailedBindLeavesExceptionUnbound) {
  FakeDispatcher dispatcher;
  dispatcher.status = ZX_ERR_ALREADY_BOUND;
  Report report;
  async::Exception exception(kTask, 0u, Recorder(&report));

  EXPECT_EQ(exception.Bind(&dispatcher), ZX_ERR_ALREADY_BOUND);
  EXPECT_FALSE(exception.is_bound());
}

TEST(ExceptionTest, BindingPersistsAcrossReportsAndCancellation) {
  FakeDispatcher dispatcher;
  Report report;
  async::Exception exception(kTask, 0u, Recorder(&report));
  ASSERT_EQ(exception.Bind(&dispatcher), ZX_OK);

  Deliver(&dispatcher, ZX_OK);
  EXPECT_EQ(report.count, 1);
  EXPECT_EQ(report.exception, &exception);
  EXPECT_EQ(report.status, ZX_OK);
  EXPECT_EQ(report.type, ZX_EXCP_FATAL_PAGE_FAULT);
  EXPECT_TRUE(exception.is_bound());

  Deliver(&dispatcher, ZX_ERR_CANCELED);
  EXPECT_EQ(report.count, 2);
  EXPECT_EQ(report.status, ZX_ERR_CANCELED);
  EXPECT_EQ(report.type, 0u);
  EXPECT_TRUE(exception.is_bound());  // as on Fuchsia: only Unbind() clears it
}

TEST(ExceptionTest, ResumeForwardsThreadAndOptions) {
  FakeDispatcher dispatcher;
  Report report;
  async::Exception exception(kTask, 0u, Recorder(&report));
  ASSERT_EQ(exception.Bind(&dispatcher), ZX_OK);

  constexpr zx_handle_t kThread = 77;
  EXPECT_EQ(exception.Resume(kThread, ZX_RESUME_TRY_NEXT), ZX_OK);
  EXPECT_EQ(dispatcher.resumed_task, kThread);
  EXPECT_EQ(dispatcher.resume_options, ZX_RESUME_TRY_NEXT);

  dispatcher.status = ZX_ERR_BAD_STATE;
  EXPECT_EQ(exception.Resume(kThread, 0u), ZX_ERR_BAD_STATE);
  dispatcher.status = ZX_OK;
}

TEST(ExceptionTest, DestructorUnbindsBoundException) {
  FakeDispatcher dispatcher;
  Report report;
  {
    async::Exception exception(kTask, 0u, Recorder(&report));
    ASSERT_EQ(exception.Bind(&dispatcher), ZX_OK);
  }
  EXPECT_EQ(dispatcher.calls,
            (std::vector<std::string>{"bind_exception_port", "unbind_exception_port"}));
}

TEST(ExceptionDeathTest, DestroyingBoundExceptionAbortsIfDispatcherCannotUnbind) {
  EXPECT_DEATH(
      {
        FakeDispatcher dispatcher;
        Report report;
        async::Exception exception(kTask, 0u, Recorder(&report));
        ZX_ASSERT(exception.Bind(&dispatcher) == ZX_OK);
        dispatcher.status = ZX_ERR_NOT_FOUND;
      },
      "unbind failed");
}

class Handlers {
 public:
  void OnException(async_dispatcher_t* dispatcher, async::ExceptionBase* exception,
                   zx_status_t status, const zx_port_packet_t* packet) {
    (void)dispatcher;
    Record(&report, exception, status, packet);
  }
  Report report;
};

TEST(ExceptionMethodTest, CallsMethodWithReport) {
  FakeDispatcher dispatcher;
  Handlers handlers;
  async::ExceptionMethod<Handlers, &Handlers::OnException> exception(&handlers, kTask, 0u);
  ASSERT_EQ(exception.Bind(&dispatcher), ZX_OK);

  Deliver(&dispatcher, ZX_OK);
  EXPECT_EQ(handlers.report.count, 1);
  EXPECT_EQ(handlers.report.exception, &exception);
  EXPECT_EQ(handlers.report.type, ZX_EXCP_FATAL_PAGE_FAULT);
  EXPECT_EQ(exception.Unbind(), ZX_OK);
}

}  // namespace
}  // namespace async_cpp_test
