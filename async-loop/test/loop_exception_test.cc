// Exceptions on the loop: faults of real threads delivered to async::Exception handlers, handled
// concurrently on several loop threads, and cancelled (and unbound) at shutdown.
//
// The delivery tests are skipped under ThreadSanitizer: TSan defers signals and cannot follow a
// thread onto a stack it did not allocate, so fault delivery cannot run under it.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/exception.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr size_t kStackSize = 128 * 1024;

// Writes `value` to the int at `address`: a guard page that the handler unprotects.
void WriteThrough(uintptr_t address, uintptr_t value) {
  *reinterpret_cast<volatile int*>(address) = static_cast<int>(value);
}

zx_koid_t KoidOf(zx_handle_t handle) {
  zx_info_handle_basic_t info = {};
  zx_object_get_info(handle, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr);
  return info.koid;
}

class LoopExceptionDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(PORTLOOP_TSAN)
    GTEST_SKIP() << "fault signals on foreign stacks cannot run under ThreadSanitizer";
#endif
  }
};

// 10 threads fault on their own guard pages at once; 4 loop threads map the pages and resume.
TEST_F(LoopExceptionDeliveryTest, TenCrashingThreadsAreHandledByFourLoopThreads) {
  constexpr int kThreads = 10;
  const long page = sysconf(_SC_PAGESIZE);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  std::mutex mutex;
  std::map<zx_koid_t, zx_handle_t> threads_by_koid;
  std::atomic<int> handled{0};
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  async::Exception exception(
      zx_process_self(), 0,
      [&](async_dispatcher_t*, async::Exception* self, zx_status_t status,
          const zx_port_packet_t* report) {
        ASSERT_EQ(status, ZX_OK);
        ASSERT_EQ(report->type, ZX_EXCP_FATAL_PAGE_FAULT);
        const int now = running.fetch_add(1) + 1;
        int seen = most_running.load();
        while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
        }
        zx_handle_t thread;
        {
          std::lock_guard<std::mutex> lock(mutex);
          thread = threads_by_koid.at(report->exception.tid);
        }
        zx_exception_report_t details = {};
        ASSERT_EQ(zx_object_get_info(thread, ZX_INFO_THREAD_EXCEPTION_REPORT, &details,
                                     sizeof(details), nullptr, nullptr),
                  ZX_OK);
        const uintptr_t address = details.context.arch.u.x86_64.cr2;
        usleep(2000);  // long enough for the other loop threads to take packets meanwhile
        ASSERT_EQ(
            mprotect(reinterpret_cast<void*>(address & ~(page - 1)), page, PROT_READ | PROT_WRITE),
            0);
        running.fetch_sub(1);
        handled.fetch_add(1);
        EXPECT_EQ(self->Resume(thread, 0), ZX_OK);
      });
  ASSERT_EQ(exception.Bind(loop.dispatcher()), ZX_OK);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(loop.StartThread(), ZX_OK);
  }

  std::vector<void*> pages;
  std::vector<void*> stacks;
  std::vector<zx_handle_t> threads;
  for (int i = 0; i < kThreads; ++i) {
    pages.push_back(mmap(nullptr, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    stacks.push_back(
        mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    zx_handle_t thread;
    ASSERT_EQ(zx_thread_create(zx_process_self(), "crash", 5, 0, &thread), ZX_OK);
    {
      std::lock_guard<std::mutex> lock(mutex);
      threads_by_koid[KoidOf(thread)] = thread;
    }
    threads.push_back(thread);
  }
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_EQ(zx_thread_start(threads[i], reinterpret_cast<uintptr_t>(&WriteThrough),
                              reinterpret_cast<uintptr_t>(stacks[i]) + kStackSize,
                              reinterpret_cast<uintptr_t>(pages[i]), 100 + i),
              ZX_OK);
  }
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(zx_object_wait_one(threads[i], ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(60)),
                                 nullptr),
              ZX_OK);
    EXPECT_EQ(*static_cast<int*>(pages[i]), 100 + i);
  }
  EXPECT_EQ(handled.load(), kThreads);
  EXPECT_GT(most_running.load(), 1);  // handlers overlapped on several loop threads
  EXPECT_EQ(exception.Unbind(), ZX_OK);
  loop.Shutdown();
  for (int i = 0; i < kThreads; ++i) {
    zx_handle_close(threads[i]);
    munmap(pages[i], page);
    munmap(stacks[i], kStackSize);
  }
}

