// Example: exception ports on an async::Loop.
//
// 1. A lazily committed region: 64 pages are reserved with no access; a worker thread fills
//    them, and each first touch of a page faults. A thread-level async::Exception on the loop
//    sees the fault address (ZX_INFO_THREAD_EXCEPTION_REPORT), makes that page writable and
//    resumes the thread, which redoes the write and carries on.
// 2. A crash reporter: in a child process, the worker writes past the region. The region's
//    handler passes the fault on (ZX_RESUME_TRY_NEXT) to a process-level async::Exception that
//    prints the faulting address and passes it on again; nobody is left, so the child dies of
//    SIGSEGV exactly as it would without portloop.
// Exits 0 if every page was committed once and the child died of SIGSEGV.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/exception.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include <atomic>
#include <cinttypes>
#include <cstdio>

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr size_t kPages = 64;
constexpr size_t kStackSize = 256 * 1024;

// The worker's entry point: writes `size` bytes from `start`.
void Fill(uintptr_t start, uintptr_t size) {
  auto* bytes = reinterpret_cast<volatile uint8_t*>(start);
  for (uintptr_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<uint8_t>(i);
  }
}

// The faulting address of the exception `thread` is parked in, or 0.
uintptr_t FaultAddress(zx_handle_t thread) {
  zx_exception_report_t report = {};
  if (zx_object_get_info(thread, ZX_INFO_THREAD_EXCEPTION_REPORT, &report, sizeof(report), nullptr,
                         nullptr) != ZX_OK) {
    return 0;
  }
  return report.context.arch.u.x86_64.cr2;
}

// Runs a worker that writes `size` bytes into a reserved region of kPages pages, committing
// pages from the loop as they fault. Returns the number of pages committed, or -1 on error.
int RunWorker(size_t size, bool with_crash_reporter) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t region_size = kPages * page;
  // One more page than the region, never committed: what lies past the region is a fault.
  auto* region = static_cast<uint8_t*>(mmap(nullptr, region_size + page, PROT_NONE,
                                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
  void* stack =
      mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED || stack == MAP_FAILED) {
    return -1;
  }
  zx_handle_t worker;
  if (zx_thread_create(zx_process_self(), "worker", 6, 0, &worker) != ZX_OK) {
    return -1;
  }

  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  int committed = 0;
  async::Exception guard(worker, 0,
                         [&](async_dispatcher_t*, async::Exception* self, zx_status_t status,
                             const zx_port_packet_t* packet) {
                           if (status != ZX_OK) {
                             return;  // the loop is shutting down
                           }
                           const uintptr_t address = FaultAddress(worker);
                           const auto start = reinterpret_cast<uintptr_t>(region);
                           if (packet->type != ZX_EXCP_FATAL_PAGE_FAULT || address < start ||
                               address >= start + region_size) {
                             self->Resume(worker, ZX_RESUME_TRY_NEXT);  // not ours
                             return;
                           }
                           void* page_start = reinterpret_cast<void*>(address & ~(page - 1));
                           mprotect(page_start, page, PROT_READ | PROT_WRITE);
                           ++committed;
                           self->Resume(worker, 0);
                         });
  async::Exception reporter(zx_process_self(), 0,
                            [&](async_dispatcher_t*, async::Exception* self, zx_status_t status,
                                const zx_port_packet_t* packet) {
                              if (status != ZX_OK) {
                                return;
                              }
                              std::printf("crash report: thread %" PRIu64
                                          " took exception 0x%x at address 0x%" PRIxPTR "\n",
                                          packet->exception.tid, packet->type,
                                          FaultAddress(worker));
                              std::fflush(stdout);
                              self->Resume(worker, ZX_RESUME_TRY_NEXT);
                            });
  if (guard.Bind(loop.dispatcher()) != ZX_OK ||
      (with_crash_reporter && reporter.Bind(loop.dispatcher()) != ZX_OK) ||
      loop.StartThread() != ZX_OK) {
    return -1;
  }
  if (zx_thread_start(worker, reinterpret_cast<uintptr_t>(&Fill),
                      reinterpret_cast<uintptr_t>(stack) + kStackSize,
                      reinterpret_cast<uintptr_t>(region), size) != ZX_OK) {
    return -1;
  }
  zx_object_wait_one(worker, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, nullptr);
  loop.Shutdown();
  guard.Unbind();  // after the shutdown's cancellation; see async::Exception
  if (with_crash_reporter) {
    reporter.Unbind();
  }
  zx_handle_close(worker);
  munmap(stack, kStackSize);
  munmap(region, region_size + page);
  return committed;
}

}  // namespace

int main() {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const int committed = RunWorker(kPages * page, /*with_crash_reporter=*/false);
  std::printf("filled %zu pages, committed %d from the loop\n", kPages, committed);
  if (committed != static_cast<int>(kPages)) {
    return 1;
  }

  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    // The default action is what portloop passes the fault on to, even when a sanitizer had
    // installed a SIGSEGV handler of its own.
    signal(SIGSEGV, SIG_DFL);
    RunWorker(kPages * page + 1, /*with_crash_reporter=*/true);  // one byte too many
    _exit(0);  // not reached: the overflow ends the child
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV) {
    std::printf("the child should have died of SIGSEGV; wait status 0x%x\n", status);
    return 1;
  }
  std::printf("the child died of SIGSEGV after its crash report, as without portloop\n");
  return 0;
}
