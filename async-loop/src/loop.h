// The C type async_loop_t, defined in C++.
#ifndef ASYNC_LOOP_SRC_LOOP_H_
#define ASYNC_LOOP_SRC_LOOP_H_

#include <lib/async-loop/loop.h>
#include <lib/async/dispatcher.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/trap.h>
#include <lib/async/wait.h>
#include <zircon/compiler.h>
#include <zircon/linux/port.h>
#include <zircon/syscalls/port.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include <fbl/mutex.h>

#include "async-loop/src/pending_set.h"
#include "async-loop/src/task_queue.h"

// The loop's ops table (defined with the C entry points).
const async_ops_t* AsyncLoopOps();

// A message loop over one Zircon port and one timer, with the seed's semantics (see loop.cc).
// Thread-safe.
struct async_loop final : async_dispatcher_t {
 public:
  // Creates a loop. Returns ZX_ERR_NO_MEMORY, or the port's or the timer's error.
  static zx_status_t Create(const async_loop_config_t& config, async_loop** out);
  ~async_loop();

  void Shutdown();
  zx_status_t Run(zx_time_t deadline, bool once);
  void Quit();
  zx_status_t ResetQuit();
  async_loop_state_t state() const { return state_.load(std::memory_order_acquire); }
  // The dispatcher's clock (zx_clock_get_monotonic), remembered as a lower bound of now.
  zx_time_t Now();
  zx_status_t StartThread(const char* name, thrd_t* out_thread);
  // async_loop_set_idle_spin (see <lib/async-loop/linux/idle_spin.h>).
  zx_status_t SetIdleSpin(zx_duration_t spin) { return zx_linux_port_set_idle_spin(port_, spin); }
  void JoinThreads();

  // The dispatcher operations (see <lib/async/*.h>).
  zx_status_t BeginWait(async_wait_t* wait);
  zx_status_t CancelWait(async_wait_t* wait);
  zx_status_t PostTask(async_task_t* task);
  zx_status_t CancelTask(async_task_t* task);
  zx_status_t QueuePacket(async_receiver_t* receiver, const zx_packet_user_t* data);
  zx_status_t SetGuestBellTrap(async_guest_bell_trap_t* trap, zx_handle_t guest, zx_vaddr_t addr,
                               size_t length);
  zx_status_t BindExceptionPort(async_exception_t* exception);
  zx_status_t UnbindExceptionPort(async_exception_t* exception);
  zx_status_t ResumeFromException(async_exception_t* exception, zx_handle_t task, uint32_t options);

 private:
  explicit async_loop(const async_loop_config_t& config);

  bool is_shut_down() const { return state() == ASYNC_LOOP_SHUTDOWN; }
  zx_status_t RunOnce(zx_time_t deadline, bool once);
  zx_status_t DispatchPacket(const zx_port_packet_t& packet, bool once);
  // Runs the due batch, then up to `max_batches` - 1 more as tasks come due.
  void DispatchTasks(uint32_t max_batches) __TA_EXCLUDES(mutex_);
  // After a batch: starts the next one if tasks have come due, no packet waits in the port and
  // `*batches_left` allows. Returns whether it did.
  bool TakeNextBatchLocked(uint32_t* batches_left) __TA_REQUIRES(mutex_);
  // TaskQueue::ClaimDue, without the lock: only the thread that set `dispatching_tasks_` calls
  // it, and the claim itself is atomic (see TaskQueue).
  async_task_t* ClaimDueTask() __TA_NO_THREAD_SAFETY_ANALYSIS { return tasks_.ClaimDue(); }
  // TaskQueue::Push, without the lock: the inbox is lock-free.
  zx_status_t PushTask(async_task_t* task) __TA_NO_THREAD_SAFETY_ANALYSIS {
    return tasks_.Push(task);
  }
  void WakeThreads();
  void RestartTimerLocked() __TA_REQUIRES(mutex_);
  void CancelAllForShutdown() __TA_EXCLUDES(mutex_);

  // Calls `handler` between the config's prologue and epilogue. A handler may destroy its own
  // operation or re-enter the loop, so nothing of the operation is touched afterwards.
  template <typename Handler>
  void Invoke(Handler handler) noexcept;

  // Batches one unit of work may run back to back before the port gets a turn.
  static constexpr uint32_t kMaxBatchesPerUnit = 1024;

  const async_loop_config_t config_;
  zx_handle_t port_ = ZX_HANDLE_INVALID;   // immutable after Create
  zx_handle_t timer_ = ZX_HANDLE_INVALID;  // immutable after Create
  // The port's queue length (see <zircon/linux/port.h>); immutable after Create.
  const uint32_t* port_queue_length_ = nullptr;
  // What the timer is set to, for posters deciding whether to take the lock and move it:
  // ZX_TIME_INFINITE when it is not set, kArmedWhileDispatching while a batch runs (its end
  // looks at new tasks). Written under the lock; sequentially consistent (see RestartTimerLocked).
  static constexpr zx_time_t kArmedWhileDispatching = INT64_MIN;
  std::atomic<zx_time_t> armed_deadline_{ZX_TIME_INFINITE};
  // The latest clock reading the loop has seen: a lower bound of now (relaxed).
  std::atomic<zx_time_t> last_now_{0};

  // acquire/release: a thread that sees QUIT or SHUTDOWN sees what the quitting thread did.
  std::atomic<async_loop_state_t> state_{ASYNC_LOOP_RUNNABLE};
  // Threads inside Run. A thread counts itself before it checks the state, so Quit and
  // Shutdown queue enough wake-ups for every thread that might block in the port.
  std::atomic<uint32_t> active_threads_{0};

  fbl::Mutex mutex_;
  bool dispatching_tasks_ __TA_GUARDED(mutex_) = false;
  async::internal::TaskQueue tasks_ __TA_GUARDED(mutex_);
  async::internal::PendingSet<async_wait_t> waits_ __TA_GUARDED(mutex_);
  async::internal::PendingSet<async_exception_t> exceptions_ __TA_GUARDED(mutex_);
  std::vector<thrd_t> threads_ __TA_GUARDED(mutex_);  // started and not yet joined, oldest first
};

#endif  // ASYNC_LOOP_SRC_LOOP_H_
