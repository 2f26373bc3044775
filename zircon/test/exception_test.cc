// Threads, the process object and exception ports: faults caught by the fault-signal handlers
// and delivered as ZX_EXCP_* packets, the search order, resuming, passing on, and every error.
//
// Under ThreadSanitizer the ExceptionTest tests are skipped: TSan intercepts and defers signals and
// does not follow a thread onto a stack it did not allocate, so fault handling cannot run under it.

#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zircon/test/test_helpers.h"

// Entry points for started threads: a breakpoint, then return; an undefined instruction.
extern "C" void excp_test_int3_entry();
extern "C" void excp_test_ud2_entry();
asm(R"(
  .text
  .globl excp_test_int3_entry
excp_test_int3_entry:
  int3
  ret
  .globl excp_test_ud2_entry
excp_test_ud2_entry:
  ud2
  ret
)");

namespace zircon_test {
namespace {

constexpr size_t kStackSize = 256 * 1024;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

// A stack for zx_thread_start, unmapped when destroyed.
class Stack {
 public:
  Stack() {
    base_ = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(base_, MAP_FAILED);
  }
  ~Stack() { munmap(base_, kStackSize); }
  uintptr_t top() const { return reinterpret_cast<uintptr_t>(base_) + kStackSize; }

 private:
  void* base_;
};

class ExceptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(PORTLOOP_TSAN)
    GTEST_SKIP() << "fault signals on foreign stacks cannot run under ThreadSanitizer";
#endif
  }
};

OwnedHandle NewPort() {
  OwnedHandle port;
  EXPECT_EQ(zx_port_create(0, port.reset_and_get_address()), ZX_OK);
  return port;
}

OwnedHandle NewThread() {
  OwnedHandle thread;
  EXPECT_EQ(zx_thread_create(zx_process_self(), "t", 1, 0, thread.reset_and_get_address()), ZX_OK);
  return thread;
}

zx_koid_t KoidOf(zx_handle_t handle) {
  zx_info_handle_basic_t info = {};
  EXPECT_EQ(zx_object_get_info(handle, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr),
            ZX_OK);
  return info.koid;
}

zx_info_thread_t ThreadInfo(zx_handle_t thread) {
  zx_info_thread_t info = {};
  EXPECT_EQ(zx_object_get_info(thread, ZX_INFO_THREAD, &info, sizeof(info), nullptr, nullptr),
            ZX_OK);
  return info;
}

zx_port_packet_t WaitPacket(zx_handle_t port) {
  zx_port_packet_t packet = {};
  EXPECT_EQ(zx_port_wait(port, GenerousDeadline(), &packet), ZX_OK);
  return packet;
}

void WaitTerminated(zx_handle_t thread) {
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, GenerousDeadline(), &observed), ZX_OK);
}

std::atomic<uintptr_t> g_sum{0};
void AddArgs(uintptr_t a, uintptr_t b) { g_sum.store(a + b); }

// Without faults or foreign stacks: run under every sanitizer.
TEST(ThreadObjectTest, SelfHandlesAreStableAndTyped) {
  const zx_handle_t process = zx_process_self();
  const zx_handle_t thread = zx_thread_self();
  EXPECT_EQ(zx_process_self(), process);
  EXPECT_EQ(zx_thread_self(), thread);
  zx_info_handle_basic_t info = {};
  ASSERT_EQ(
      zx_object_get_info(process, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr),
      ZX_OK);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_PROCESS);
  EXPECT_EQ(info.rights, ZX_DEFAULT_PROCESS_RIGHTS);
  ASSERT_EQ(zx_object_get_info(thread, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr),
            ZX_OK);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_THREAD);
  EXPECT_EQ(info.rights, ZX_DEFAULT_THREAD_RIGHTS);
  EXPECT_NE(KoidOf(process), KoidOf(thread));
  EXPECT_EQ(ThreadInfo(thread).state, ZX_THREAD_STATE_RUNNING);
  zx_info_process_t process_info = {};
  ASSERT_EQ(zx_object_get_info(process, ZX_INFO_PROCESS, &process_info, sizeof(process_info),
                               nullptr, nullptr),
            ZX_OK);
  EXPECT_TRUE(process_info.started);
  EXPECT_FALSE(process_info.exited);
  zx_exception_report_t report;
  EXPECT_EQ(zx_object_get_info(thread, ZX_INFO_THREAD_EXCEPTION_REPORT, &report, sizeof(report),
                               nullptr, nullptr),
            ZX_ERR_BAD_STATE);
}

