// The driver owns one set of operation structs per run and tracks, from the statuses it gets and
// the handler calls it sees, which of them are pending: it changes a struct's deadline or trigger
// only when it is not, as the API requires, and skips what async::TestLoop leaves undefined (a
// second post or begin of a pending operation). Handlers append to the trace and then perform
// their `then` operations, as the model's do.
#include "async-loop/test/model/driver.h"

#include <lib/async-loop/cpp/loop.h>
#include <lib/async-loop/loop.h>
#include <lib/async-testing/test_loop.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/wait.h>
#include <lib/zx/event.h>
#include <zircon/assert.h>

#include <cstdio>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace loop_model {
namespace {

// async::Loop's clock is real: deadlines <= 0 map to a millisecond after boot, long past on any
// machine, and deadlines > 0 to about 146 years after boot.
constexpr zx_time_t kLoopPast = ZX_MSEC(1);
constexpr zx_time_t kLoopFuture = ZX_TIME_INFINITE / 2;

// async::TestLoop prints its seed when it is made; a test that makes thousands keeps that out of
// its output. Restores standard output when destroyed.
class QuietStdout {
 public:
  QuietStdout() {
    std::fflush(stdout);
    saved_ = dup(STDOUT_FILENO);
    const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && null >= 0) {
      dup2(null, STDOUT_FILENO);
    }
    if (null >= 0) {
      close(null);
    }
  }
  ~QuietStdout() {
    std::fflush(stdout);
    if (saved_ >= 0) {
      dup2(saved_, STDOUT_FILENO);
      close(saved_);
    }
  }
  QuietStdout(const QuietStdout&) = delete;
  QuietStdout& operator=(const QuietStdout&) = delete;

 private:
  int saved_ = -1;
};

class Driver;

struct TaskSlot : async_task_t {
  Driver* driver = nullptr;
  int index = 0;
  bool pending = false;
  std::vector<Op> then;
};

struct WaitSlot : async_wait_t {
  Driver* driver = nullptr;
  int index = 0;
  bool pending = false;
  std::vector<Op> then;
  zx::event event;
};

struct ReceiverSlot : async_receiver_t {
  Driver* driver = nullptr;
  int index = 0;
};

class Driver {
 public:
  explicit Driver(Flavor flavor);

  Trace Run(const Sequence& sequence);

 private:
  static void OnTask(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status);
  static void OnWait(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                     const zx_packet_signal_t* signal);
  static void OnPacket(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                       zx_status_t status, const zx_packet_user_t* data);

  bool is_loop() const { return flavor_ == Flavor::kLoop; }
  zx_time_t RealDeadline(int64_t deadline) const;
  void Execute(const Op& op);
  void Post(const Op& op);
  void Begin(const Op& op);
  void Queue(const Op& op);
  void Run(const Op& op);
  void Shutdown(const Op& op);
  void PerformAll(const std::vector<Op>& ops);

  const Flavor flavor_;
  // Declared before the dispatchers: they must outlive them.
  TaskSlot tasks_[kTaskCount];
  WaitSlot waits_[kWaitCount];
  ReceiverSlot receivers_[kReceiverCount];
  std::map<uint64_t, std::vector<Op>> packet_then_;
  uint64_t next_packet_ = 0;
  Trace trace_;

  std::unique_ptr<async::Loop> loop_;
  std::unique_ptr<async::TestLoop> test_loop_;
  async_dispatcher_t* dispatcher_ = nullptr;
  bool destroying_ = false;
};

