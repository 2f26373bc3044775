// The message loop: creation, running, quitting, threads and shutdown.
//
// Everything arrives through one port. The loop's own packets use key 0: a user packet is a
// wake-up (quit, shutdown), and a repeating signal packet from the loop's timer means "tasks are
// due". Every other key is the address of a client's operation struct, and the packet type says
// which kind: SIGNAL_ONE for a wait, USER for a receiver, GUEST_BELL for a trap, an exception
// type for an exception. Each packet is taken by exactly one thread, so waits, receivers, traps
// and exceptions run concurrently on all loop threads.
//
// Tasks are kept by the loop, not the port. A post pushes the task on a lock-free inbox and takes
// the lock only when the task is due before the timer the loop has set; whoever holds the lock
// sorts the inbox in before looking at the order. The timer is set to the earliest deadline, and
// the thread that takes the timer packet moves every due task into a "due" batch and runs the batch
// one task at a time. It claims each task with one atomic exchange instead of re-taking the
// lock, and a canceller takes the task away with the same exchange, so a task may still cancel
// a later one. Only one thread dispatches tasks at a time (`dispatching_tasks_`): task handlers
// never overlap. Tasks that come due during a batch form the next batch; the thread goes on with
// it at once while the port holds no packet (for at most kMaxBatchesPerUnit batches), which is
// the order the seed reaches through its timer packet, without the round trip. A batch
// interrupted by quit resumes, before any newly due task, at the next unit. The timer is
// re-armed only when the earliest deadline changes, and never during a batch (the batch's end
// re-arms it).
//
// Shutdown: the state becomes SHUTDOWN first, so new operations fail; loop threads are woken
// and joined; then the caller's thread cancels what is left, newest waits first, then due and
// pending tasks in order, then exceptions, each removed from the loop before its handler runs.
#include "async-loop/src/loop.h"

#include <lib/async/default.h>
#include <zircon/assert.h>
#include <zircon/linux/port.h>
#include <zircon/syscalls.h>

#include <new>

#include <fbl/auto_lock.h>
#include <pthread.h>

namespace {

// The port key of the loop's own packets; operation keys are addresses, never 0.
constexpr uint64_t kControlKey = 0;

}  // namespace

async_loop::async_loop(const async_loop_config_t& config) : config_(config) {
  ops = AsyncLoopOps();
}

zx_status_t async_loop::Create(const async_loop_config_t& config, async_loop** out) {
  async_loop* loop = new (std::nothrow) async_loop(config);
  if (loop == nullptr) {
    return ZX_ERR_NO_MEMORY;
  }
  zx_status_t status = zx_port_create(0, &loop->port_);
  if (status == ZX_OK) {
    status = zx_linux_port_get_queue_length(loop->port_, &loop->port_queue_length_);
  }
  if (status == ZX_OK) {
    status = zx_timer_create(ZX_TIMER_SLACK_LATE, ZX_CLOCK_MONOTONIC, &loop->timer_);
  }
  if (status == ZX_OK) {
    status = zx_object_wait_async(loop->timer_, loop->port_, kControlKey, ZX_TIMER_SIGNALED,
                                  ZX_WAIT_ASYNC_REPEATING);
  }
  if (status != ZX_OK) {
    delete loop;
    return status;
  }
  if (config.make_default_for_current_thread) {
    ZX_DEBUG_ASSERT_MSG(async_get_default_dispatcher() == nullptr,
                        "this thread already has a default dispatcher");
    async_set_default_dispatcher(loop);
  }
  *out = loop;
  return ZX_OK;
}

async_loop::~async_loop() {
  Shutdown();
  zx_handle_close(port_);
  zx_handle_close(timer_);
}

template <typename Handler>
void async_loop::Invoke(Handler handler) noexcept {
  if (config_.prologue != nullptr) {
    config_.prologue(this, config_.data);
  }
  handler();
  if (config_.epilogue != nullptr) {
    config_.epilogue(this, config_.data);
  }
}

zx_status_t async_loop::Run(zx_time_t deadline, bool once) {
  // acq_rel: pairs with WakeThreads, which must count this thread if it may block.
  active_threads_.fetch_add(1, std::memory_order_acq_rel);
  zx_status_t status;
  do {
    status = RunOnce(deadline, once);
  } while (status == ZX_OK && !once);
  active_threads_.fetch_sub(1, std::memory_order_acq_rel);
  return status;
}

zx_status_t async_loop::RunOnce(zx_time_t deadline, bool once) {
  const async_loop_state_t current = state();
  if (current == ASYNC_LOOP_SHUTDOWN) {
    return ZX_ERR_BAD_STATE;
  }
  if (current != ASYNC_LOOP_RUNNABLE) {
    return ZX_ERR_CANCELED;
  }
  zx_port_packet_t packet;
  zx_status_t status = zx_port_wait(port_, deadline, &packet);
  if (status != ZX_OK) {
    return status;
  }
  return DispatchPacket(packet, once);
}