TEST_F(ExceptionTest, StartedThreadRunsEntryWithArgsAndTerminates) {
  Stack stack;
  OwnedHandle thread = NewThread();
  EXPECT_EQ(ThreadInfo(thread.get()).state, ZX_THREAD_STATE_NEW);
  g_sum.store(0);
  ASSERT_EQ(
      zx_thread_start(thread.get(), reinterpret_cast<uintptr_t>(&AddArgs), stack.top(), 40, 2),
      ZX_OK);
  WaitTerminated(thread.get());
  EXPECT_EQ(g_sum.load(), 42u);
  EXPECT_EQ(ThreadInfo(thread.get()).state, ZX_THREAD_STATE_DEAD);
  EXPECT_EQ(zx_thread_start(thread.get(), 0, stack.top(), 0, 0), ZX_ERR_BAD_STATE);
}

TEST(ThreadObjectTest, ThreadCallErrors) {
  OwnedHandle event;
  ASSERT_EQ(zx_event_create(0, event.reset_and_get_address()), ZX_OK);
  zx_handle_t out;
  EXPECT_EQ(zx_thread_create(zx_process_self(), "t", 1, 1, &out), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_thread_create(event.get(), "t", 1, 0, &out), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_thread_create(ZX_HANDLE_INVALID, "t", 1, 0, &out), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_task_kill(event.get()), ZX_ERR_ACCESS_DENIED);  // events lack ZX_RIGHT_DESTROY
  OwnedHandle port = NewPort();
  EXPECT_EQ(zx_thread_start(port.get(), 0, 0, 0, 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_thread_create(port.get(), "t", 1, 0, &out), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_task_kill(port.get()), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_task_kill(zx_thread_self()), ZX_ERR_NOT_SUPPORTED);
  OwnedHandle thread = NewThread();
  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);  // never started: dead at once
  WaitTerminated(thread.get());
  Stack stack;
  EXPECT_EQ(zx_thread_start(thread.get(), 0, stack.top(), 0, 0), ZX_ERR_BAD_STATE);
}

