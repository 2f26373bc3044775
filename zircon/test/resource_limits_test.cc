// Resource limits (issue #9): what each limit returns when it is reached, and that the process
// keeps working afterwards, shown each time by a follow-up operation. The port's packet limit,
// a million live handles and a full handle table, a thousand timers and a thousand loops, and
// Linux refusing to create threads.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async/cpp/task.h>
#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <threads.h>
#include <unistd.h>

#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/kernel/port.h"
#include "zircon/test/test_helpers.h"

#if defined(PORTLOOP_TSAN)
// The forked child of FailedThreadCreationGivesClearStatusesAndTheProcessKeepsWorking tries to
// start threads, which it is not allowed to: under ThreadSanitizer, a child of a process that
// ever had several threads would die at the attempt instead of seeing it fail.
extern "C" const char* __tsan_default_options() { return "die_after_fork=0"; }
#endif

namespace zircon_test {
namespace {

using zircon::kernel::HandleTable;
using zircon::kernel::Port;

// Zircon refuses a user packet once more than its maximum are queued, so one more fits.
constexpr size_t kPortCapacity = Port::kMaxQueuedPackets + 1;

// A million handles: a few seconds even under the sanitizers, so not scaled down.
constexpr size_t kManyHandles = 1'000'000;

// The follow-up operation that shows the process still works: a new event can be signaled and
// its signal observed.
void ExpectEventsStillWork() {
  OwnedHandle event = NewEvent();
  ASSERT_TRUE(event.is_valid());
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_EVENT_SIGNALED), ZX_OK);
  EXPECT_EQ(zx_object_wait_one(event.get(), ZX_EVENT_SIGNALED, 0, nullptr), ZX_OK);
}

// Queues user packets with keys 0, 1, ... until the port refuses one. Returns how many it took.
size_t FillPort(zx_handle_t port) {
  size_t queued = 0;
  for (;;) {
    zx_port_packet_t packet = UserPacket(queued);
    const zx_status_t status = zx_port_queue(port, &packet);
    if (status != ZX_OK) {
      EXPECT_EQ(status, ZX_ERR_SHOULD_WAIT);
      return queued;
    }
    ++queued;
  }
}

TEST(ResourceLimitsTest, PortRefusesUserPacketsPastItsLimitAndRecoversWhenDrained) {
  OwnedHandle port = NewPort();
  ASSERT_EQ(FillPort(port.get()), kPortCapacity);
  zx_port_packet_t refused = UserPacket(kPortCapacity);
  EXPECT_EQ(zx_port_queue(port.get(), &refused), ZX_ERR_SHOULD_WAIT);

  for (uint64_t key = 0; key < kPortCapacity; ++key) {
    ASSERT_EQ(TakePacket(port.get()).key, key);  // nothing lost, nothing reordered
  }
  EXPECT_TRUE(PortIsEmpty(port.get()));

  // Drained, it takes a full load again.
  EXPECT_EQ(FillPort(port.get()), kPortCapacity);
}

