// The lib/async wrappers: each forwards to the dispatcher's operations table, and the version 2
// wrappers refuse version 1 tables without touching them.

#include <lib/async/dispatcher.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/trap.h>
#include <lib/async/wait.h>
#include <zircon/syscalls/exception.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

// c_headers_compile.c: calls the wrappers from C; returns 0, or the line of a failed check.
extern "C" int AsyncCHeadersRunChecks(void);

namespace {

TEST(CHeadersTest, WrappersWorkWhenCalledFromC) { EXPECT_EQ(AsyncCHeadersRunChecks(), 0); }

// One operation call as the table received it. Fields the operation has no argument for stay
// at their defaults.
struct Call {
  std::string op;
  async_dispatcher_t* dispatcher = nullptr;
  const void* record = nullptr;
  const zx_packet_user_t* data = nullptr;
  zx_handle_t handle = ZX_HANDLE_INVALID;
  zx_vaddr_t addr = 0;
  size_t length = 0;
  uint32_t options = 0;
};

// What each operation returns: a different value for each, so that a test sees the wrapper
// returned the operation's own result.
constexpr zx_time_t kNow = 1234567;
constexpr zx_status_t kBeginWaitStatus = ZX_ERR_ACCESS_DENIED;
constexpr zx_status_t kCancelWaitStatus = ZX_ERR_NOT_FOUND;
constexpr zx_status_t kPostTaskStatus = ZX_ERR_BAD_STATE;
constexpr zx_status_t kCancelTaskStatus = ZX_ERR_TIMED_OUT;
constexpr zx_status_t kQueuePacketStatus = ZX_ERR_SHOULD_WAIT;
constexpr zx_status_t kSetTrapStatus = ZX_ERR_ALREADY_EXISTS;
constexpr zx_status_t kBindStatus = ZX_ERR_ALREADY_BOUND;
constexpr zx_status_t kUnbindStatus = ZX_ERR_WRONG_TYPE;
constexpr zx_status_t kResumeStatus = ZX_ERR_INVALID_ARGS;

// A dispatcher whose operations only record their calls. Its table claims `version`, but every
// member, version 2 ones included, is filled in, so a wrapper that reached a member its table
// does not offer would show up in `calls`. Thread-compatible.
struct RecordingDispatcher : async_dispatcher_t {
  explicit RecordingDispatcher(async_ops_version_t version);
  RecordingDispatcher(const RecordingDispatcher&) = delete;
  RecordingDispatcher& operator=(const RecordingDispatcher&) = delete;