TEST_F(ExceptionTest, BindAndResumeErrors) {
  OwnedHandle port = NewPort();
  OwnedHandle other_port = NewPort();
  OwnedHandle event;
  ASSERT_EQ(zx_event_create(0, event.reset_and_get_address()), ZX_OK);
  OwnedHandle thread = NewThread();
  const zx_handle_t process = zx_process_self();

  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 5), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, ZX_EXCEPTION_PORT_DEBUGGER),
            ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_task_bind_exception_port(event.get(), port.get(), 1, 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), event.get(), 1, 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_task_bind_exception_port(ZX_HANDLE_INVALID, port.get(), 1, 0), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), 12345, 1, 0), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), ZX_HANDLE_INVALID, 1, 0), ZX_ERR_BAD_STATE);
  EXPECT_EQ(zx_task_bind_exception_port(process, ZX_HANDLE_INVALID, 1, ZX_EXCEPTION_PORT_DEBUGGER),
            ZX_ERR_BAD_STATE);

  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), other_port.get(), 1, 0),
            ZX_ERR_ALREADY_BOUND);
  ASSERT_EQ(zx_task_bind_exception_port(process, port.get(), 2, ZX_EXCEPTION_PORT_DEBUGGER), ZX_OK);
  EXPECT_EQ(zx_task_bind_exception_port(process, port.get(), 2, ZX_EXCEPTION_PORT_DEBUGGER),
            ZX_ERR_ALREADY_BOUND);
  zx_info_process_t process_info = {};
  ASSERT_EQ(zx_object_get_info(process, ZX_INFO_PROCESS, &process_info, sizeof(process_info),
                               nullptr, nullptr),
            ZX_OK);
  EXPECT_TRUE(process_info.debugger_attached);
  EXPECT_EQ(zx_task_bind_exception_port(process, ZX_HANDLE_INVALID, 0, ZX_EXCEPTION_PORT_DEBUGGER),
            ZX_OK);

  EXPECT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), 0), ZX_ERR_BAD_STATE);
  EXPECT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), 7), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_task_resume_from_exception(process, port.get(), 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_task_resume_from_exception(thread.get(), event.get(), 0), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_task_resume_from_exception(ZX_HANDLE_INVALID, port.get(), 0), ZX_ERR_BAD_HANDLE);

  // A thread in an exception: answered only through its port, and only once.
  Stack stack;
  ASSERT_EQ(zx_thread_start(thread.get(), 0, stack.top(), 0, 0), ZX_OK);
  zx_port_packet_t packet = WaitPacket(port.get());
  EXPECT_EQ(packet.type, ZX_EXCP_FATAL_PAGE_FAULT);
  EXPECT_EQ(zx_task_resume_from_exception(thread.get(), other_port.get(), 0), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
  WaitTerminated(thread.get());
  EXPECT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), 0), ZX_ERR_BAD_STATE);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), ZX_HANDLE_INVALID, 0, 0), ZX_OK);
  EXPECT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_ERR_NOT_FOUND);
}

TEST_F(ExceptionTest, ZeroEntryGoesToThreadThenProcessPort) {
  OwnedHandle thread_port = NewPort();
  OwnedHandle process_port = NewPort();
  OwnedHandle thread = NewThread();
  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), thread_port.get(), 11, 0), ZX_OK);
  ASSERT_EQ(zx_task_bind_exception_port(zx_process_self(), process_port.get(), 22, 0), ZX_OK);
  Stack stack;
  ASSERT_EQ(zx_thread_start(thread.get(), 0, stack.top(), 0, 0), ZX_OK);

  zx_port_packet_t packet = WaitPacket(thread_port.get());
  EXPECT_EQ(packet.key, 11u);
  EXPECT_EQ(packet.type, ZX_EXCP_FATAL_PAGE_FAULT);
  EXPECT_EQ(packet.status, ZX_OK);
  EXPECT_EQ(packet.exception.pid, KoidOf(zx_process_self()));
  EXPECT_EQ(packet.exception.tid, KoidOf(thread.get()));
  zx_info_thread_t info = ThreadInfo(thread.get());
  EXPECT_EQ(info.state, ZX_THREAD_STATE_BLOCKED_EXCEPTION);
  EXPECT_EQ(info.wait_exception_port_type, ZX_EXCEPTION_PORT_TYPE_THREAD);
  zx_exception_report_t report = {};
  ASSERT_EQ(zx_object_get_info(thread.get(), ZX_INFO_THREAD_EXCEPTION_REPORT, &report,
                               sizeof(report), nullptr, nullptr),
            ZX_OK);
  EXPECT_EQ(report.header.size, sizeof(report));
  EXPECT_EQ(report.header.type, ZX_EXCP_FATAL_PAGE_FAULT);
  EXPECT_EQ(report.context.arch.u.x86_64.vector, 14u);  // #PF
  EXPECT_EQ(report.context.arch.u.x86_64.cr2, 0u);
  EXPECT_EQ(report.context.arch.u.x86_64.err_code & 0x10, 0x10u);  // instruction fetch

  ASSERT_EQ(zx_task_resume_from_exception(thread.get(), thread_port.get(), ZX_RESUME_TRY_NEXT),
            ZX_OK);
  packet = WaitPacket(process_port.get());
  EXPECT_EQ(packet.key, 22u);
  EXPECT_EQ(packet.type, ZX_EXCP_FATAL_PAGE_FAULT);
  EXPECT_EQ(packet.exception.tid, KoidOf(thread.get()));
  EXPECT_EQ(ThreadInfo(thread.get()).wait_exception_port_type, ZX_EXCEPTION_PORT_TYPE_PROCESS);

  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
  WaitTerminated(thread.get());
  EXPECT_EQ(zx_task_bind_exception_port(zx_process_self(), ZX_HANDLE_INVALID, 0, 0), ZX_OK);
}