TEST(ResourceLimitsTest, SignalPacketsStillArriveAtAPortFullOfUserPackets) {
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  ASSERT_EQ(FillPort(port.get()), kPortCapacity);
  ASSERT_EQ(
      zx_object_wait_async(event.get(), port.get(), 7u, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_ONCE),
      ZX_OK);
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_EVENT_SIGNALED), ZX_OK);

  for (uint64_t key = 0; key < kPortCapacity; ++key) {
    ASSERT_EQ(TakePacket(port.get()).type, ZX_PKT_TYPE_USER);
  }
  const zx_port_packet_t signal = TakePacket(port.get());
  EXPECT_EQ(signal.key, 7u);
  EXPECT_EQ(signal.type, ZX_PKT_TYPE_SIGNAL_ONE);
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(ResourceLimitsTest, AMillionEventsCanBeLiveAtOnceAndAllClose) {
  std::vector<zx_handle_t> events(kManyHandles, ZX_HANDLE_INVALID);
  for (zx_handle_t& event : events) {
    ASSERT_EQ(zx_event_create(0u, &event), ZX_OK);
  }
  std::vector<zx_handle_t> sorted = events;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "a value twice";

  // The first and the last still name their events.
  ASSERT_EQ(zx_object_signal(events.front(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  ASSERT_EQ(zx_object_signal(events.back(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  for (zx_handle_t event : events) {
    ASSERT_EQ(zx_handle_close(event), ZX_OK);
  }
  EXPECT_FALSE(IsValidHandle(events.front()));
  EXPECT_FALSE(IsValidHandle(events.back()));
  ExpectEventsStillWork();
}

// Duplicates `handle` until the table refuses. Returns the duplicates and the refusal's status.
std::vector<zx_handle_t> FillHandleTable(zx_handle_t handle, zx_status_t* refusal) {
  std::vector<zx_handle_t> duplicates;
  duplicates.reserve(HandleTable::kMaxHandles);
  for (;;) {
    zx_handle_t duplicate = ZX_HANDLE_INVALID;
    *refusal = zx_handle_duplicate(handle, ZX_RIGHT_SAME_RIGHTS, &duplicate);
    if (*refusal != ZX_OK) {
      return duplicates;
    }
    duplicates.push_back(duplicate);
  }
}

TEST(ResourceLimitsTest, FullHandleTableReturnsNoResourcesAndRecovers) {
  OwnedHandle event = NewEvent();
  zx_status_t refusal = ZX_OK;
  std::vector<zx_handle_t> duplicates = FillHandleTable(event.get(), &refusal);
  EXPECT_EQ(refusal, ZX_ERR_NO_RESOURCES);
  // Every slot is taken: the duplicates, the event, and the few the process keeps (its own
  // handle, the test thread's).
  EXPECT_LE(duplicates.size(), HandleTable::kMaxHandles - 1);
  EXPECT_GE(duplicates.size(), HandleTable::kMaxHandles - 64);

  zx_handle_t out = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_event_create(0u, &out), ZX_ERR_NO_RESOURCES);
  // With one slot free, a pair needs two: refused, and the first end is not kept.
  ASSERT_EQ(zx_handle_close(duplicates.back()), ZX_OK);
  duplicates.pop_back();
  zx_handle_t out1 = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_channel_create(0u, &out, &out1), ZX_ERR_NO_RESOURCES);
  EXPECT_EQ(out, ZX_HANDLE_INVALID);
  EXPECT_EQ(out1, ZX_HANDLE_INVALID);
  ASSERT_EQ(zx_port_create(0u, &out), ZX_OK);  // the free slot is still there
  EXPECT_EQ(zx_handle_close(out), ZX_OK);

  EXPECT_EQ(zx_handle_close_many(duplicates.data(), duplicates.size()), ZX_OK);
  ExpectEventsStillWork();
}

// Returns how many of `timers` assert ZX_TIMER_SIGNALED before `deadline`, through one port.
size_t CountFiredTimers(const std::vector<OwnedHandle>& timers, zx_time_t deadline) {
  OwnedHandle port = NewPort();
  for (const OwnedHandle& timer : timers) {
    EXPECT_EQ(
        zx_object_wait_async(timer.get(), port.get(), 0u, ZX_TIMER_SIGNALED, ZX_WAIT_ASYNC_ONCE),
        ZX_OK);
  }
  size_t fired = 0;
  zx_port_packet_t packet;
  while (fired < timers.size() && zx_port_wait(port.get(), deadline, &packet) == ZX_OK) {
    ++fired;
  }
  return fired;
}

// Found by the zx fuzzer: cancelling a timer left it a stale place in the timer thread's queue,
// so that re-arming it dropped another timer, which then never fired.
TEST(ResourceLimitsTest, AThousandTimersAllFireWhenHalfWereCanceledAndRearmed) {
  constexpr size_t kTimers = 1000;
  std::vector<OwnedHandle> soon;
  std::vector<OwnedHandle> later;
  const zx_time_t due = zx_deadline_after(ZX_MSEC(20));
  for (size_t i = 0; i < kTimers; ++i) {
    OwnedHandle timer = NewTimer();
    ASSERT_EQ(zx_timer_set(timer.get(), due + static_cast<zx_duration_t>(i), 0), ZX_OK);
    (i % 2 == 0 ? soon : later).push_back(std::move(timer));
  }
  for (const OwnedHandle& timer : later) {
    ASSERT_EQ(zx_timer_cancel(timer.get()), ZX_OK);
  }
  for (const OwnedHandle& timer : later) {
    ASSERT_EQ(zx_timer_set(timer.get(), due, 0), ZX_OK);
  }

  EXPECT_EQ(CountFiredTimers(soon, GenerousDeadline()), soon.size());
  EXPECT_EQ(CountFiredTimers(later, GenerousDeadline()), later.size());
}

TEST(ResourceLimitsTest, AThousandLoopsEachRunATaskThenAreDestroyed) {
  constexpr size_t kLoops = 1000;
  std::vector<std::unique_ptr<async::Loop>> loops;
  size_t ran = 0;
  for (size_t i = 0; i < kLoops; ++i) {
    loops.push_back(std::make_unique<async::Loop>(&kAsyncLoopConfigNoAttachToThread));
    ASSERT_EQ(async::PostTask(loops.back()->dispatcher(), [&ran] { ++ran; }), ZX_OK);
    // A delayed task too, so that a thousand loop timers are armed at once.
    async::Loop* loop = loops.back().get();
    ASSERT_EQ(async::PostDelayedTask(
                  loop->dispatcher(), [loop] { loop->Quit(); }, zx::msec(1)),
              ZX_OK);
  }
  for (const auto& loop : loops) {
    EXPECT_EQ(loop->Run(zx::deadline_after(zx::sec(60))), ZX_ERR_CANCELED);  // quit by its task
  }
  EXPECT_EQ(ran, kLoops);
  loops.clear();

  async::Loop after(&kAsyncLoopConfigNoAttachToThread);
  bool after_ran = false;
  ASSERT_EQ(async::PostTask(after.dispatcher(), [&after_ran] { after_ran = true; }), ZX_OK);
  EXPECT_EQ(after.RunUntilIdle(), ZX_OK);
  EXPECT_TRUE(after_ran);
}

#if defined(__x86_64__)

// Makes every later attempt of this process to create a thread (or a process) fail with EAGAIN,
// as Linux does when the process or user limit is reached. Cannot be undone. A seccomp filter
// works whoever runs the test; RLIMIT_NPROC would not bind root. Returns false if the kernel
// refuses the filter.
bool ForbidNewThreads() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
  };
  sock_fprog program = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

// Records the first failed check of the forked child, which cannot use GoogleTest's.
class ChildChecks {
 public:
  void Check(bool condition, const char* what) {
    if (!condition && failure_ == nullptr) {
      failure_ = what;
    }
  }
  // The child's exit code: 0 if every check held.
  int ExitCode() const {
    if (failure_ == nullptr) {
      return 0;
    }
    std::fprintf(stderr, "child: failed: %s\n", failure_);
    return 1;
  }

 private:
  const char* failure_ = nullptr;
};

int NeverRuns(void*) { return 0; }

void CheckZxThreadStartFails(ChildChecks& checks) {
  static uint8_t stack[4096];
  zx_handle_t thread = ZX_HANDLE_INVALID;
  checks.Check(zx_thread_create(zx_process_self(), "t", 1u, 0u, &thread) == ZX_OK,
               "zx_thread_create");
  checks.Check(zx_thread_start(thread, reinterpret_cast<uintptr_t>(&NeverRuns),
                               reinterpret_cast<uintptr_t>(stack + sizeof(stack)), 0,
                               0) == ZX_ERR_NO_RESOURCES,
               "zx_thread_start returns ZX_ERR_NO_RESOURCES");
  zx_info_thread_t info = {};
  checks.Check(
      zx_object_get_info(thread, ZX_INFO_THREAD, &info, sizeof(info), nullptr, nullptr) == ZX_OK &&
          info.state == ZX_THREAD_STATE_NEW,
      "the thread that did not start is still new");
  checks.Check(zx_task_kill(thread) == ZX_OK, "zx_task_kill of the unstarted thread");
  checks.Check(zx_handle_close(thread) == ZX_OK, "closing the thread");
}

void CheckLoopThreadFails(ChildChecks& checks) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  checks.Check(loop.StartThread("refused") == ZX_ERR_NO_MEMORY,
               "async_loop_start_thread returns ZX_ERR_NO_MEMORY");
  bool ran = false;
  checks.Check(async::PostTask(loop.dispatcher(), [&ran] { ran = true; }) == ZX_OK, "PostTask");
  checks.Check(loop.RunUntilIdle() == ZX_OK && ran, "the loop runs its task on this thread");
}

// The forked child: every way to start a thread fails with its documented status, and then
// events, ports and loops still work. Returns the exit code.
int RunWithoutThreads() {
  if (!ForbidNewThreads()) {
    return 2;
  }
  ChildChecks checks;
  thrd_t thread;
  checks.Check(thrd_create_with_name(&thread, NeverRuns, nullptr, "refused") == thrd_error,
               "thrd_create_with_name returns thrd_error");
  CheckZxThreadStartFails(checks);
  CheckLoopThreadFails(checks);
  zx_handle_t event = ZX_HANDLE_INVALID;
  checks.Check(zx_event_create(0u, &event) == ZX_OK &&
                   zx_object_signal(event, 0u, ZX_EVENT_SIGNALED) == ZX_OK &&
                   zx_object_wait_one(event, ZX_EVENT_SIGNALED, 0, nullptr) == ZX_OK &&
                   zx_handle_close(event) == ZX_OK,
               "events still work");
  return checks.ExitCode();
}

TEST(ResourceLimitsTest, FailedThreadCreationGivesClearStatusesAndTheProcessKeepsWorking) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    _exit(RunWithoutThreads());  // no exit handlers: they belong to the parent
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died: status " << status;
  if (WEXITSTATUS(status) == 2) {
    GTEST_SKIP() << "the kernel refused the seccomp filter that makes thread creation fail";
  }
  EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
  ExpectEventsStillWork();  // and the parent was never affected
}

#endif  // defined(__x86_64__)

}  // namespace
}  // namespace zircon_test
