// <lib/async-testing/test_loop_dispatcher.h>: the dispatcher behind every loop of an
// async::TestLoop, usable on its own with any `TimeKeeper`.
//
// Also reachable under its 2018 path, <lib/async-testutils/test_loop_dispatcher.h>.

#ifndef LIB_ASYNC_TESTING_TEST_LOOP_DISPATCHER_H_
#define LIB_ASYNC_TESTING_TEST_LOOP_DISPATCHER_H_

#include <lib/async-testing/dispatcher_stub.h>
#include <lib/async-testing/test_subloop.h>
#include <lib/async-testing/time_keeper.h>
#include <lib/async/dispatcher.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <lib/zx/port.h>
#include <lib/zx/time.h>
#include <zircon/listnode.h>

#include <memory>

namespace async {

namespace internal {
class TestLoopTaskQueue;
}  // namespace internal

// A single-threaded dispatcher on a fake clock. It runs nothing by itself: its owner (normally
// an async::TestLoop) asks it to run one handler at a time with DispatchNextDueMessage(), and
// moves the clock of its `TimeKeeper`, which may serve several dispatchers.
//
// Supports tasks, waits and receivers; guest bell traps and exceptions answer
// ZX_ERR_NOT_SUPPORTED. There is no shutdown state: posting and beginning always work, even
// from the handlers that the destructor cancels.
//
// - Tasks run in deadline order, equal deadlines in posting order, each when the clock has
//   reached its deadline. The dispatcher registers a timer with the time keeper for its earliest
//   task; when the timer fires, every task that is then due moves into a "due" batch, which runs
//   to its end before any task that becomes due later, however early its deadline.
// - Waits are real kernel waits (zx_object_wait_async, once) on a port the dispatcher owns, so
//   any object can be waited on; the port is only ever polled (deadline 0), never blocked on.
//   Linux: the port keeps Zircon's limit on queued packets (2048, as in 2018); a wait that fires
//   while its port is full is lost, and its handler never runs.
// - Timer expirations travel through the same port, so tasks and waits of one dispatcher run in
//   the order in which they became ready.
//
// Dispatch-thread only: every call, including the async_* operations, comes from the thread
// that runs the loop. Not copyable or movable.
class TestLoopDispatcher : public DispatcherStub, public TimerDispatcher {
 public:
  // Creates a dispatcher on the clock of `time_keeper`, which must outlive it. Aborts the process
  // if its port cannot be created.
  TestLoopDispatcher(TimeKeeper* time_keeper);

  // Cancels everything still pending, calling each handler with ZX_ERR_CANCELED (and a null
  // signal for waits): waits first, newest first, then due tasks, then pending tasks in
  // deadline order. Work that those handlers post or begin is cancelled the same way. Packets
  // queued for receivers are dropped without calling their handlers. Finally cancels the
  // dispatcher's timers with the time keeper.
  ~TestLoopDispatcher() override;

  TestLoopDispatcher(const TestLoopDispatcher&) = delete;
  TestLoopDispatcher& operator=(const TestLoopDispatcher&) = delete;
  TestLoopDispatcher(TestLoopDispatcher&&) = delete;
  TestLoopDispatcher& operator=(TestLoopDispatcher&&) = delete;

  // Returns the time keeper's current time.
  zx::time Now() override;

  // Begins a one-shot kernel wait for `wait->trigger` on `wait->object`. If a trigger signal is
  // already asserted, the wait is ready at once.
  //
  // Returns ZX_OK if the wait was begun; its handler then runs exactly once (or is cancelled).
  // Returns the error of zx_object_wait_async otherwise, e.g. ZX_ERR_BAD_HANDLE,
  // ZX_ERR_ACCESS_DENIED (no ZX_RIGHT_WAIT) or ZX_ERR_NOT_SUPPORTED (object cannot be waited
  // on); the handler is then never called.
  zx_status_t BeginWait(async_wait_t* wait) override;