TEST_F(ExceptionTest, DebuggerPortComesFirst) {
  OwnedHandle port = NewPort();
  OwnedHandle thread = NewThread();
  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
  ASSERT_EQ(
      zx_task_bind_exception_port(zx_process_self(), port.get(), 2, ZX_EXCEPTION_PORT_DEBUGGER),
      ZX_OK);
  Stack stack;
  ASSERT_EQ(zx_thread_start(thread.get(), 0, stack.top(), 0, 0), ZX_OK);
  EXPECT_EQ(WaitPacket(port.get()).key, 2u);
  EXPECT_EQ(ThreadInfo(thread.get()).wait_exception_port_type, ZX_EXCEPTION_PORT_TYPE_DEBUGGER);
  ASSERT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), ZX_RESUME_TRY_NEXT), ZX_OK);
  EXPECT_EQ(WaitPacket(port.get()).key, 1u);
  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
  WaitTerminated(thread.get());
  EXPECT_EQ(zx_task_bind_exception_port(zx_process_self(), ZX_HANDLE_INVALID, 0,
                                        ZX_EXCEPTION_PORT_DEBUGGER),
            ZX_OK);
}

TEST_F(ExceptionTest, BreakpointAndUndefinedInstructionTypes) {
  OwnedHandle port = NewPort();
  Stack stack;
  {
    OwnedHandle thread = NewThread();
    ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
    ASSERT_EQ(zx_thread_start(thread.get(), reinterpret_cast<uintptr_t>(&excp_test_int3_entry),
                              stack.top(), 0, 0),
              ZX_OK);
    EXPECT_EQ(WaitPacket(port.get()).type, ZX_EXCP_SW_BREAKPOINT);
    zx_exception_report_t report = {};
    ASSERT_EQ(zx_object_get_info(thread.get(), ZX_INFO_THREAD_EXCEPTION_REPORT, &report,
                                 sizeof(report), nullptr, nullptr),
              ZX_OK);
    EXPECT_EQ(report.context.arch.u.x86_64.vector, 3u);
    // The breakpoint does not run again: resuming continues after it, and the entry returns.
    ASSERT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), 0), ZX_OK);
    WaitTerminated(thread.get());
  }
  {
    OwnedHandle thread = NewThread();
    ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
    ASSERT_EQ(zx_thread_start(thread.get(), reinterpret_cast<uintptr_t>(&excp_test_ud2_entry),
                              stack.top(), 0, 0),
              ZX_OK);
    EXPECT_EQ(WaitPacket(port.get()).type, ZX_EXCP_UNDEFINED_INSTRUCTION);
    zx_exception_report_t report = {};
    ASSERT_EQ(zx_object_get_info(thread.get(), ZX_INFO_THREAD_EXCEPTION_REPORT, &report,
                                 sizeof(report), nullptr, nullptr),
              ZX_OK);
    EXPECT_EQ(report.context.arch.u.x86_64.vector, 6u);  // #UD
    EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
    WaitTerminated(thread.get());
  }
}

// Writes `value` to the int at `address` (a guard page the test unprotects on the fault).
void WriteThrough(uintptr_t address, uintptr_t value) {
  *reinterpret_cast<volatile int*>(address) = static_cast<int>(value);
}

