// The model keeps what the seed's loop keeps, in the plainest form: flags per task and wait,
// a FIFO "port", a list of due tasks, and the loop's state.
//
// As in the seed, everything that becomes ready goes through one FIFO port: a wait's packet when
// its trigger is asserted (at once if it already is when the wait begins), a receiver's packet,
// a wake-up (one per running thread when the loop quits), and the timer's packet. Tasks stay in
// the model's task list until a timer packet is dispatched; the due ones then run as a batch, in
// deadline order, equal deadlines in posting order. At most one timer packet is queued at a time:
// the seed watches its timer with one repeating wait, whose packet is updated in place, not
// queued again, while it waits in the port.
//
// async::Loop (the seed):
// - The clock is real, so sequences use deadlines that are long past (<= 0 here) or hours away
//   (> 0): the model's "now" sits between them and never moves.
// - The timer is re-armed when the earliest deadline changes (not while a batch runs), and at
//   the end of a batch; arming it with a due deadline queues the timer packet.
// - A unit of work is one packet; a timer packet's unit runs the whole batch, stopping early if
//   the loop quits, in which case the rest of the batch runs first at a later unit.
// - Quit lasts until ResetQuit, which fails while a run is active (also from a handler).
// - Shutdown cancels pending waits (newest first), due tasks, then pending tasks in deadline
//   order; afterwards posts, begins and queues fail with ZX_ERR_BAD_STATE.
//
// async::TestLoop (lib/async-testing/test_loop.h, test_loop_dispatcher.h):
// - A fake clock starting at 0, moved only by runs and AdvanceTimeByEpsilon(). The dispatcher
//   asks the clock for a timer when a post makes a task the earliest and at the end of a batch;
//   a due timer queues the timer packet at once, others when the clock reaches them.
// - A run is a sequence of steps; each step runs at most one handler: the next due task, else
//   the next port packet. When nothing is ready the clock jumps to the next deadline, if that is
//   within the run. Timer packets that find no due task are dropped.
// - Quit ends the current run after its handler, or makes the next run return at once; every
//   run forgets it. There is no shutdown state: destruction cancels what is pending, including
//   what the cancelled handlers start meanwhile.
#include "async-loop/test/model/model.h"

#include <lib/async-loop/loop.h>
#include <zircon/assert.h>
#include <zircon/syscalls/port.h>

#include <algorithm>
#include <deque>
#include <map>
#include <utility>
#include <vector>

namespace loop_model {
namespace {

enum class EntryKind : uint8_t { kTimer, kWait, kPacket, kWake };

// A packet in the model's port.
struct PortEntry {
  EntryKind kind = EntryKind::kWake;
  int target = 0;
  zx_signals_t observed = 0;  // kWait: the event's signals when the packet was queued
  uint64_t number = 0;        // kPacket
};

struct TaskState {
  bool pending = false;  // posted, and neither run nor cancelled
  bool due = false;      // taken into the due batch
  int64_t deadline = 0;
  uint64_t order = 0;  // posting order, for equal deadlines
  std::vector<Op> then;
};

struct WaitState {
  bool pending = false;
  bool observing = false;  // the kernel watches the event; false once the packet is queued
  zx_signals_t trigger = 0;
  uint64_t begun = 0;  // begin order: shutdown cancels the newest first
  std::vector<Op> then;
};

class Model {
 public:
  explicit Model(Flavor flavor) : flavor_(flavor) {}

  Trace Run(const Sequence& sequence) {
    for (const Op& op : sequence.ops) {
      Execute(op);
    }
    Op shutdown;
    shutdown.kind = OpKind::kShutdown;
    Execute(shutdown);
    return std::move(trace_);
  }

 private:
  bool is_loop() const { return flavor_ == Flavor::kLoop; }
  // async::TestLoop never refuses work.
  bool refuses_work() const { return is_loop() && state_ == ASYNC_LOOP_SHUTDOWN; }
  int64_t now() const { return is_loop() ? 0 : now_; }

