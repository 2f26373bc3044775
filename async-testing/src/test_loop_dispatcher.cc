// async::TestLoopDispatcher: a dispatcher on a fake clock, run one handler at a time.
//
// Everything that becomes ready reaches the dispatcher through its port, so that tasks and
// waits run in the order in which they became ready: a wait's packet when its signal is
// asserted, a receiver's packet when it is queued, and a timer packet (key 0, type USER) when
// the time keeper reports that the earliest task's deadline has come. Keys of the other packets
// are the addresses of the clients' structs; the packet type tells waits (SIGNAL_ONE) from
// receivers (USER, never key 0).
//
// A timer packet moves every task that is due at that moment into the due batch; the batch then
// runs one task per step, and a task that becomes due meanwhile waits for the next timer packet,
// which the end of the batch (or the post that made it the earliest) asks for. Only one timer
// packet is queued at a time: more would say nothing new. A timer packet that arrives when no
// task is due (its task was cancelled) is dropped. Should a timer packet be missing (the port
// was full, or a time keeper fired late), a due task still runs once the port is empty.
//
// HasPendingWork() must look at the port without losing what it finds, so it may take one
// packet out into `next_packet_`, where DispatchNextDueMessage() and CancelWait() look first.
#include <lib/async-testing/test_loop_dispatcher.h>
#include <lib/async/default.h>
#include <zircon/assert.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include <new>

#include "async-testing/src/fake_clock.h"
#include "async-testing/src/task_queue.h"