TEST_F(ExceptionTest, ResumeAfterFixingTheCauseFinishesTheThread) {
  const long page = sysconf(_SC_PAGESIZE);
  void* guard = mmap(nullptr, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(guard, MAP_FAILED);
  OwnedHandle port = NewPort();
  OwnedHandle thread = NewThread();
  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
  Stack stack;
  ASSERT_EQ(zx_thread_start(thread.get(), reinterpret_cast<uintptr_t>(&WriteThrough), stack.top(),
                            reinterpret_cast<uintptr_t>(guard), 77),
            ZX_OK);
  EXPECT_EQ(WaitPacket(port.get()).type, ZX_EXCP_FATAL_PAGE_FAULT);
  zx_exception_report_t report = {};
  ASSERT_EQ(zx_object_get_info(thread.get(), ZX_INFO_THREAD_EXCEPTION_REPORT, &report,
                               sizeof(report), nullptr, nullptr),
            ZX_OK);
  EXPECT_EQ(report.context.arch.u.x86_64.cr2, reinterpret_cast<uintptr_t>(guard));
  EXPECT_EQ(report.context.arch.u.x86_64.err_code & 0x2, 0x2u);  // a write
  ASSERT_EQ(mprotect(guard, page, PROT_READ | PROT_WRITE), 0);
  ASSERT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), 0), ZX_OK);
  WaitTerminated(thread.get());
  EXPECT_EQ(*static_cast<int*>(guard), 77);
  munmap(guard, page);
}

TEST_F(ExceptionTest, UnbindingOrClosingThePortPassesTheExceptionOn) {
  OwnedHandle thread_port = NewPort();
  OwnedHandle process_port = NewPort();
  OwnedHandle thread = NewThread();
  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), thread_port.get(), 1, 0), ZX_OK);
  ASSERT_EQ(zx_task_bind_exception_port(zx_process_self(), process_port.get(), 2, 0), ZX_OK);
  Stack stack;
  ASSERT_EQ(zx_thread_start(thread.get(), 0, stack.top(), 0, 0), ZX_OK);
  EXPECT_EQ(WaitPacket(thread_port.get()).key, 1u);
  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), ZX_HANDLE_INVALID, 0, 0), ZX_OK);
  EXPECT_EQ(WaitPacket(process_port.get()).key, 2u);
  EXPECT_EQ(zx_task_resume_from_exception(thread.get(), thread_port.get(), 0),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
  WaitTerminated(thread.get());

  // Closing a thread's port while the thread waits on it: the binding goes too, and the
  // exception moves on to the process port.
  OwnedHandle second = NewThread();
  OwnedHandle second_port = NewPort();
  ASSERT_EQ(zx_task_bind_exception_port(second.get(), second_port.get(), 4, 0), ZX_OK);
  ASSERT_EQ(zx_thread_start(second.get(), 0, stack.top(), 0, 0), ZX_OK);
  EXPECT_EQ(WaitPacket(second_port.get()).key, 4u);
  second_port.reset();
  EXPECT_EQ(WaitPacket(process_port.get()).key, 2u);
  EXPECT_EQ(zx_task_bind_exception_port(second.get(), ZX_HANDLE_INVALID, 0, 0), ZX_ERR_BAD_STATE);
  EXPECT_EQ(zx_task_kill(second.get()), ZX_OK);
  WaitTerminated(second.get());
  EXPECT_EQ(zx_task_bind_exception_port(zx_process_self(), ZX_HANDLE_INVALID, 0, 0), ZX_OK);
}

// Runs `child` in a forked child and returns its wait status.
template <typename Child>
int RunInChild(Child child) {
  const pid_t pid = fork();
  if (pid == 0) {
    child();
    _exit(0);
  }
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return status;
}

// In a child: a fault at address 0 on a started thread, offered to the process port and passed
// on from there.
void FaultPassedOnInChild() {
  zx_handle_t port;
  zx_port_create(0, &port);
  zx_handle_t thread;
  zx_thread_create(zx_process_self(), "c", 1, 0, &thread);
  zx_task_bind_exception_port(zx_process_self(), port, 1, 0);
  void* stack =
      mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  zx_thread_start(thread, 0, reinterpret_cast<uintptr_t>(stack) + kStackSize, 0, 0);
  zx_port_packet_t packet;
  if (zx_port_wait(port, zx_deadline_after(ZX_SEC(30)), &packet) != ZX_OK ||
      packet.type != ZX_EXCP_FATAL_PAGE_FAULT) {
    _exit(3);
  }
  zx_task_resume_from_exception(thread, port, ZX_RESUME_TRY_NEXT);
  zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(30)), nullptr);
  _exit(4);  // not reached: the fault ends the process
}