zx_status_t async_loop::DispatchPacket(const zx_port_packet_t& packet, bool once) {
  if (packet.key == kControlKey) {
    if (packet.type == ZX_PKT_TYPE_USER) {
      return ZX_OK;  // a wake-up
    }
    if (packet.type == ZX_PKT_TYPE_SIGNAL_REP && (packet.signal.observed & ZX_TIMER_SIGNALED)) {
      // A caller running one unit of work gets one batch, as in the seed.
      DispatchTasks(once ? 1 : kMaxBatchesPerUnit);
      return ZX_OK;
    }
  } else if (packet.type == ZX_PKT_TYPE_SIGNAL_ONE) {
    auto* wait = reinterpret_cast<async_wait_t*>(static_cast<uintptr_t>(packet.key));
    {
      fbl::AutoLock lock(&mutex_);
      waits_.Remove(wait);
    }
    Invoke([&] { wait->handler(this, wait, packet.status, &packet.signal); });
    return ZX_OK;
  } else if (packet.type == ZX_PKT_TYPE_USER) {
    auto* receiver = reinterpret_cast<async_receiver_t*>(static_cast<uintptr_t>(packet.key));
    Invoke([&] { receiver->handler(this, receiver, packet.status, &packet.user); });
    return ZX_OK;
  } else if (packet.type == ZX_PKT_TYPE_GUEST_BELL) {
    auto* trap = reinterpret_cast<async_guest_bell_trap_t*>(static_cast<uintptr_t>(packet.key));
    Invoke([&] { trap->handler(this, trap, packet.status, &packet.guest_bell); });
    return ZX_OK;
  } else if (ZX_PKT_IS_EXCEPTION(packet.type)) {
    auto* exception = reinterpret_cast<async_exception_t*>(static_cast<uintptr_t>(packet.key));
    Invoke([&] { exception->handler(this, exception, packet.status, &packet); });
    return ZX_OK;
  }
  ZX_DEBUG_ASSERT_MSG(false, "unexpected packet: key=%lu type=%u",
                      static_cast<unsigned long>(packet.key), packet.type);
  return ZX_ERR_INTERNAL;
}

zx_time_t async_loop::Now() {
  const zx_time_t now = zx_clock_get_monotonic();
  last_now_.store(now, std::memory_order_relaxed);
  return now;
}

void async_loop::DispatchTasks(uint32_t max_batches) {
  {
    fbl::AutoLock lock(&mutex_);
    if (dispatching_tasks_) {
      return;  // another thread runs the batch; task handlers never overlap
    }
    dispatching_tasks_ = true;
    // Posters leave the timer alone while the batch runs; its end looks at the inbox.
    armed_deadline_.store(kArmedWhileDispatching, std::memory_order_seq_cst);
    tasks_.DrainInbox();
    // Leftovers of a batch that quit interrupted run first, before anything newly due.
    if (!tasks_.has_due()) {
      tasks_.TakeDue(Now());
    }
  }
  uint32_t batches_left = max_batches - 1;
  for (;;) {
    // Claimed without the lock: a canceller and this claim agree on each task through one
    // atomic exchange, so a task may still cancel a later one of the batch.
    while (async_task_t* task = ClaimDueTask()) {
      Invoke([&] { task->handler(this, task, ZX_OK); });
      if (state() != ASYNC_LOOP_RUNNABLE) {
        break;
      }
    }
    fbl::AutoLock lock(&mutex_);
    if (tasks_.has_due() || !TakeNextBatchLocked(&batches_left)) {
      dispatching_tasks_ = false;
      RestartTimerLocked();
      return;
    }
  }
}

bool async_loop::TakeNextBatchLocked(uint32_t* batches_left) {
  // A packet that arrived during the batch goes first, as it would in the seed, where the next
  // batch waits for the timer's packet behind it.
  if (*batches_left == 0 || state() != ASYNC_LOOP_RUNNABLE ||
      __atomic_load_n(port_queue_length_, __ATOMIC_RELAXED) != 0) {
    return false;
  }
  tasks_.DrainInbox();
  const zx_time_t earliest = tasks_.EarliestDeadline();
  if (earliest == ZX_TIME_INFINITE) {
    return false;
  }
  // Any clock reading already taken is a lower bound of now: a task posted with
  // async_now() as its deadline is due without reading the clock again.
  zx_time_t now = last_now_.load(std::memory_order_relaxed);
  if (earliest > now) {
    now = Now();
    if (earliest > now) {
      return false;
    }
  }
  --*batches_left;
  return tasks_.TakeDue(now);
}

void async_loop::RestartTimerLocked() {
  // Publish the deadline, then look at the inbox once more: a poster pushes, then reads the
  // deadline, so either it sees this one (and comes here itself if its task is earlier) or
  // this sees its task.
  do {
    tasks_.DrainInbox();
    zx_time_t deadline;
    if (tasks_.has_due()) {
      deadline = 0;  // fire now: the interrupted batch goes on at the next unit
    } else {
      deadline = tasks_.EarliestDeadline();
    }
    if (deadline != ZX_TIME_INFINITE) {
      zx_status_t status = zx_timer_set(timer_, deadline, 0);
      ZX_ASSERT_MSG(status == ZX_OK, "zx_timer_set: status=%d", status);
    }
    armed_deadline_.store(deadline, std::memory_order_seq_cst);
  } while (!tasks_.inbox_empty());
}

