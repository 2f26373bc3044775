// zx_task_kill of threads: running threads that zx_thread_start started end wherever they are
// (in their own code, asleep in a wait, or inside a call, where the kill waits for the call),
// assert ZX_THREAD_TERMINATED, and leave every object they used working; adopted threads cannot
// be killed.
//
// Under ThreadSanitizer the ThreadKillTest tests are skipped: TSan does not follow a thread onto
// a stack it did not allocate (zx_thread_start's), and it holds a signal back until the thread
// next enters one of its interceptors, so a thread spinning in its own code never receives the
// kill signal (tried: the spinning test times out and TSan reports races on the foreign stack).

#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <atomic>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mman.h>

#include "zircon/test/fd_test_helpers.h"
#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr size_t kStackSize = 256 * 1024;

// A stack for zx_thread_start, unmapped when destroyed.
class Stack {
 public:
  Stack() {
    base_ = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(base_, MAP_FAILED);
  }
  ~Stack() { munmap(base_, kStackSize); }
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  uintptr_t top() const { return reinterpret_cast<uintptr_t>(base_) + kStackSize; }

 private:
  void* base_;
};

// What an entry point reports: how far it got.
struct Progress {
  std::atomic<uint64_t> steps{0};
  std::atomic<bool> returned{false};  // set after the call the thread is killed in
};

// The objects an entry point works with, and its progress.
struct EntryArgs {
  zx_handle_t port = ZX_HANDLE_INVALID;
  zx_handle_t object = ZX_HANDLE_INVALID;
  Progress progress;
};

using Entry = void (*)(uintptr_t, uintptr_t);

class ThreadKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(PORTLOOP_TSAN)
    GTEST_SKIP() << "ThreadSanitizer holds signals back until its next interceptor and does not "
                    "follow zx_thread_start onto its stack";
#endif
    stack_ = std::make_unique<Stack>();
  }

  // Creates and starts a thread running `entry(&args, 0)` on this test's stack.
  OwnedHandle Start(Entry entry, EntryArgs* args) {
    OwnedHandle thread;
    EXPECT_EQ(zx_thread_create(zx_process_self(), "k", 1, 0, thread.reset_and_get_address()),
              ZX_OK);
    EXPECT_EQ(zx_thread_start(thread.get(), reinterpret_cast<uintptr_t>(entry), stack_->top(),
                              reinterpret_cast<uintptr_t>(args), 0),
              ZX_OK);
    return thread;
  }

  // Waits (yielding, bounded by GenerousDeadline) until `progress` made `steps` steps.
  static void AwaitSteps(const Progress& progress, uint64_t steps) {
    const zx_time_t deadline = GenerousDeadline();
    while (progress.steps.load() < steps && zx_clock_get_monotonic() < deadline) {
      sched_yield();
    }
    ASSERT_GE(progress.steps.load(), steps);
  }

  // Kills `thread`, waits until it has ended, and checks that it is dead.
  static void KillAndAwaitDeath(zx_handle_t thread) {
    ASSERT_EQ(zx_task_kill(thread), ZX_OK);
    ASSERT_EQ(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, GenerousDeadline(), nullptr), ZX_OK);
    zx_info_thread_t info = {};
    ASSERT_EQ(zx_object_get_info(thread, ZX_INFO_THREAD, &info, sizeof(info), nullptr, nullptr),
              ZX_OK);
    EXPECT_EQ(info.state, ZX_THREAD_STATE_DEAD);
  }

  std::unique_ptr<Stack> stack_;
};

zx_port_packet_t UserPacket(uint64_t key) {
  zx_port_packet_t packet = {};
  packet.key = key;
  packet.type = ZX_PKT_TYPE_USER;
  return packet;
}