namespace async {
namespace {

// The key of timer packets. Every other key is the address of a client's struct, never 0.
constexpr uint64_t kTimerKey = 0;

static_assert(sizeof(list_node_t) <= sizeof(async_state_t),
              "a wait's state must hold its link in the wait list");

list_node_t* WaitNode(async_wait_t* wait) { return reinterpret_cast<list_node_t*>(&wait->state); }

async_wait_t* NodeWait(list_node_t* node) {
  return reinterpret_cast<async_wait_t*>(reinterpret_cast<char*>(node) -
                                         offsetof(async_wait_t, state));
}

uint64_t KeyOf(const void* operation) { return reinterpret_cast<uintptr_t>(operation); }

bool IsTimerPacket(const zx_port_packet_t& packet) {
  return packet.type == ZX_PKT_TYPE_USER && packet.key == kTimerKey;
}

}  // namespace

TestLoopDispatcher::TestLoopDispatcher(TimeKeeper* time_keeper)
    : time_keeper_(time_keeper), tasks_(std::make_unique<internal::TestLoopTaskQueue>()) {
  ZX_ASSERT_MSG(time_keeper_ != nullptr, "TestLoopDispatcher needs a time keeper");
  list_initialize(&wait_list_);
  zx_status_t status = zx::port::create(0, &port_);
  ZX_ASSERT_MSG(status == ZX_OK, "zx_port_create: %s", zx_status_get_string(status));
}

TestLoopDispatcher::~TestLoopDispatcher() {
  CancelEverything();
  time_keeper_->CancelTimers(this);
}

zx::time TestLoopDispatcher::Now() { return time_keeper_->Now(); }

zx_status_t TestLoopDispatcher::BeginWait(async_wait_t* wait) {
  // Linked first: if a trigger is already asserted, the packet is queued within the call.
  list_node_t* node = WaitNode(wait);
  list_add_head(&wait_list_, node);
  zx_status_t status = zx_object_wait_async(wait->object, port_.get(), KeyOf(wait), wait->trigger,
                                            ZX_WAIT_ASYNC_ONCE);
  if (status != ZX_OK) {
    list_delete(node);
  }
  return status;
}

zx_status_t TestLoopDispatcher::CancelWait(async_wait_t* wait) {
  list_node_t* node = WaitNode(wait);
  if (!list_in_list(node)) {
    return ZX_ERR_NOT_FOUND;
  }
  if (has_next_packet_ && next_packet_.type == ZX_PKT_TYPE_SIGNAL_ONE &&
      next_packet_.key == KeyOf(wait)) {
    has_next_packet_ = false;
    list_delete(node);
    return ZX_OK;
  }
  // Removes the kernel-side wait, or its packet if the signal already came. NOT_FOUND means the
  // kernel dropped the wait because the port was full when it fired: the handler could never
  // run, so the wait is as good as cancelled.
  zx_status_t status = zx_port_cancel(port_.get(), wait->object, KeyOf(wait));
  if (status == ZX_ERR_NOT_FOUND) {
    status = ZX_OK;
  }
  if (status == ZX_OK) {
    list_delete(node);
  }
  return status;
}

zx_status_t TestLoopDispatcher::PostTask(async_task_t* task) {
  if (tasks_->Insert(task)) {
    time_keeper_->RegisterTimer(zx::time(task->deadline), this);
  }
  return ZX_OK;
}

zx_status_t TestLoopDispatcher::CancelTask(async_task_t* task) {
  return tasks_->Remove(task) ? ZX_OK : ZX_ERR_NOT_FOUND;
}

zx_status_t TestLoopDispatcher::QueuePacket(async_receiver_t* receiver,
                                            const zx_packet_user_t* data) {
  zx_port_packet_t packet = {};
  packet.key = KeyOf(receiver);
  packet.type = ZX_PKT_TYPE_USER;
  packet.status = ZX_OK;
  if (data != nullptr) {
    packet.user = *data;
  }
  return port_.queue(&packet);
}

void TestLoopDispatcher::FireTimer() {
  if (timer_packet_queued_) {
    return;
  }
  zx_port_packet_t packet = {};
  packet.key = kTimerKey;
  packet.type = ZX_PKT_TYPE_USER;
  // A full port loses the timer packet; due tasks still run once the port is drained.
  timer_packet_queued_ = port_.queue(&packet) == ZX_OK;
}

bool TestLoopDispatcher::DispatchNextDueMessage() {
  while (true) {
    if (tasks_->has_due()) {
      DispatchDueTask();
      return true;
    }
    if (!PeekPacket()) {
      break;
    }
    const zx_port_packet_t packet = next_packet_;
    has_next_packet_ = false;
    if (!IsTimerPacket(packet)) {
      DispatchPacket(packet);
      return true;
    }
    // The due tasks may all have been cancelled since the packet was peeked; then look on.
    tasks_->TakeDue(Now().get());
  }
  if (TaskIsDue()) {
    tasks_->TakeDue(Now().get());
    DispatchDueTask();
    return true;
  }
  return false;
}

bool TestLoopDispatcher::HasPendingWork() {
  return tasks_->has_due() || TaskIsDue() || PeekPacket();
}

zx::time TestLoopDispatcher::GetNextTaskDueTime() { return zx::time(tasks_->NextDeadline()); }

bool TestLoopDispatcher::TaskIsDue() { return tasks_->EarliestPendingDeadline() <= Now().get(); }

bool TestLoopDispatcher::PeekPacket() {
  while (!has_next_packet_) {
    zx_port_packet_t packet;
    if (port_.wait(zx::time(0), &packet) != ZX_OK) {
      return false;
    }
    if (IsTimerPacket(packet)) {
      timer_packet_queued_ = false;
      if (!TaskIsDue()) {
        continue;  // its task was cancelled, or already ran without it
      }
    }
    next_packet_ = packet;
    has_next_packet_ = true;
  }
  return true;
}

void TestLoopDispatcher::DispatchDueTask() {
  async_task_t* task = tasks_->PopDue();
  task->handler(this, task, ZX_OK);
  // The handler may have destroyed `task`. At the end of a batch, ask for the next timer; after
  // the handler, so that what the handler made ready comes first.
  if (!tasks_->has_due() && tasks_->has_pending()) {
    time_keeper_->RegisterTimer(zx::time(tasks_->EarliestPendingDeadline()), this);
  }
}

void TestLoopDispatcher::DispatchPacket(const zx_port_packet_t& packet) {
  // `packet` is the caller's copy: the handler may begin another wait, which may refill
  // `next_packet_`.
  if (packet.type == ZX_PKT_TYPE_SIGNAL_ONE) {
    async_wait_t* wait = reinterpret_cast<async_wait_t*>(packet.key);
    list_delete(WaitNode(wait));
    wait->handler(this, wait, packet.status, &packet.signal);
    return;
  }
  ZX_ASSERT_MSG(packet.type == ZX_PKT_TYPE_USER, "unexpected packet type %u", packet.type);
  async_receiver_t* receiver = reinterpret_cast<async_receiver_t*>(packet.key);
  receiver->handler(this, receiver, packet.status, &packet.user);
}

void TestLoopDispatcher::CancelEverything() {
  // Each handler may post or begin more work, which the next round cancels in turn.
  while (true) {
    if (list_node_t* node = list_remove_head(&wait_list_)) {
      async_wait_t* wait = NodeWait(node);
      wait->handler(this, wait, ZX_ERR_CANCELED, nullptr);
    } else if (async_task_t* due = tasks_->PopDue()) {
      due->handler(this, due, ZX_ERR_CANCELED);
    } else if (async_task_t* pending = tasks_->PopEarliest()) {
      pending->handler(this, pending, ZX_ERR_CANCELED);
    } else {
      break;
    }
  }
}

namespace {

// A TestLoopDispatcher with a clock of its own, driven through the subloop interface.
class DispatcherSubloop final : public async_test_subloop_t {
 public:
  DispatcherSubloop() : async_test_subloop_t{&kOps}, dispatcher_(&clock_) {}