void async_loop::WakeThreads() {
  // Enough wake-ups for every thread that might block in the port: a thread counts itself in
  // Run before it checks the state. Surplus wake-ups are harmless.
  const uint32_t count = active_threads_.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < count; ++i) {
    zx_port_packet_t packet = {};
    packet.key = kControlKey;
    packet.type = ZX_PKT_TYPE_USER;
    zx_status_t status = zx_port_queue(port_, &packet);
    ZX_ASSERT_MSG(status == ZX_OK, "zx_port_queue: status=%d", status);
  }
}

void async_loop::Quit() {
  async_loop_state_t expected = ASYNC_LOOP_RUNNABLE;
  if (state_.compare_exchange_strong(expected, ASYNC_LOOP_QUIT, std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
    WakeThreads();
  }
}

zx_status_t async_loop::ResetQuit() {
  // Racy by nature, as in Fuchsia: a sanity check that no thread is running the loop.
  if (active_threads_.load(std::memory_order_acquire) != 0) {
    return ZX_ERR_BAD_STATE;
  }
  async_loop_state_t expected = ASYNC_LOOP_QUIT;
  if (state_.compare_exchange_strong(expected, ASYNC_LOOP_RUNNABLE, std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
    return ZX_OK;
  }
  return expected == ASYNC_LOOP_RUNNABLE ? ZX_OK : ZX_ERR_BAD_STATE;
}

zx_status_t async_loop::StartThread(const char* name, thrd_t* out_thread) {
  // Racy by nature: starting threads while shutting down is a caller error.
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  thrd_t thread;
  auto run = [](void* data) -> int {
    auto* loop = static_cast<async_loop*>(data);
    async_set_default_dispatcher(loop);
    loop->Run(ZX_TIME_INFINITE, false);
    return 0;
  };
  if (thrd_create_with_name(&thread, run, this, name) != thrd_success) {
    return ZX_ERR_NO_MEMORY;
  }
  {
    fbl::AutoLock lock(&mutex_);
    threads_.push_back(thread);
  }
  if (out_thread != nullptr) {
    *out_thread = thread;
  }
  return ZX_OK;
}

void async_loop::JoinThreads() {
  for (;;) {
    thrd_t thread;
    {
      fbl::AutoLock lock(&mutex_);
      if (threads_.empty()) {
        return;
      }
      thread = threads_.front();
      threads_.erase(threads_.begin());
    }
    // pthread_join rather than thrd_join: the thread is a pthread (see thrd_create_with_name),
    // and sanitizers see joins only through pthread_join.
    int result = pthread_join(thread, nullptr);
    ZX_ASSERT_MSG(result == 0, "pthread_join: %d", result);
  }
}

void async_loop::Shutdown() {
  if (state_.exchange(ASYNC_LOOP_SHUTDOWN, std::memory_order_acq_rel) == ASYNC_LOOP_SHUTDOWN) {
    return;
  }
  WakeThreads();
  JoinThreads();
  CancelAllForShutdown();
  if (config_.make_default_for_current_thread) {
    ZX_DEBUG_ASSERT_MSG(async_get_default_dispatcher() == this,
                        "shut down a loop on a thread it is not the default of");
    async_set_default_dispatcher(nullptr);
  }
}

void async_loop::CancelAllForShutdown() {
  // Each operation leaves the loop before its handler runs, and the lock is dropped around the
  // handler, so a handler may cancel operations not yet reached (they then never run).
  for (;;) {
    async_wait_t* wait;
    {
      fbl::AutoLock lock(&mutex_);
      wait = waits_.PopNewest();
    }
    if (wait == nullptr) {
      break;
    }
    Invoke([&] { wait->handler(this, wait, ZX_ERR_CANCELED, nullptr); });
  }
  {
    fbl::AutoLock lock(&mutex_);
    tasks_.DrainInbox(/*close=*/true);  // from now on a post fails with ZX_ERR_BAD_STATE
  }
  for (;;) {
    async_task_t* task;
    {
      fbl::AutoLock lock(&mutex_);
      task = tasks_.ClaimDue();
      if (task == nullptr) {
        task = tasks_.PopEarliest();
      }
    }
    if (task == nullptr) {
      break;
    }
    Invoke([&] { task->handler(this, task, ZX_ERR_CANCELED); });
  }
  for (;;) {
    async_exception_t* exception;
    {
      fbl::AutoLock lock(&mutex_);
      exception = exceptions_.PopNewest();
    }
    if (exception == nullptr) {
      break;
    }
    // Unbound first, so that a thread faulting from now on (or waiting on the port now) moves
    // on to the next port in the search order instead of waiting on a loop nobody runs.
    (void)zx_task_bind_exception_port(exception->task, ZX_HANDLE_INVALID, 0, exception->options);
    Invoke([&] { exception->handler(this, exception, ZX_ERR_CANCELED, nullptr); });
  }
}