// Checks that `port` still queues and hands out packets, from this thread, and empties it.
void ExpectPortWorks(zx_handle_t port) {
  zx_port_packet_t packet = UserPacket(77);
  ASSERT_EQ(zx_port_queue(port, &packet), ZX_OK);
  bool found = false;
  while (zx_port_wait(port, found ? 0 : GenerousDeadline(), &packet) == ZX_OK) {
    found = found || packet.key == 77;
  }
  EXPECT_TRUE(found);
}

// Checks that `event` still takes and reports signals, and clears them again.
void ExpectEventWorks(zx_handle_t event) {
  ASSERT_EQ(zx_object_signal(event, 0, ZX_USER_SIGNAL_1), ZX_OK);
  zx_signals_t observed = 0;
  ASSERT_EQ(zx_object_wait_one(event, ZX_USER_SIGNAL_1, GenerousDeadline(), &observed), ZX_OK);
  EXPECT_NE(observed & ZX_USER_SIGNAL_1, 0u);
  ASSERT_EQ(zx_object_signal(event, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1, 0), ZX_OK);
}

void Spin(uintptr_t raw_args, uintptr_t) {
  auto* args = reinterpret_cast<EntryArgs*>(raw_args);
  for (;;) {
    args->progress.steps.fetch_add(1, std::memory_order_relaxed);
  }
}

void WaitOnPortForever(uintptr_t raw_args, uintptr_t) {
  auto* args = reinterpret_cast<EntryArgs*>(raw_args);
  args->progress.steps.fetch_add(1);
  zx_port_packet_t packet;
  (void)zx_port_wait(args->port, ZX_TIME_INFINITE, &packet);
  args->progress.returned.store(true);
}

void WaitOnObjectForever(uintptr_t raw_args, uintptr_t) {
  auto* args = reinterpret_cast<EntryArgs*>(raw_args);
  args->progress.steps.fetch_add(1);
  (void)zx_object_wait_one(args->object, ZX_USER_SIGNAL_0 | ZX_LINUX_FD_READABLE, ZX_TIME_INFINITE,
                           nullptr);
  args->progress.returned.store(true);
}

void SleepForever(uintptr_t raw_args, uintptr_t) {
  auto* args = reinterpret_cast<EntryArgs*>(raw_args);
  args->progress.steps.fetch_add(1);
  (void)zx_nanosleep(ZX_TIME_INFINITE);
  args->progress.returned.store(true);
}

// Signals the event and queues and takes packets in a loop, so a kill often lands in the kernel.
void Hammer(uintptr_t raw_args, uintptr_t) {
  auto* args = reinterpret_cast<EntryArgs*>(raw_args);
  const zx_port_packet_t packet = UserPacket(1);
  for (;;) {
    (void)zx_object_signal(args->object, 0, ZX_USER_SIGNAL_0);
    (void)zx_port_queue(args->port, &packet);
    (void)zx_object_signal(args->object, ZX_USER_SIGNAL_0, 0);
    zx_port_packet_t taken;
    (void)zx_port_wait(args->port, 0, &taken);
    args->progress.steps.fetch_add(1, std::memory_order_relaxed);
  }
}

void KillSelf(uintptr_t raw_args, uintptr_t) {
  auto* args = reinterpret_cast<EntryArgs*>(raw_args);
  (void)zx_task_kill(zx_thread_self());
  args->progress.returned.store(true);
}

TEST_F(ThreadKillTest, SpinningThreadEnds) {
  EntryArgs args;
  OwnedHandle thread = Start(&Spin, &args);
  AwaitSteps(args.progress, 1000);
  KillAndAwaitDeath(thread.get());
}

TEST_F(ThreadKillTest, KillingTwiceAndKillingTheDeadSucceed) {
  EntryArgs args;
  OwnedHandle thread = Start(&Spin, &args);
  AwaitSteps(args.progress, 1);
  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
  KillAndAwaitDeath(thread.get());
  EXPECT_EQ(zx_task_kill(thread.get()), ZX_OK);
}