  async_ops_t table;
  std::vector<Call> calls;
};

std::vector<Call>& CallsOf(async_dispatcher_t* dispatcher) {
  return static_cast<RecordingDispatcher*>(dispatcher)->calls;
}

zx_time_t Now(async_dispatcher_t* d) {
  CallsOf(d).push_back({.op = "now", .dispatcher = d});
  return kNow;
}
zx_status_t BeginWait(async_dispatcher_t* d, async_wait_t* wait) {
  CallsOf(d).push_back({.op = "begin_wait", .dispatcher = d, .record = wait});
  return kBeginWaitStatus;
}
zx_status_t CancelWait(async_dispatcher_t* d, async_wait_t* wait) {
  CallsOf(d).push_back({.op = "cancel_wait", .dispatcher = d, .record = wait});
  return kCancelWaitStatus;
}
zx_status_t PostTask(async_dispatcher_t* d, async_task_t* task) {
  CallsOf(d).push_back({.op = "post_task", .dispatcher = d, .record = task});
  return kPostTaskStatus;
}
zx_status_t CancelTask(async_dispatcher_t* d, async_task_t* task) {
  CallsOf(d).push_back({.op = "cancel_task", .dispatcher = d, .record = task});
  return kCancelTaskStatus;
}
zx_status_t QueuePacket(async_dispatcher_t* d, async_receiver_t* receiver,
                        const zx_packet_user_t* data) {
  CallsOf(d).push_back({.op = "queue_packet", .dispatcher = d, .record = receiver, .data = data});
  return kQueuePacketStatus;
}
zx_status_t SetGuestBellTrap(async_dispatcher_t* d, async_guest_bell_trap_t* trap,
                             zx_handle_t guest, zx_vaddr_t addr, size_t length) {
  CallsOf(d).push_back({.op = "set_guest_bell_trap",
                        .dispatcher = d,
                        .record = trap,
                        .handle = guest,
                        .addr = addr,
                        .length = length});
  return kSetTrapStatus;
}
zx_status_t BindExceptionPort(async_dispatcher_t* d, async_exception_t* exception) {
  CallsOf(d).push_back({.op = "bind_exception_port", .dispatcher = d, .record = exception});
  return kBindStatus;
}
zx_status_t UnbindExceptionPort(async_dispatcher_t* d, async_exception_t* exception) {
  CallsOf(d).push_back({.op = "unbind_exception_port", .dispatcher = d, .record = exception});
  return kUnbindStatus;
}
zx_status_t ResumeFromException(async_dispatcher_t* d, async_exception_t* exception,
                                zx_handle_t task, uint32_t options) {
  CallsOf(d).push_back({.op = "resume_from_exception",
                        .dispatcher = d,
                        .record = exception,
                        .handle = task,
                        .options = options});
  return kResumeStatus;
}

RecordingDispatcher::RecordingDispatcher(async_ops_version_t version)
    : async_dispatcher_t{&table},
      table{version,
            0,
            {Now, BeginWait, CancelWait, PostTask, CancelTask, QueuePacket, SetGuestBellTrap},
            {BindExceptionPort, UnbindExceptionPort, ResumeFromException}} {}

TEST(OpsTest, NowReturnsTheDispatchersTime) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V1);
  EXPECT_EQ(async_now(&dispatcher), kNow);
  ASSERT_EQ(dispatcher.calls.size(), 1u);
  EXPECT_EQ(dispatcher.calls[0].op, "now");
  EXPECT_EQ(dispatcher.calls[0].dispatcher, &dispatcher);
}

TEST(OpsTest, WaitWrappersForwardTheWait) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V1);
  async_wait_t wait = {{ASYNC_STATE_INIT}, nullptr, 1, ZX_USER_SIGNAL_0};
  EXPECT_EQ(async_begin_wait(&dispatcher, &wait), kBeginWaitStatus);
  EXPECT_EQ(async_cancel_wait(&dispatcher, &wait), kCancelWaitStatus);

  ASSERT_EQ(dispatcher.calls.size(), 2u);
  EXPECT_EQ(dispatcher.calls[0].op, "begin_wait");
  EXPECT_EQ(dispatcher.calls[1].op, "cancel_wait");
  for (const Call& call : dispatcher.calls) {
    EXPECT_EQ(call.dispatcher, &dispatcher);
    EXPECT_EQ(call.record, &wait);
  }
}

TEST(OpsTest, TaskWrappersForwardTheTask) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V1);
  async_task_t task = {{ASYNC_STATE_INIT}, nullptr, ZX_TIME_INFINITE};
  EXPECT_EQ(async_post_task(&dispatcher, &task), kPostTaskStatus);
  EXPECT_EQ(async_cancel_task(&dispatcher, &task), kCancelTaskStatus);

  ASSERT_EQ(dispatcher.calls.size(), 2u);
  EXPECT_EQ(dispatcher.calls[0].op, "post_task");
  EXPECT_EQ(dispatcher.calls[1].op, "cancel_task");
  for (const Call& call : dispatcher.calls) {
    EXPECT_EQ(call.dispatcher, &dispatcher);
    EXPECT_EQ(call.record, &task);
  }
}