TEST_F(ExceptionTest, UnhandledFaultKillsTheProcessWithTheUsualSignal) {
  const int status = RunInChild(FaultPassedOnInChild);
  if (kAsan) {
    // AddressSanitizer's own SEGV handler was installed first: it is chained to and reports.
    EXPECT_FALSE(WIFEXITED(status) && (WEXITSTATUS(status) == 3 || WEXITSTATUS(status) == 4))
        << status;
  } else {
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
  }
}

void ExitFromHandler(int) { _exit(42); }

TEST_F(ExceptionTest, PassedOnFaultReachesTheHandlerInstalledBefore) {
  const int status = RunInChild([] {
    struct sigaction action = {};
    action.sa_handler = ExitFromHandler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, nullptr);
    FaultPassedOnInChild();
  });
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 42);
}

TEST_F(ExceptionTest, UnhandledBreakpointKillsWithSigtrap) {
  const int status = RunInChild([] {
    zx_handle_t port;
    zx_port_create(0, &port);
    zx_handle_t thread = zx_thread_self();
    zx_task_bind_exception_port(thread, port, 1, 0);
    // Answered by nobody on this thread: a second thread answers TRY_NEXT.
    std::atomic<bool> done{false};
    pthread_t helper;
    struct Args {
      zx_handle_t port;
      zx_handle_t thread;
    };
    static Args args;
    args = {port, thread};
    pthread_create(
        &helper, nullptr,
        [](void*) -> void* {
          zx_port_packet_t packet;
          if (zx_port_wait(args.port, zx_deadline_after(ZX_SEC(30)), &packet) == ZX_OK &&
              packet.type == ZX_EXCP_SW_BREAKPOINT) {
            zx_task_resume_from_exception(args.thread, args.port, ZX_RESUME_TRY_NEXT);
          }
          return nullptr;
        },
        nullptr);
    __asm__ volatile("int3");
    done.store(true);
    _exit(5);
  });
  if (!kAsan) {
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), SIGTRAP);
  } else {
    EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 5) << status;
  }
}

// Entry for the latency figure: `count` breakpoints, each stamped just before it runs.
std::atomic<zx_time_t> g_fault_time{0};
void StampedBreakpoints(uintptr_t count, uintptr_t) {
  for (uintptr_t i = 0; i < count; ++i) {
    g_fault_time.store(zx_clock_get_monotonic());
    __asm__ volatile("int3");
  }
}

TEST_F(ExceptionTest, FaultToPacketLatency) {
  constexpr int kRounds = 200;
  OwnedHandle port = NewPort();
  OwnedHandle thread = NewThread();
  ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
  Stack stack;
  ASSERT_EQ(zx_thread_start(thread.get(), reinterpret_cast<uintptr_t>(&StampedBreakpoints),
                            stack.top(), kRounds, 0),
            ZX_OK);
  std::vector<zx_duration_t> latencies;
  for (int i = 0; i < kRounds; ++i) {
    zx_port_packet_t packet = WaitPacket(port.get());
    latencies.push_back(zx_clock_get_monotonic() - g_fault_time.load());
    ASSERT_EQ(packet.type, ZX_EXCP_SW_BREAKPOINT);
    ASSERT_EQ(zx_task_resume_from_exception(thread.get(), port.get(), 0), ZX_OK);
  }
  WaitTerminated(thread.get());
  std::sort(latencies.begin(), latencies.end());
  std::printf("fault-to-packet latency over %d faults: median %ld ns, p90 %ld ns\n", kRounds,
              static_cast<long>(latencies[kRounds / 2]),
              static_cast<long>(latencies[kRounds * 9 / 10]));
}

}  // namespace
}  // namespace zircon_test