TEST_F(ThreadKillTest, ThreadKilledJustAfterStartEnds) {
  for (int i = 0; i < 50; ++i) {
    EntryArgs args;
    OwnedHandle thread = Start(&Spin, &args);
    KillAndAwaitDeath(thread.get());
  }
}

TEST_F(ThreadKillTest, ThreadKillingItselfDoesNotReturn) {
  EntryArgs args;
  OwnedHandle thread = Start(&KillSelf, &args);
  ASSERT_EQ(zx_object_wait_one(thread.get(), ZX_THREAD_TERMINATED, GenerousDeadline(), nullptr),
            ZX_OK);
  EXPECT_FALSE(args.progress.returned.load());
  KillAndAwaitDeath(thread.get());
}

TEST_F(ThreadKillTest, ThreadAsleepInNanosleepEnds) {
  EntryArgs args;
  OwnedHandle thread = Start(&SleepForever, &args);
  AwaitSteps(args.progress, 1);
  KillAndAwaitDeath(thread.get());
  EXPECT_FALSE(args.progress.returned.load());
}

// Repeated, so that kills land both before the thread sleeps and while it sleeps.
TEST_F(ThreadKillTest, ThreadBlockedInPortWaitEndsAndTakesNoPacket) {
  OwnedHandle port = NewPort();
  for (int i = 0; i < 20; ++i) {
    EntryArgs args;
    args.port = port.get();
    OwnedHandle thread = Start(&WaitOnPortForever, &args);
    AwaitSteps(args.progress, 1);
    KillAndAwaitDeath(thread.get());
    EXPECT_FALSE(args.progress.returned.load());
    ExpectPortWorks(port.get());
  }
}

TEST_F(ThreadKillTest, OtherPortWaiterStillGetsThePacket) {
  OwnedHandle port = NewPort();
  zx_port_packet_t received = {};
  std::thread other(
      [&] { EXPECT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &received), ZX_OK); });
  EntryArgs args;
  args.port = port.get();
  OwnedHandle thread = Start(&WaitOnPortForever, &args);
  AwaitSteps(args.progress, 1);
  KillAndAwaitDeath(thread.get());
  const zx_port_packet_t packet = UserPacket(5);
  ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  other.join();
  EXPECT_EQ(received.key, 5u);
}

// The port polls an fd (it has a wait on one), so the thread sleeps in epoll.
TEST_F(ThreadKillTest, ThreadBlockedInPortWaitOnFdsEnds) {
  OwnedFd read_end, write_end;
  NewPipe(&read_end, &write_end);
  OwnedHandle fd = NewFdHandle(read_end.get());
  OwnedHandle port = NewPort();
  WaitAsyncOn(fd.get(), port.get(), 9, ZX_LINUX_FD_READABLE);
  for (int i = 0; i < 10; ++i) {
    EntryArgs args;
    args.port = port.get();
    OwnedHandle thread = Start(&WaitOnPortForever, &args);
    AwaitSteps(args.progress, 1);
    KillAndAwaitDeath(thread.get());
    EXPECT_FALSE(args.progress.returned.load());
  }
  WriteBytes(write_end.get());
  EXPECT_EQ(AwaitPacket(port.get()).key, 9u);
}

// After each kill the stack is unmapped before the object is signalled: an observer of the dead
// thread still registered would touch it and crash the test.
TEST_F(ThreadKillTest, ThreadBlockedInWaitOneEndsAndLeavesNoObserver) {
  OwnedHandle event = NewEvent();
  for (int i = 0; i < 20; ++i) {
    EntryArgs args;
    args.object = event.get();
    OwnedHandle thread = Start(&WaitOnObjectForever, &args);
    AwaitSteps(args.progress, 1);
    KillAndAwaitDeath(thread.get());
    EXPECT_FALSE(args.progress.returned.load());
    stack_ = std::make_unique<Stack>();
    ExpectEventWorks(event.get());
  }
}

