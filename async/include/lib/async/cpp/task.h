// <lib/async/cpp/task.h>: C++ tasks. Free functions that post a closure, and task objects
// (async::Task, async::TaskMethod, async::TaskClosure, async::TaskClosureMethod) that own an
// `async_task_t` and cancel it when destroyed.
//
// Handlers are fit::function / fit::closure (later Fuchsia's spelling). The 2018 headers used
// fbl::Function / fbl::Closure, which portloop defines as the same types; this header includes
// <fbl/function.h> as the 2018 one did, so code of that era that reaches those names (or
// ZX_DEBUG_ASSERT) through it still compiles.

#ifndef LIB_ASYNC_CPP_TASK_H_
#define LIB_ASYNC_CPP_TASK_H_

#include <lib/async/task.h>
#include <lib/fit/function.h>
#include <lib/zx/time.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include <fbl/function.h>

namespace async {

// Posts a task that calls `handler` as soon as possible: its deadline is async::Now(dispatcher).
//
// `handler` is called on the dispatcher's thread if the task runs; if the dispatcher shuts down
// first it is destroyed without being called. `handler` must not be empty. Thread-safe.
//
// The task lives in a block this library owns and frees after the handler returns.
//
// Linux: Fuchsia allocates that block with `new` on every call. portloop recycles blocks through
// per-thread caches, so once a program has warmed up, posting a handler that fits inline in a
// fit::closure (a lambda capturing up to three pointers) allocates nothing, even when one thread
// posts and another runs the tasks. The caches hold a bounded number of blocks.
//
// Returns ZX_OK if the task was posted.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down; `handler` is destroyed.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks; `handler` is destroyed.
zx_status_t PostTask(async_dispatcher_t* dispatcher, fit::closure handler);

// As PostTask(), with a deadline of async::Now(dispatcher) + `delay` (saturating at infinity).
//
// Returns ZX_OK if the task was posted.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down; `handler` is destroyed.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks; `handler` is destroyed.
zx_status_t PostDelayedTask(async_dispatcher_t* dispatcher, fit::closure handler,
                            zx::duration delay);

// As PostTask(), with the given `deadline` in the dispatcher's time base (see async::Now()).
//
// Returns ZX_OK if the task was posted.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down; `handler` is destroyed.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks; `handler` is destroyed.
zx_status_t PostTaskForTime(async_dispatcher_t* dispatcher, fit::closure handler,
                            zx::time deadline);

// A task with a handler: the common part of async::Task, async::TaskMethod,
// async::TaskClosure and async::TaskClosureMethod. Do not derive from it outside this library.
//
// The object owns the `async_task_t` it posts. Once posted it must stay alive and must not be
// posted again until its handler runs, Cancel() succeeds, or the dispatcher shuts down; the
// destructor cancels a pending task. When the handler runs the task is no longer pending, so the
// handler may post it again or destroy the object.
//
// Dispatch-thread only: use it on the thread of a single-threaded dispatcher, since its pending
// state is not synchronized. Neither copyable nor movable.
class TaskBase {
 protected:
  // Creates an idle task whose C record calls `handler`, with a deadline of infinity.
  explicit TaskBase(async_task_handler_t* handler);

  // Cancels the task if it is pending. Aborts (ZX_ASSERT) if the dispatcher then fails to cancel
  // it, e.g. because another thread has already taken it off the queue to run.
  ~TaskBase();

  TaskBase(const TaskBase&) = delete;
  TaskBase(TaskBase&&) = delete;
  TaskBase& operator=(const TaskBase&) = delete;
  TaskBase& operator=(TaskBase&&) = delete;

 public:
  // True from a successful post until the handler is called or Cancel() is called.
  bool is_pending() const { return dispatcher_ != nullptr; }

  // The deadline of the last post attempt that got past the pending check, whether or not the
  // dispatcher accepted it; zx::time::infinite() if the task was never posted.
  zx::time last_deadline() const { return zx::time(task_.deadline); }

  // Posts the task to run on `dispatcher` as soon as possible (deadline async::Now(dispatcher)).
  //
  // Returns ZX_OK if the task was posted.
  // Returns ZX_ERR_ALREADY_EXISTS if the task is already pending; nothing changes.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks.
  zx_status_t Post(async_dispatcher_t* dispatcher);

  // Posts the task to run on `dispatcher` after `delay`: its deadline is async::Now(dispatcher)
  // + `delay`, saturating at infinity.
  //
  // Returns ZX_OK if the task was posted.
  // Returns ZX_ERR_ALREADY_EXISTS if the task is already pending; nothing changes.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks.
  zx_status_t PostDelayed(async_dispatcher_t* dispatcher, zx::duration delay);

  // Posts the task to run on `dispatcher` on or after `deadline`, a time in the dispatcher's
  // time base (see async::Now()).
  //
  // Returns ZX_OK if the task was posted.
  // Returns ZX_ERR_ALREADY_EXISTS if the task is already pending; nothing changes, not even
  // last_deadline().
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks.
  zx_status_t PostForTime(async_dispatcher_t* dispatcher, zx::time deadline);