  // Cancels a wait begun with BeginWait() whose handler has not been called.
  //
  // Returns ZX_OK if the wait was pending and its handler will not be called (also for a wait
  // lost to a full port).
  // Returns ZX_ERR_NOT_FOUND if it is not pending (never begun, already delivered, cancelled).
  // Returns the error of zx_port_cancel otherwise, e.g. ZX_ERR_BAD_HANDLE if `wait->object`
  // has been closed; the wait then stays pending.
  zx_status_t CancelWait(async_wait_t* wait) override;

  // Posts `task` to run once the clock reaches `task->deadline`. Always returns ZX_OK.
  zx_status_t PostTask(async_task_t* task) override;

  // Returns ZX_OK if `task` was pending or due and is now removed; its handler will not run.
  // Returns ZX_ERR_NOT_FOUND if it is not pending (never posted, already run, cancelled).
  zx_status_t CancelTask(async_task_t* task) override;

  // Queues a packet carrying a copy of `*data` (32 zero bytes if `data` is null) for `receiver`,
  // whose handler later receives it with ZX_OK. Queued packets cannot be cancelled and are
  // dropped, without a call, if the dispatcher is destroyed first.
  //
  // Returns ZX_OK if the packet was queued.
  // Returns ZX_ERR_SHOULD_WAIT if the dispatcher's port is full.
  zx_status_t QueuePacket(async_receiver_t* receiver, const zx_packet_user_t* data) override;

  // Called by the time keeper when a registered timer expires: queues a timer packet on the
  // dispatcher's port (at most one is queued at a time).
  void FireTimer() override;

  // Runs at most one handler: the next task of the due batch if there is one; otherwise the
  // handler of the next ready port packet (a wait's, with ZX_OK and the packet's signal, or a
  // receiver's), where a timer packet first moves every task that is then due into the batch.
  // The handler may post, begin, cancel and destroy operations, including its own.
  // Returns true if a handler ran.
  bool DispatchNextDueMessage();

  // Returns true if DispatchNextDueMessage() would run a handler now.
  bool HasPendingWork();

  // Returns the deadline of the task that runs next (the head of the due batch, else the
  // earliest pending task), or zx::time::infinite() if no task is pending.
  zx::time GetNextTaskDueTime();

 private:
  bool TaskIsDue();
  bool PeekPacket();
  void DispatchDueTask();
  void DispatchPacket(const zx_port_packet_t& packet);
  void CancelEverything();

  TimeKeeper* const time_keeper_;

  // Waits and receivers deliver here, and so do timer expirations (key 0).
  zx::port port_;

  // Pending and due tasks.
  std::unique_ptr<internal::TestLoopTaskQueue> tasks_;

  // Begun waits whose handlers have not been called, newest first. Each is linked through its
  // `async_wait_t::state`.
  list_node_t wait_list_;

  // A packet taken from `port_` by HasPendingWork() and not yet dispatched.
  zx_port_packet_t next_packet_ = {};
  bool has_next_packet_ = false;

  // Whether a timer packet is waiting in `port_`, so that FireTimer() need not queue another.
  bool timer_packet_queued_ = false;
};

// Creates a `TestLoopDispatcher` with a fake clock of its own, wrapped in a subloop for
// TestLoop::RegisterLoop(): the subloop's advance_time_to operation moves that clock, and its
// finalize operation destroys the dispatcher. Stores the dispatcher in `*dispatcher` and the
// subloop in `*loop`; the caller owns the subloop, and the dispatcher lives until the subloop is
// finalized. While the subloop dispatches, the calling thread's default dispatcher is the new
// dispatcher. Aborts the process if the dispatcher cannot be created.
void NewTestLoopDispatcher(async_dispatcher_t** dispatcher, async_test_subloop_t** loop);

}  // namespace async

#endif  // LIB_ASYNC_TESTING_TEST_LOOP_DISPATCHER_H_