Driver::Driver(Flavor flavor) : flavor_(flavor) {
  for (int i = 0; i < kTaskCount; i++) {
    tasks_[i].state = ASYNC_STATE_INIT;
    tasks_[i].handler = &Driver::OnTask;
    tasks_[i].driver = this;
    tasks_[i].index = i;
  }
  for (int i = 0; i < kWaitCount; i++) {
    zx_status_t status = zx::event::create(0, &waits_[i].event);
    ZX_ASSERT_MSG(status == ZX_OK, "zx_event_create: %d", status);
    waits_[i].state = ASYNC_STATE_INIT;
    waits_[i].handler = &Driver::OnWait;
    waits_[i].object = waits_[i].event.get();
    waits_[i].driver = this;
    waits_[i].index = i;
  }
  for (int i = 0; i < kReceiverCount; i++) {
    receivers_[i].state = ASYNC_STATE_INIT;
    receivers_[i].handler = &Driver::OnPacket;
    receivers_[i].driver = this;
    receivers_[i].index = i;
  }
  if (is_loop()) {
    loop_ = std::make_unique<async::Loop>(&kAsyncLoopConfigNoAttachToThread);
    dispatcher_ = loop_->dispatcher();
  } else {
    QuietStdout quiet;
    // One subloop, so the seed of its pseudo-random choices does not matter.
    test_loop_ = std::make_unique<async::TestLoop>(1u);
    dispatcher_ = test_loop_->dispatcher();
  }
}

Trace Driver::Run(const Sequence& sequence) {
  for (const Op& op : sequence.ops) {
    Execute(op);
  }
  Op shutdown;
  shutdown.kind = OpKind::kShutdown;
  Execute(shutdown);
  loop_.reset();
  return std::move(trace_);
}

zx_time_t Driver::RealDeadline(int64_t deadline) const {
  if (deadline == kNever) {
    return ZX_TIME_INFINITE;
  }
  if (!is_loop()) {
    return deadline;
  }
  return deadline <= 0 ? kLoopPast + deadline : kLoopFuture + deadline;
}

void Driver::Execute(const Op& op) {
  switch (op.kind) {
    case OpKind::kPostTask:
      Post(op);
      return;
    case OpKind::kCancelTask: {
      TaskSlot& task = tasks_[op.target];
      const zx_status_t status = async_cancel_task(dispatcher_, &task);
      if (status == ZX_OK) {
        task.pending = false;
        task.then.clear();
      }
      trace_.push_back(StatusLine(flavor_, op, status));
      return;
    }
    case OpKind::kBeginWait:
      Begin(op);
      return;
    case OpKind::kCancelWait: {
      WaitSlot& wait = waits_[op.target];
      const zx_status_t status = async_cancel_wait(dispatcher_, &wait);
      if (status == ZX_OK) {
        wait.pending = false;
        wait.then.clear();
      }
      trace_.push_back(StatusLine(flavor_, op, status));
      return;
    }
    case OpKind::kQueuePacket:
      Queue(op);
      return;
    case OpKind::kSignal:
      trace_.push_back(StatusLine(flavor_, op, waits_[op.target].event.signal(op.clear, op.set)));
      return;
    case OpKind::kQuit:
      if (is_loop()) {
        loop_->Quit();
      } else if (!destroying_) {
        test_loop_->Quit();
      }
      trace_.push_back(DoneLine(flavor_, op));
      return;
    case OpKind::kResetQuit:
      trace_.push_back(StatusLine(flavor_, op, loop_->ResetQuit()));
      return;
    case OpKind::kShutdown:
      Shutdown(op);
      return;
    default:
      Run(op);
      return;
  }
}

void Driver::Post(const Op& op) {
  TaskSlot& task = tasks_[op.target];
  if (task.pending && !is_loop()) {
    trace_.push_back(SkippedLine(flavor_, op));
    return;
  }
  if (!task.pending) {
    task.deadline = RealDeadline(op.deadline);
  }
  const zx_status_t status = async_post_task(dispatcher_, &task);
  if (status == ZX_OK) {
    task.pending = true;
    task.then = op.then;
  }
  trace_.push_back(StatusLine(flavor_, op, status));
}

void Driver::Begin(const Op& op) {
  WaitSlot& wait = waits_[op.target];
  if (wait.pending && !is_loop()) {
    trace_.push_back(SkippedLine(flavor_, op));
    return;
  }
  if (!wait.pending) {
    wait.trigger = op.trigger;
  }
  const zx_status_t status = async_begin_wait(dispatcher_, &wait);
  if (status == ZX_OK) {
    wait.pending = true;
    wait.then = op.then;
  }
  trace_.push_back(StatusLine(flavor_, op, status));
}