// A wait on an fd sleeps in poll(2).
TEST_F(ThreadKillTest, ThreadBlockedInWaitOneOnAnFdEnds) {
  OwnedFd read_end, write_end;
  NewPipe(&read_end, &write_end);
  OwnedHandle fd = NewFdHandle(read_end.get());
  for (int i = 0; i < 10; ++i) {
    EntryArgs args;
    args.object = fd.get();
    OwnedHandle thread = Start(&WaitOnObjectForever, &args);
    AwaitSteps(args.progress, 1);
    KillAndAwaitDeath(thread.get());
    EXPECT_FALSE(args.progress.returned.load());
    stack_ = std::make_unique<Stack>();
  }
  WriteBytes(write_end.get());
  EXPECT_EQ(zx_object_wait_one(fd.get(), ZX_LINUX_FD_READABLE, GenerousDeadline(), nullptr), ZX_OK);
}

// Kills land at varying points of a loop of calls, mostly inside the kernel; afterwards another
// thread uses the same port and event (a lock left held would hang it, a reference or packet
// left behind would be reported by LeakSanitizer).
TEST_F(ThreadKillTest, KillsInsideCallsLeaveTheObjectsWorking) {
  constexpr int kRounds = 200;
  OwnedHandle port = NewPort();
  OwnedHandle event = NewEvent();
  for (int i = 0; i < kRounds; ++i) {
    EntryArgs args;
    args.port = port.get();
    args.object = event.get();
    OwnedHandle thread = Start(&Hammer, &args);
    AwaitSteps(args.progress, 1 + static_cast<uint64_t>(i % 13) * 7);
    KillAndAwaitDeath(thread.get());
    ExpectEventWorks(event.get());
    ExpectPortWorks(port.get());
  }
}

// The entry point is address 0: the thread faults at once, and the kill races the fault on its
// way to the exception port (before the fault, while posted, or once reported).
TEST_F(ThreadKillTest, KillRacingAFaultEndsTheThread) {
  OwnedHandle port = NewPort();
  for (int i = 0; i < 50; ++i) {
    OwnedHandle thread;
    ASSERT_EQ(zx_thread_create(zx_process_self(), "f", 1, 0, thread.reset_and_get_address()),
              ZX_OK);
    ASSERT_EQ(zx_task_bind_exception_port(thread.get(), port.get(), 1, 0), ZX_OK);
    ASSERT_EQ(zx_thread_start(thread.get(), 0, stack_->top(), 0, 0), ZX_OK);
    if (i % 2 == 1) {
      zx_port_packet_t packet;
      ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK);  // parked
    }
    KillAndAwaitDeath(thread.get());
    zx_port_packet_t packet;
    while (zx_port_wait(port.get(), 0, &packet) == ZX_OK) {
    }
  }
}

TEST(ThreadKillAdoptedTest, AdoptedThreadCannotBeKilled) {
  OwnedHandle event = NewEvent();
  OwnedHandle adopted;
  std::atomic<bool> ready{false};
  std::thread other([&] {
    EXPECT_EQ(zx_handle_duplicate(zx_thread_self(), ZX_RIGHT_SAME_RIGHTS,
                                  adopted.reset_and_get_address()),
              ZX_OK);
    ready.store(true);
    EXPECT_EQ(zx_object_wait_one(event.get(), ZX_USER_SIGNAL_0, GenerousDeadline(), nullptr),
              ZX_OK);
  });
  while (!ready.load()) {
    sched_yield();
  }
  EXPECT_EQ(zx_task_kill(adopted.get()), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(zx_task_kill(zx_thread_self()), ZX_ERR_NOT_SUPPORTED);
  ASSERT_EQ(zx_object_signal(event.get(), 0, ZX_USER_SIGNAL_0), ZX_OK);
  other.join();
  EXPECT_EQ(zx_object_wait_one(adopted.get(), ZX_THREAD_TERMINATED, GenerousDeadline(), nullptr),
            ZX_OK);
}

}  // namespace
}  // namespace zircon_test