  TestLoopDispatcher* dispatcher() { return &dispatcher_; }

 private:
  static DispatcherSubloop* From(async_test_subloop_t* subloop) {
    return static_cast<DispatcherSubloop*>(subloop);
  }

  static void AdvanceTimeTo(async_test_subloop_t* subloop, zx_time_t time) {
    From(subloop)->clock_.AdvanceTo(zx::time(time));
  }

  static uint8_t DispatchNextDueMessage(async_test_subloop_t* subloop) {
    TestLoopDispatcher* dispatcher = From(subloop)->dispatcher();
    async_dispatcher_t* previous = async_get_default_dispatcher();
    async_set_default_dispatcher(dispatcher);
    bool dispatched = dispatcher->DispatchNextDueMessage();
    async_set_default_dispatcher(previous);
    return dispatched;
  }

  static uint8_t HasPendingWork(async_test_subloop_t* subloop) {
    return From(subloop)->dispatcher()->HasPendingWork();
  }

  static zx_time_t GetNextTaskDueTime(async_test_subloop_t* subloop) {
    return From(subloop)->dispatcher()->GetNextTaskDueTime().get();
  }

  static void Finalize(async_test_subloop_t* subloop) { delete From(subloop); }

  static constexpr async_test_subloop_ops_t kOps = {
      .advance_time_to = AdvanceTimeTo,
      .dispatch_next_due_message = DispatchNextDueMessage,
      .has_pending_work = HasPendingWork,
      .get_next_task_due_time = GetNextTaskDueTime,
      .finalize = Finalize,
  };

  // Declared first: the dispatcher uses the clock until the end of its destructor.
  internal::FakeClock clock_;
  TestLoopDispatcher dispatcher_;
};

}  // namespace

void NewTestLoopDispatcher(async_dispatcher_t** dispatcher, async_test_subloop_t** loop) {
  auto* subloop = new (std::nothrow) DispatcherSubloop();
  ZX_ASSERT_MSG(subloop != nullptr, "out of memory for a TestLoopDispatcher");
  *dispatcher = subloop->dispatcher();
  *loop = subloop;
}

}  // namespace async
