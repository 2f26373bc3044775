// async::PostTask and friends, and the task objects of <lib/async/cpp/task.h>.
//
// async::PostTask needs storage for an `async_task_t` and the closure that outlives the call.
// It takes a block from BlockRecycler, builds a PostedTask in it, and gives the block back once
// the handler has run (or the shutdown has canceled it), so in the steady state no post
// allocates: fit::closure holds a small lambda inline, and the block comes from this thread's
// cache or, when other threads free the blocks, from the recycler's depot (block_recycler.h).

#include <lib/async/cpp/task.h>
#include <lib/async/cpp/time.h>
#include <zircon/assert.h>

#include <new>
#include <type_traits>
#include <utility>

#include "async/src/cpp/block_recycler.h"

namespace async {
namespace {

// One task posted by PostTaskForTime(). The C record comes first: the handler receives its
// address and converts it back.
struct PostedTask {
  async_task_t task;
  fit::closure handler;
};

static_assert(std::is_standard_layout_v<PostedTask> && offsetof(PostedTask, task) == 0,
              "the C record must be the first member, so its address is the object's");
static_assert(alignof(PostedTask) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
              "blocks come from plain operator new");

using PostedTaskRecycler = internal::BlockRecycler<sizeof(PostedTask)>;

void DestroyPostedTask(PostedTask* posted) {
  posted->~PostedTask();
  PostedTaskRecycler::Free(posted);
}

// The closure runs only with ZX_OK; with ZX_ERR_CANCELED (shutdown) it is only destroyed.
void RunPostedTask(async_dispatcher_t* dispatcher, async_task_t* task,
                   zx_status_t status) noexcept {
  (void)dispatcher;
  auto* posted = reinterpret_cast<PostedTask*>(task);
  if (status == ZX_OK) {
    posted->handler();
  }
  DestroyPostedTask(posted);
}

}  // namespace

zx_status_t PostTask(async_dispatcher_t* dispatcher, fit::closure handler) {
  return PostTaskForTime(dispatcher, std::move(handler), async::Now(dispatcher));
}

zx_status_t PostDelayedTask(async_dispatcher_t* dispatcher, fit::closure handler,
                            zx::duration delay) {
  return PostTaskForTime(dispatcher, std::move(handler), async::Now(dispatcher) + delay);
}

zx_status_t PostTaskForTime(async_dispatcher_t* dispatcher, fit::closure handler,
                            zx::time deadline) {
  auto* posted = new (PostedTaskRecycler::Allocate())
      PostedTask{{ASYNC_STATE_INIT, &RunPostedTask, deadline.get()}, std::move(handler)};
  zx_status_t status = async_post_task(dispatcher, &posted->task);
  if (status != ZX_OK) {
    DestroyPostedTask(posted);  // never posted, so the handler will not free it
  }
  return status;
}

TaskBase::TaskBase(async_task_handler_t* handler)
    : task_{ASYNC_STATE_INIT, handler, ZX_TIME_INFINITE} {}

TaskBase::~TaskBase() {
  if (dispatcher_ != nullptr) {
    // Single-threaded use means the task cannot be running now, so it must still be queued.
    zx_status_t status = async_cancel_task(dispatcher_, &task_);
    ZX_ASSERT_MSG(status == ZX_OK, "destroying a pending task: cancel failed, status=%d", status);
  }
}

zx_status_t TaskBase::Post(async_dispatcher_t* dispatcher) {
  return PostForTime(dispatcher, async::Now(dispatcher));
}

zx_status_t TaskBase::PostDelayed(async_dispatcher_t* dispatcher, zx::duration delay) {
  return PostForTime(dispatcher, async::Now(dispatcher) + delay);
}

zx_status_t TaskBase::PostForTime(async_dispatcher_t* dispatcher, zx::time deadline) {
  if (dispatcher_ != nullptr) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  // Recorded before posting: the handler may run (on another thread) before post returns.
  dispatcher_ = dispatcher;
  task_.deadline = deadline.get();
  zx_status_t status = async_post_task(dispatcher, &task_);
  if (status != ZX_OK) {
    dispatcher_ = nullptr;
  }
  return status;
}

zx_status_t TaskBase::Cancel() {
  if (dispatcher_ == nullptr) {
    return ZX_ERR_NOT_FOUND;
  }
  async_dispatcher_t* dispatcher = dispatcher_;
  dispatcher_ = nullptr;
  zx_status_t status = async_cancel_task(dispatcher, &task_);
  // NOT_FOUND would mean the dispatcher ran or dropped the task without telling this object:
  // only possible if it is used from several threads, which the class does not allow.
  ZX_DEBUG_ASSERT_MSG(status != ZX_ERR_NOT_FOUND, "pending task unknown to its dispatcher");
  return status;
}

Task::Task(Handler handler) : TaskBase(&Task::CallHandler), handler_(std::move(handler)) {}

Task::~Task() = default;

void Task::CallHandler(async_dispatcher_t* dispatcher, async_task_t* task,
                       zx_status_t status) noexcept {
  Task* self = Dispatch<Task>(task);
  // The handler may destroy `self`: nothing here touches it after the call.
  self->handler_(dispatcher, self, status);
}

TaskClosure::TaskClosure(fit::closure handler)
    : TaskBase(&TaskClosure::CallHandler), handler_(std::move(handler)) {}

TaskClosure::~TaskClosure() = default;

void TaskClosure::CallHandler(async_dispatcher_t* dispatcher, async_task_t* task,
                              zx_status_t status) noexcept {
  (void)dispatcher;
  // Dispatch() clears the pending state, which must happen whatever the status.
  TaskClosure* self = Dispatch<TaskClosure>(task);
  if (status == ZX_OK) {
    self->handler_();
  }
}

}  // namespace async