  void Execute(const Op& op);
  void Post(const Op& op);
  zx_status_t CancelTask(int index);
  void Begin(const Op& op);
  zx_status_t CancelWait(int index);
  // Takes a pending wait out of the kernel and the port.
  void RemoveWait(int index);
  zx_status_t Queue(const Op& op);
  void Signal(int index, zx_signals_t clear, zx_signals_t set);
  void Quit();
  zx_status_t ResetQuit();
  void Shutdown();

  // Tasks.
  int EarliestPending() const;
  bool TaskIsDue() const;
  void TakeDue();
  int PopDue();

  // Timers.
  void QueueTimerPacket();
  void RestartTimer();
  void RegisterTimer(int64_t deadline);
  void AdvanceTo(int64_t time);

  // async::Loop runs.
  zx_status_t RunLoop(bool once);
  zx_status_t RunOnce();
  void DispatchBatch();

  // async::TestLoop runs.
  bool RunUntil(int64_t deadline);
  bool HasPendingWork();
  bool PeekPort();
  int64_t NextTaskDueTime() const;
  bool DispatchNextDueMessage();
  void DispatchDueTask();

  void DispatchPacket(const PortEntry& entry);
  void CancelEverything();
  void CallTask(int index, zx_status_t status);
  void CallWait(int index, zx_status_t status, zx_signals_t observed);
  void CallReceiver(int index, uint64_t number);

  const Flavor flavor_;
  TaskState tasks_[kTaskCount];
  WaitState waits_[kWaitCount];
  zx_signals_t events_[kWaitCount] = {};
  std::deque<PortEntry> port_;
  std::deque<int> due_;  // the due batch, in order
  std::map<uint64_t, std::vector<Op>> packet_then_;
  uint64_t next_order_ = 0;
  uint64_t next_begun_ = 0;
  uint64_t next_packet_ = 0;
  Trace trace_;

  // async::Loop.
  async_loop_state_t state_ = ASYNC_LOOP_RUNNABLE;
  int active_runs_ = 0;
  bool dispatching_ = false;