TEST(OpsTest, QueuePacketForwardsTheReceiverAndData) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V1);
  async_receiver_t receiver = {{ASYNC_STATE_INIT}, nullptr};
  zx_packet_user_t data = {.u64 = {1, 2, 3, 4}};
  EXPECT_EQ(async_queue_packet(&dispatcher, &receiver, &data), kQueuePacketStatus);
  EXPECT_EQ(async_queue_packet(&dispatcher, &receiver, nullptr), kQueuePacketStatus);

  ASSERT_EQ(dispatcher.calls.size(), 2u);
  EXPECT_EQ(dispatcher.calls[0].op, "queue_packet");
  EXPECT_EQ(dispatcher.calls[0].dispatcher, &dispatcher);
  EXPECT_EQ(dispatcher.calls[0].record, &receiver);
  EXPECT_EQ(dispatcher.calls[0].data, &data);
  EXPECT_EQ(dispatcher.calls[1].data, nullptr);
}

TEST(OpsTest, SetGuestBellTrapForwardsEveryArgument) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V1);
  async_guest_bell_trap_t trap = {{ASYNC_STATE_INIT}, nullptr};
  EXPECT_EQ(async_set_guest_bell_trap(&dispatcher, &trap, 7, 0x1000, 0x2000), kSetTrapStatus);

  ASSERT_EQ(dispatcher.calls.size(), 1u);
  const Call& call = dispatcher.calls[0];
  EXPECT_EQ(call.op, "set_guest_bell_trap");
  EXPECT_EQ(call.dispatcher, &dispatcher);
  EXPECT_EQ(call.record, &trap);
  EXPECT_EQ(call.handle, 7u);
  EXPECT_EQ(call.addr, 0x1000u);
  EXPECT_EQ(call.length, 0x2000u);
}

// Calls the three exception wrappers with `exception` and expects each to return `expected`.
void CallExceptionWrappers(async_dispatcher_t* dispatcher, async_exception_t* exception,
                           zx_status_t bind_expected, zx_status_t unbind_expected,
                           zx_status_t resume_expected) {
  EXPECT_EQ(async_bind_exception_port(dispatcher, exception), bind_expected);
  EXPECT_EQ(async_unbind_exception_port(dispatcher, exception), unbind_expected);
  EXPECT_EQ(async_resume_from_exception(dispatcher, exception, 9, ZX_RESUME_TRY_NEXT),
            resume_expected);
}

TEST(OpsTest, ExceptionWrappersForwardOnAVersionTwoTable) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V2);
  async_exception_t exception = {{ASYNC_STATE_INIT}, nullptr, 5, 0};
  CallExceptionWrappers(&dispatcher, &exception, kBindStatus, kUnbindStatus, kResumeStatus);

  ASSERT_EQ(dispatcher.calls.size(), 3u);
  EXPECT_EQ(dispatcher.calls[0].op, "bind_exception_port");
  EXPECT_EQ(dispatcher.calls[1].op, "unbind_exception_port");
  EXPECT_EQ(dispatcher.calls[2].op, "resume_from_exception");
  for (const Call& call : dispatcher.calls) {
    EXPECT_EQ(call.dispatcher, &dispatcher);
    EXPECT_EQ(call.record, &exception);
  }
  EXPECT_EQ(dispatcher.calls[2].handle, 9u);
  EXPECT_EQ(dispatcher.calls[2].options, ZX_RESUME_TRY_NEXT);
}

// Versions only grow, so a table newer than version 2 still offers the version 2 operations.
TEST(OpsTest, ExceptionWrappersForwardOnALaterTable) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V2 + 1);
  async_exception_t exception = {{ASYNC_STATE_INIT}, nullptr, 5, 0};
  CallExceptionWrappers(&dispatcher, &exception, kBindStatus, kUnbindStatus, kResumeStatus);
  EXPECT_EQ(dispatcher.calls.size(), 3u);
}

TEST(OpsTest, ExceptionWrappersRefuseAVersionOneTableWithoutCallingIt) {
  RecordingDispatcher dispatcher(ASYNC_OPS_V1);
  async_exception_t exception = {{ASYNC_STATE_INIT}, nullptr, 5, 0};
  CallExceptionWrappers(&dispatcher, &exception, ZX_ERR_NOT_SUPPORTED, ZX_ERR_NOT_SUPPORTED,
                        ZX_ERR_NOT_SUPPORTED);
  EXPECT_TRUE(dispatcher.calls.empty());
}

}  // namespace