void Driver::Queue(const Op& op) {
  const uint64_t number = next_packet_++;
  zx_packet_user_t data = {};
  data.u64[0] = number;
  // Recorded first: a loop may deliver the packet before async_queue_packet returns.
  packet_then_[number] = op.then;
  const zx_status_t status = async_queue_packet(dispatcher_, &receivers_[op.target], &data);
  if (status != ZX_OK) {
    packet_then_.erase(number);
  }
  trace_.push_back(StatusLine(flavor_, op, status));
}

void Driver::Run(const Op& op) {
  switch (op.kind) {
    case OpKind::kRunUntilIdle:
      if (is_loop()) {
        trace_.push_back(StatusLine(flavor_, op, loop_->RunUntilIdle()));
      } else {
        const bool ran = test_loop_->RunUntilIdle();
        trace_.push_back(RanLine(flavor_, op, ran));
      }
      return;
    case OpKind::kRun: {
      const zx_status_t status = loop_->Run(zx::time(kLoopPast - 1000), op.once);
      trace_.push_back(StatusLine(flavor_, op, status));
      return;
    }
    case OpKind::kRunFor: {
      const bool ran = test_loop_->RunFor(zx::nsec(op.duration));
      trace_.push_back(RanLine(flavor_, op, ran));
      return;
    }
    case OpKind::kAdvanceTimeByEpsilon:
      test_loop_->AdvanceTimeByEpsilon();
      trace_.push_back(DoneLine(flavor_, op));
      return;
    default:
      ZX_ASSERT_MSG(false, "not a run: %d", static_cast<int>(op.kind));
  }
}

void Driver::Shutdown(const Op& op) {
  if (is_loop()) {
    loop_->Shutdown();
  } else if (!destroying_) {
    destroying_ = true;
    test_loop_.reset();
  }
  trace_.push_back(DoneLine(flavor_, op));
}

void Driver::PerformAll(const std::vector<Op>& ops) {
  for (const Op& op : ops) {
    Execute(op);
  }
}

void Driver::OnTask(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
  auto* slot = static_cast<TaskSlot*>(task);
  Driver* driver = slot->driver;
  slot->pending = false;
  const std::vector<Op> then = std::move(slot->then);
  slot->then.clear();
  const int64_t now = driver->is_loop() ? 0 : async_now(dispatcher);
  driver->trace_.push_back(TaskLine(driver->flavor_, slot->index, status, now));
  driver->PerformAll(then);
}

void Driver::OnWait(async_dispatcher_t*, async_wait_t* wait, zx_status_t status,
                    const zx_packet_signal_t* signal) {
  auto* slot = static_cast<WaitSlot*>(wait);
  Driver* driver = slot->driver;
  slot->pending = false;
  const std::vector<Op> then = std::move(slot->then);
  slot->then.clear();
  driver->trace_.push_back(WaitLine(slot->index, status, signal));
  driver->PerformAll(then);
}

void Driver::OnPacket(async_dispatcher_t*, async_receiver_t* receiver, zx_status_t status,
                      const zx_packet_user_t* data) {
  auto* slot = static_cast<ReceiverSlot*>(receiver);
  Driver* driver = slot->driver;
  std::vector<Op> then;
  if (data != nullptr) {
    auto it = driver->packet_then_.find(data->u64[0]);
    if (it != driver->packet_then_.end()) {
      then = std::move(it->second);
      driver->packet_then_.erase(it);
    }
  }
  driver->trace_.push_back(
      PacketLine(slot->index, status, data != nullptr, data == nullptr ? 0 : data->u64[0]));
  driver->PerformAll(then);
}

}  // namespace

Trace RunImplementation(const Sequence& sequence) { return Driver(sequence.flavor).Run(sequence); }

}  // namespace loop_model