  // async::TestLoop.
  int64_t now_ = 0;
  std::vector<int64_t> timers_;  // deadlines registered with the fake clock
  bool quit_ = false;
  bool destroying_ = false;
};

void Model::Execute(const Op& op) {
  switch (op.kind) {
    case OpKind::kPostTask:
      Post(op);
      return;
    case OpKind::kCancelTask:
      trace_.push_back(StatusLine(flavor_, op, CancelTask(op.target)));
      return;
    case OpKind::kBeginWait:
      Begin(op);
      return;
    case OpKind::kCancelWait:
      trace_.push_back(StatusLine(flavor_, op, CancelWait(op.target)));
      return;
    case OpKind::kQueuePacket:
      trace_.push_back(StatusLine(flavor_, op, Queue(op)));
      return;
    case OpKind::kSignal:
      Signal(op.target, op.clear, op.set);
      trace_.push_back(StatusLine(flavor_, op, ZX_OK));
      return;
    case OpKind::kQuit:
      Quit();
      trace_.push_back(DoneLine(flavor_, op));
      return;
    case OpKind::kResetQuit:
      trace_.push_back(StatusLine(flavor_, op, ResetQuit()));
      return;
    case OpKind::kRunUntilIdle:
      if (is_loop()) {
        const zx_status_t status = RunLoop(/*once=*/false);
        trace_.push_back(StatusLine(flavor_, op, status == ZX_ERR_TIMED_OUT ? ZX_OK : status));
      } else {
        const bool ran = RunUntil(now_);
        trace_.push_back(RanLine(flavor_, op, ran));
      }
      return;
    case OpKind::kRun: {
      const zx_status_t status = RunLoop(op.once);
      trace_.push_back(StatusLine(flavor_, op, status));
      return;
    }
    case OpKind::kRunFor: {
      const bool ran = RunUntil(now_ + op.duration);
      trace_.push_back(RanLine(flavor_, op, ran));
      return;
    }
    case OpKind::kAdvanceTimeByEpsilon:
      AdvanceTo(now_ + 1);
      trace_.push_back(DoneLine(flavor_, op));
      return;
    case OpKind::kShutdown:
      Shutdown();
      trace_.push_back(DoneLine(flavor_, op));
      return;
  }
}

void Model::Post(const Op& op) {
  TaskState& task = tasks_[op.target];
  if (refuses_work()) {
    trace_.push_back(StatusLine(flavor_, op, ZX_ERR_BAD_STATE));
    return;
  }
  if (task.pending) {
    trace_.push_back(is_loop() ? StatusLine(flavor_, op, ZX_ERR_ALREADY_EXISTS)
                               : SkippedLine(flavor_, op));
    return;
  }
  task = TaskState{true, false, op.deadline, next_order_++, op.then};
  if (EarliestPending() == op.target) {
    if (!is_loop()) {
      RegisterTimer(task.deadline);
    } else if (!dispatching_) {
      RestartTimer();
    }
  }
  trace_.push_back(StatusLine(flavor_, op, ZX_OK));
}

zx_status_t Model::CancelTask(int index) {
  TaskState& task = tasks_[index];
  if (!task.pending) {
    return ZX_ERR_NOT_FOUND;
  }
  const bool was_earliest = EarliestPending() == index;
  if (task.due) {
    due_.erase(std::find(due_.begin(), due_.end(), index));
  }
  task.pending = false;
  task.due = false;
  task.then.clear();
  // The seed moves its timer on only when the next task is due strictly later.
  if (is_loop() && was_earliest && !dispatching_) {
    const int next = EarliestPending();
    if (next >= 0 && tasks_[next].deadline > task.deadline) {
      RestartTimer();
    }
  }
  return ZX_OK;
}

void Model::Begin(const Op& op) {
  WaitState& wait = waits_[op.target];
  if (refuses_work()) {
    trace_.push_back(StatusLine(flavor_, op, ZX_ERR_BAD_STATE));
    return;
  }
  if (wait.pending) {
    trace_.push_back(is_loop() ? StatusLine(flavor_, op, ZX_ERR_ALREADY_EXISTS)
                               : SkippedLine(flavor_, op));
    return;
  }
  wait = WaitState{true, true, op.trigger, next_begun_++, op.then};
  const zx_signals_t signals = events_[op.target];
  if ((signals & wait.trigger) != 0) {
    wait.observing = false;
    port_.push_back(PortEntry{EntryKind::kWait, op.target, signals, 0});
  }
  trace_.push_back(StatusLine(flavor_, op, ZX_OK));
}

zx_status_t Model::CancelWait(int index) {
  if (!waits_[index].pending) {
    return ZX_ERR_NOT_FOUND;
  }
  RemoveWait(index);
  waits_[index].then.clear();
  return ZX_OK;
}

void Model::RemoveWait(int index) {
  std::erase_if(port_, [index](const PortEntry& entry) {
    return entry.kind == EntryKind::kWait && entry.target == index;
  });
  waits_[index].pending = false;
  waits_[index].observing = false;
}

zx_status_t Model::Queue(const Op& op) {
  const uint64_t number = next_packet_++;
  if (refuses_work()) {
    return ZX_ERR_BAD_STATE;
  }
  port_.push_back(PortEntry{EntryKind::kPacket, op.target, 0, number});
  packet_then_[number] = op.then;
  return ZX_OK;
}

void Model::Signal(int index, zx_signals_t clear, zx_signals_t set) {
  const zx_signals_t before = events_[index];
  const zx_signals_t after = (before & ~clear) | set;
  events_[index] = after;
  // The kernel looks at observers only when the signals change.
  WaitState& wait = waits_[index];
  if (after != before && wait.observing && (wait.trigger & after) != 0) {
    wait.observing = false;
    port_.push_back(PortEntry{EntryKind::kWait, index, after, 0});
  }
}

void Model::Quit() {
  if (!is_loop()) {
    if (!destroying_) {
      quit_ = true;
    }
    return;
  }
  if (state_ == ASYNC_LOOP_RUNNABLE) {
    state_ = ASYNC_LOOP_QUIT;
    for (int i = 0; i < active_runs_; i++) {
      port_.push_back(PortEntry{EntryKind::kWake});
    }
  }
}

zx_status_t Model::ResetQuit() {
  if (active_runs_ != 0) {
    return ZX_ERR_BAD_STATE;
  }
  if (state_ == ASYNC_LOOP_QUIT) {
    state_ = ASYNC_LOOP_RUNNABLE;
  }
  return state_ == ASYNC_LOOP_RUNNABLE ? ZX_OK : ZX_ERR_BAD_STATE;
}

void Model::Shutdown() {
  if (is_loop()) {
    if (state_ == ASYNC_LOOP_SHUTDOWN) {
      return;
    }
    state_ = ASYNC_LOOP_SHUTDOWN;
    for (int i = 0; i < active_runs_; i++) {
      port_.push_back(PortEntry{EntryKind::kWake});
    }
  } else {
    destroying_ = true;
  }
  CancelEverything();
}

int Model::EarliestPending() const {
  int earliest = -1;
  for (int i = 0; i < kTaskCount; i++) {
    const TaskState& task = tasks_[i];
    if (!task.pending || task.due) {
      continue;
    }
    if (earliest < 0 || task.deadline < tasks_[earliest].deadline ||
        (task.deadline == tasks_[earliest].deadline && task.order < tasks_[earliest].order)) {
      earliest = i;
    }
  }
  return earliest;
}

bool Model::TaskIsDue() const {
  const int earliest = EarliestPending();
  return earliest >= 0 && tasks_[earliest].deadline <= now();
}

void Model::TakeDue() {
  for (int next = EarliestPending(); next >= 0 && tasks_[next].deadline <= now();
       next = EarliestPending()) {
    tasks_[next].due = true;
    due_.push_back(next);
  }
}

int Model::PopDue() {
  const int index = due_.front();
  due_.pop_front();
  tasks_[index].pending = false;
  tasks_[index].due = false;
  return index;
}

void Model::QueueTimerPacket() {
  const bool queued = std::any_of(port_.begin(), port_.end(), [](const PortEntry& entry) {
    return entry.kind == EntryKind::kTimer;
  });
  if (!queued) {
    port_.push_back(PortEntry{EntryKind::kTimer});
  }
}

void Model::RestartTimer() {
  if (!due_.empty()) {
    QueueTimerPacket();  // the rest of an interrupted batch runs at the next unit
    return;
  }
  const int earliest = EarliestPending();
  if (earliest < 0 || tasks_[earliest].deadline == kNever) {
    return;  // the seed leaves the timer alone
  }
  if (tasks_[earliest].deadline <= now()) {
    QueueTimerPacket();
  }
  // Otherwise the timer is set hours ahead; a timer packet already queued stays queued.
}

void Model::RegisterTimer(int64_t deadline) {
  if (deadline <= now_) {
    QueueTimerPacket();
  } else {
    timers_.push_back(deadline);
  }
}

void Model::AdvanceTo(int64_t time) {
  if (time <= now_) {
    return;
  }
  now_ = time;
  if (std::erase_if(timers_, [time](int64_t deadline) { return deadline <= time; }) != 0) {
    QueueTimerPacket();
  }
}

zx_status_t Model::RunLoop(bool once) {
  active_runs_++;
  zx_status_t status;
  do {
    status = RunOnce();
  } while (status == ZX_OK && !once);
  active_runs_--;
  return status;
}

zx_status_t Model::RunOnce() {
  if (state_ == ASYNC_LOOP_SHUTDOWN) {
    return ZX_ERR_BAD_STATE;
  }
  if (state_ == ASYNC_LOOP_QUIT) {
    return ZX_ERR_CANCELED;
  }
  if (port_.empty()) {
    return ZX_ERR_TIMED_OUT;
  }
  const PortEntry entry = port_.front();
  port_.pop_front();
  if (entry.kind == EntryKind::kTimer) {
    DispatchBatch();
  } else if (entry.kind != EntryKind::kWake) {
    DispatchPacket(entry);
  }
  return ZX_OK;
}

void Model::DispatchBatch() {
  ZX_ASSERT_MSG(!dispatching_, "sequences never run the loop from a handler");
  dispatching_ = true;
  // Leftovers of an interrupted batch run first, before anything newly due.
  if (due_.empty()) {
    TakeDue();
  }
  while (!due_.empty()) {
    CallTask(PopDue(), ZX_OK);
    if (state_ != ASYNC_LOOP_RUNNABLE) {
      break;
    }
  }
  dispatching_ = false;
  RestartTimer();
}

bool Model::RunUntil(int64_t deadline) {
  bool ran = false;
  while (!quit_) {
    if (!HasPendingWork()) {
      const int64_t next = NextTaskDueTime();
      if (next > deadline) {
        AdvanceTo(deadline);
        break;
      }
      AdvanceTo(next);
    }
    ran = DispatchNextDueMessage() || ran;
  }
  quit_ = false;
  return ran;
}

bool Model::HasPendingWork() { return !due_.empty() || TaskIsDue() || PeekPort(); }

bool Model::PeekPort() {
  while (!port_.empty() && port_.front().kind == EntryKind::kTimer && !TaskIsDue()) {
    port_.pop_front();  // its tasks were cancelled
  }
  return !port_.empty();
}

int64_t Model::NextTaskDueTime() const {
  if (!due_.empty()) {
    return tasks_[due_.front()].deadline;
  }
  const int earliest = EarliestPending();
  return earliest >= 0 ? tasks_[earliest].deadline : kNever;
}

bool Model::DispatchNextDueMessage() {
  for (;;) {
    if (!due_.empty()) {
      DispatchDueTask();
      return true;
    }
    if (!PeekPort()) {
      break;
    }
    const PortEntry entry = port_.front();
    port_.pop_front();
    if (entry.kind != EntryKind::kTimer) {
      DispatchPacket(entry);
      return true;
    }
    TakeDue();
  }
  if (TaskIsDue()) {
    TakeDue();
    DispatchDueTask();
    return true;
  }
  return false;
}

void Model::DispatchDueTask() {
  CallTask(PopDue(), ZX_OK);
  const int earliest = EarliestPending();
  if (due_.empty() && earliest >= 0) {
    RegisterTimer(tasks_[earliest].deadline);
  }
}

void Model::DispatchPacket(const PortEntry& entry) {
  if (entry.kind == EntryKind::kWait) {
    ZX_ASSERT(waits_[entry.target].pending);
    waits_[entry.target].pending = false;
    CallWait(entry.target, ZX_OK, entry.observed);
  } else {
    CallReceiver(entry.target, entry.number);
  }
}

void Model::CancelEverything() {
  // async::TestLoop accepts work from the cancelled handlers and cancels it in turn; async::Loop
  // refuses it, so for it this is simply: waits, then due tasks, then pending tasks.
  for (;;) {
    int newest = -1;
    for (int i = 0; i < kWaitCount; i++) {
      if (waits_[i].pending && (newest < 0 || waits_[i].begun > waits_[newest].begun)) {
        newest = i;
      }
    }
    if (newest >= 0) {
      RemoveWait(newest);
      CallWait(newest, ZX_ERR_CANCELED, 0);
      continue;
    }
    if (!due_.empty()) {
      CallTask(PopDue(), ZX_ERR_CANCELED);
      continue;
    }
    const int earliest = EarliestPending();
    if (earliest < 0) {
      return;
    }
    tasks_[earliest].pending = false;
    CallTask(earliest, ZX_ERR_CANCELED);
  }
}

void Model::CallTask(int index, zx_status_t status) {
  const std::vector<Op> then = std::move(tasks_[index].then);
  tasks_[index].then.clear();
  trace_.push_back(TaskLine(flavor_, index, status, now()));
  for (const Op& op : then) {
    Execute(op);
  }
}

void Model::CallWait(int index, zx_status_t status, zx_signals_t observed) {
  const std::vector<Op> then = std::move(waits_[index].then);
  waits_[index].then.clear();
  zx_packet_signal_t signal = {};
  signal.trigger = waits_[index].trigger;
  signal.observed = observed;
  signal.count = 1;
  trace_.push_back(WaitLine(index, status, status == ZX_OK ? &signal : nullptr));
  for (const Op& op : then) {
    Execute(op);
  }
}

void Model::CallReceiver(int index, uint64_t number) {
  auto it = packet_then_.find(number);
  const std::vector<Op> then = std::move(it->second);
  packet_then_.erase(it);
  trace_.push_back(PacketLine(index, ZX_OK, /*has_data=*/true, number));
  for (const Op& op : then) {
    Execute(op);
  }
}

}  // namespace

Trace RunModel(const Sequence& sequence) { return Model(sequence.flavor).Run(sequence); }

}  // namespace loop_model