// A crash reporter: reads the faulting address, then passes the fault on to the next port.
TEST_F(LoopExceptionDeliveryTest, TryNextFromTheThreadHandlerReachesTheProcessHandler) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  zx_handle_t thread;
  ASSERT_EQ(zx_thread_create(zx_process_self(), "t", 1, 0, &thread), ZX_OK);
  std::vector<int> order;
  async::Exception thread_exception(thread, 0,
                                    [&](async_dispatcher_t*, async::Exception* self,
                                        zx_status_t status, const zx_port_packet_t* report) {
                                      if (status == ZX_ERR_CANCELED) {
                                        return;  // the shutdown at the end
                                      }
                                      EXPECT_EQ(report->type, ZX_EXCP_FATAL_PAGE_FAULT);
                                      order.push_back(1);
                                      EXPECT_EQ(self->Resume(thread, ZX_RESUME_TRY_NEXT), ZX_OK);
                                    });
  async::Exception process_exception(
      zx_process_self(), 0,
      [&](async_dispatcher_t*, async::Exception*, zx_status_t status, const zx_port_packet_t*) {
        if (status == ZX_ERR_CANCELED) {
          return;  // the shutdown at the end
        }
        order.push_back(2);
        EXPECT_EQ(zx_task_kill(thread), ZX_OK);
        loop.Quit();
      });
  ASSERT_EQ(thread_exception.Bind(loop.dispatcher()), ZX_OK);
  ASSERT_EQ(process_exception.Bind(loop.dispatcher()), ZX_OK);
  void* stack =
      mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_EQ(zx_thread_start(thread, 0, reinterpret_cast<uintptr_t>(stack) + kStackSize, 0, 0),
            ZX_OK);
  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(
      zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(60)), nullptr),
      ZX_OK);
  loop.Shutdown();
  // After the cancellation the objects are still bound in their own eyes (see async::Exception).
  EXPECT_EQ(thread_exception.Unbind(), ZX_ERR_NOT_FOUND);
  EXPECT_EQ(process_exception.Unbind(), ZX_ERR_NOT_FOUND);
  zx_handle_close(thread);
  munmap(stack, kStackSize);
}

// No fault: runs under every sanitizer.
TEST(LoopExceptionBindingTest, ShutdownCancelsAndUnbindsBoundExceptions) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  zx_status_t seen = ZX_OK;
  async::Exception exception(zx_process_self(), ZX_EXCEPTION_PORT_DEBUGGER,
                             [&](async_dispatcher_t*, async::Exception*, zx_status_t status,
                                 const zx_port_packet_t* report) {
                               seen = status;
                               EXPECT_EQ(report, nullptr);
                             });
  ASSERT_EQ(exception.Bind(loop.dispatcher()), ZX_OK);
  loop.Shutdown();
  EXPECT_EQ(seen, ZX_ERR_CANCELED);
  EXPECT_EQ(exception.Unbind(), ZX_ERR_NOT_FOUND);
  // The slot is free again: a thread faulting now would not wait on the dead loop's port.
  EXPECT_EQ(zx_task_bind_exception_port(zx_process_self(), ZX_HANDLE_INVALID, 0,
                                        ZX_EXCEPTION_PORT_DEBUGGER),
            ZX_ERR_BAD_STATE);
}

// Entry for the latency figure: `count` breakpoints, each stamped just before it runs.
std::atomic<zx_time_t> g_fault_time{0};
void StampedBreakpoints(uintptr_t count, uintptr_t) {
  for (uintptr_t i = 0; i < count; ++i) {
    g_fault_time.store(zx_clock_get_monotonic());
    __asm__ volatile("int3");
  }
}

// The time from a fault to its handler on the loop; printed, not checked.
TEST_F(LoopExceptionDeliveryTest, FaultToHandlerLatency) {
  constexpr int kRounds = 200;
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  zx_handle_t thread;
  ASSERT_EQ(zx_thread_create(zx_process_self(), "t", 1, 0, &thread), ZX_OK);
  std::vector<zx_duration_t> latencies;
  async::Exception exception(thread, 0,
                             [&](async_dispatcher_t*, async::Exception* self, zx_status_t status,
                                 const zx_port_packet_t*) {
                               if (status != ZX_OK) {
                                 return;
                               }
                               latencies.push_back(zx_clock_get_monotonic() - g_fault_time.load());
                               EXPECT_EQ(self->Resume(thread, 0), ZX_OK);
                               if (latencies.size() == kRounds) {
                                 loop.Quit();
                               }
                             });
  ASSERT_EQ(exception.Bind(loop.dispatcher()), ZX_OK);
  void* stack =
      mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_EQ(zx_thread_start(thread, reinterpret_cast<uintptr_t>(&StampedBreakpoints),
                            reinterpret_cast<uintptr_t>(stack) + kStackSize, kRounds, 0),
            ZX_OK);
  EXPECT_EQ(loop.Run(), ZX_ERR_CANCELED);
  EXPECT_EQ(
      zx_object_wait_one(thread, ZX_THREAD_TERMINATED, zx_deadline_after(ZX_SEC(60)), nullptr),
      ZX_OK);
  ASSERT_EQ(latencies.size(), static_cast<size_t>(kRounds));
  std::sort(latencies.begin(), latencies.end());
  std::printf("fault-to-handler latency on the loop over %d faults: median %ld ns, p90 %ld ns\n",
              kRounds, static_cast<long>(latencies[kRounds / 2]),
              static_cast<long>(latencies[kRounds * 9 / 10]));
  EXPECT_EQ(exception.Unbind(), ZX_OK);
  zx_handle_close(thread);
  munmap(stack, kStackSize);
}

}  // namespace