  // Cancels the pending task so that its handler is not called. The task is no longer pending
  // afterwards, whatever the result.
  //
  // Returns ZX_OK if the task was pending and is now canceled.
  // Returns ZX_ERR_NOT_FOUND if the task was not pending (never posted, already run, or already
  // canceled); the dispatcher is not asked.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support tasks.
  zx_status_t Cancel();

 protected:
  // For the handlers of the concrete classes: returns the object that owns `task`, already
  // marked as not pending, so that the handler may post it again or destroy it.
  template <typename T>
  static T* Dispatch(async_task_t* task) {
    static_assert(std::is_standard_layout_v<TaskBase> && offsetof(TaskBase, task_) == 0,
                  "the C record must be the first member, so its address is the object's");
    auto* self = reinterpret_cast<TaskBase*>(task);
    self->dispatcher_ = nullptr;
    return static_cast<T*>(self);
  }

 private:
  async_task_t task_;
  async_dispatcher_t* dispatcher_ = nullptr;  // non-null while pending
};

// A task whose handler is a function object, called with ZX_OK when the task runs or
// ZX_ERR_CANCELED when the dispatcher shuts down first. Dispatch-thread only (see TaskBase).
//
// async::TaskMethod calls a member function with no function object to store or invoke.
class Task final : public TaskBase {
 public:
  // Handles the task: `status` is ZX_OK when the deadline has come, or ZX_ERR_CANCELED when the
  // dispatcher shut down before the task ran. `task` is this object, which the handler may post
  // again or destroy.
  using Handler =
      fit::function<void(async_dispatcher_t* dispatcher, async::Task* task, zx_status_t status)>;

  // Creates an idle task. It must be given a handler before it is posted.
  explicit Task(Handler handler = nullptr);

  // Cancels the task if it is pending (see ~TaskBase()).
  ~Task();

  // Replaces the handler. Must not be called while the handler is running, which would destroy
  // the running function object.
  void set_handler(Handler handler) { handler_ = std::move(handler); }

  // True if the task has a handler.
  bool has_handler() const { return !!handler_; }

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_task_t* task,
                          zx_status_t status) noexcept;

  Handler handler_;
};

// A task whose handler is the member function `method` of a `Class` instance, called with ZX_OK
// when the task runs or ZX_ERR_CANCELED when the dispatcher shuts down first. Dispatch-thread
// only (see TaskBase).
//
//   class Poller {
//     void Poll(async_dispatcher_t* dispatcher, async::TaskBase* task, zx_status_t status);
//     async::TaskMethod<Poller, &Poller::Poll> poll_task_{this};
//   };
template <class Class, void (Class::*method)(async_dispatcher_t* dispatcher, async::TaskBase* task,
                                             zx_status_t status)>
class TaskMethod final : public TaskBase {
 public:
  // Creates an idle task that calls `method` on `instance`, which must outlive the task.
  explicit TaskMethod(Class* instance) : TaskBase(&TaskMethod::CallHandler), instance_(instance) {}

  // Cancels the task if it is pending (see ~TaskBase()).
  ~TaskMethod() = default;

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_task_t* task,
                          zx_status_t status) noexcept {
    TaskMethod* self = Dispatch<TaskMethod>(task);
    (self->instance_->*method)(dispatcher, self, status);
  }

  Class* const instance_;
};

// A task whose handler is a closure, called only when the task runs with ZX_OK: a closure has no
// status parameter, so at shutdown it is simply not called (the task still stops being pending).
// Dispatch-thread only (see TaskBase).
//
// async::TaskClosureMethod calls a member function with no function object to store or invoke.
class TaskClosure final : public TaskBase {
 public:
  // Creates an idle task. It must be given a handler before it is posted.
  explicit TaskClosure(fit::closure handler = nullptr);

  // Cancels the task if it is pending (see ~TaskBase()).
  ~TaskClosure();

  // Replaces the handler. Must not be called while the handler is running.
  void set_handler(fit::closure handler) { handler_ = std::move(handler); }

  // True if the task has a handler.
  bool has_handler() const { return !!handler_; }

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_task_t* task,
                          zx_status_t status) noexcept;

  fit::closure handler_;
};

// A task whose handler is the member function `method` (no parameters) of a `Class` instance,
// called only when the task runs with ZX_OK; at shutdown it is not called. Dispatch-thread only
// (see TaskBase).
//
//   class Flusher {
//     void Flush();
//     async::TaskClosureMethod<Flusher, &Flusher::Flush> flush_task_{this};
//   };
template <class Class, void (Class::*method)()>
class TaskClosureMethod final : public TaskBase {
 public:
  // Creates an idle task that calls `method` on `instance`, which must outlive the task.
  explicit TaskClosureMethod(Class* instance)
      : TaskBase(&TaskClosureMethod::CallHandler), instance_(instance) {}

  // Cancels the task if it is pending (see ~TaskBase()).
  ~TaskClosureMethod() = default;

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_task_t* task,
                          zx_status_t status) noexcept {
    (void)dispatcher;
    // Dispatch() clears the pending state, which must happen whatever the status.
    TaskClosureMethod* self = Dispatch<TaskClosureMethod>(task);
    if (status == ZX_OK) {
      (self->instance_->*method)();
    }
  }

  Class* const instance_;
};

}  // namespace async

#endif  // LIB_ASYNC_CPP_TASK_H_
