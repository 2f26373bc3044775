// <lib/async/cpp/exception.h>: C++ exception-port receivers. Objects (async::Exception,
// async::ExceptionMethod) that own an `async_exception_t` and unbind it when destroyed.
//
// Fuchsia removed this header (with the exception operations) after 2018; portloop keeps it for
// code of that era.
//
// Handlers are fit::function / fit::closure (later Fuchsia's spelling). The 2018 headers used
// fbl::Function / fbl::Closure, which portloop defines as the same types; this header includes
// <fbl/function.h> as the 2018 one did, so code of that era that reaches those names (or
// ZX_DEBUG_ASSERT) through it still compiles.

#ifndef LIB_ASYNC_CPP_EXCEPTION_H_
#define LIB_ASYNC_CPP_EXCEPTION_H_

#include <lib/async/exception.h>
#include <lib/fit/function.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include <fbl/function.h>

namespace async {

// A binding of a dispatcher's port as a task's exception port: the common part of
// async::Exception and async::ExceptionMethod. Do not derive from it outside this library.
//
// The object owns the `async_exception_t` it binds; it does not own the task handle. While bound
// it must stay alive: each exception report calls the handler with ZX_OK, and the dispatcher's
// shutdown calls it once with ZX_ERR_CANCELED. The binding persists across reports, so
// is_bound() stays true after the handler runs, even after that ZX_ERR_CANCELED call. The
// destructor unbinds a bound exception and aborts (ZX_ASSERT) if that fails; so after the
// ZX_ERR_CANCELED call, destroy the object before its dispatcher is gone, or call Unbind() first
// (which then returns ZX_ERR_NOT_FOUND but leaves the object unbound).
//
// Bind(), Unbind() and Resume() are dispatch-thread only (the bound state is not synchronized);
// on a multi-threaded dispatcher the handler may run on several threads at once. Neither copyable
// nor movable.
//
// Linux: portloop has no process or thread objects yet, so binding a loop to any handle returns
// ZX_ERR_WRONG_TYPE.
class ExceptionBase {
 protected:
  // Creates an unbound receiver of `task`'s exceptions, whose C record calls `handler` (which
  // must not be null). `options` is passed to zx_task_bind_exception_port(): 0, or
  // ZX_EXCEPTION_PORT_DEBUGGER.
  ExceptionBase(zx_handle_t task, uint32_t options, async_exception_handler_t* handler);

  // Unbinds the exception if it is bound. Aborts (ZX_ASSERT) if the dispatcher then fails to
  // unbind it.
  ~ExceptionBase();

  ExceptionBase(const ExceptionBase&) = delete;
  ExceptionBase(ExceptionBase&&) = delete;
  ExceptionBase& operator=(const ExceptionBase&) = delete;
  ExceptionBase& operator=(ExceptionBase&&) = delete;

  // For the handlers of the concrete classes: returns the object that owns `exception`. Unlike
  // the task and wait wrappers it leaves the bound state alone: the binding outlives a report.
  template <typename T>
  static T* Dispatch(async_exception_t* exception) {
    static_assert(
        std::is_standard_layout_v<ExceptionBase> && offsetof(ExceptionBase, exception_) == 0,
        "the C record must be the first member, so its address is the object's");
    return static_cast<T*>(reinterpret_cast<ExceptionBase*>(exception));
  }

 public:
  // True from a successful Bind() until Unbind() is called.
  bool is_bound() const { return dispatcher_ != nullptr; }

  // Binds `dispatcher`'s port as the task's exception port.
  //
  // Returns ZX_OK if the port was bound.
  // Returns ZX_ERR_ALREADY_EXISTS if this object is already bound; the dispatcher is not asked.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support exceptions (a version 1
  // operations table).
  // Returns any other error of zx_task_bind_exception_port(), e.g. ZX_ERR_ALREADY_BOUND if the
  // task has an exception port, or ZX_ERR_WRONG_TYPE if the handle is not a task.
  zx_status_t Bind(async_dispatcher_t* dispatcher);

  // Unbinds the port. The object is unbound afterwards, whatever the result.
  //
  // Returns ZX_OK if the port was unbound.
  // Returns ZX_ERR_NOT_FOUND if this object is not bound (the dispatcher is not asked), or if
  // the dispatcher no longer holds the binding (e.g. after its shutdown).
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support exceptions.
  // Returns any other error of zx_task_bind_exception_port().
  zx_status_t Unbind();

  // Resumes the thread `task` (not necessarily the bound task, which may be its process or
  // job), which is stopped in an exception reported to this object. `options` is passed to
  // zx_task_resume_from_exception(): 0, or ZX_RESUME_TRY_NEXT.
  //
  // Returns ZX_OK if the thread was resumed.
  // Returns ZX_ERR_NOT_FOUND if this object is not bound; the dispatcher is not asked.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support exceptions.
  // Returns any other error of zx_task_resume_from_exception().
  zx_status_t Resume(zx_handle_t task, uint32_t options);

 private:
  async_exception_t exception_;
  async_dispatcher_t* dispatcher_ = nullptr;  // non-null while bound
};

// An exception receiver whose handler is a function object, called with ZX_OK and the report
// packet for each exception, and once with ZX_ERR_CANCELED and null when the dispatcher shuts
// down. See ExceptionBase for thread-safety.
//
// async::ExceptionMethod calls a member function with no function object to store or invoke.
class Exception final : public ExceptionBase {
 public:
  // Handles one report. `report` (a whole port packet: type ZX_EXCP_*, `exception.pid` and
  // `exception.tid`) is non-null only with ZX_OK, and valid only during the call.
  using Handler = fit::function<void(async_dispatcher_t* dispatcher, async::Exception* exception,
                                     zx_status_t status, const zx_port_packet_t* report)>;

  // Creates an unbound receiver of `task`'s exceptions bound with `options` (see
  // ExceptionBase) that calls `handler`, which must not be empty.
  Exception(zx_handle_t task, uint32_t options, Handler handler);

  // Unbinds the exception if it is bound (see ~ExceptionBase()).
  ~Exception();

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_exception_t* exception,
                          zx_status_t status, const zx_port_packet_t* report) noexcept;

  Handler handler_;
};

// An exception receiver whose handler is the member function `method` of a `Class` instance.
// See ExceptionBase for thread-safety.
//
//   class Debugger {
//     void OnException(async_dispatcher_t* dispatcher, async::ExceptionBase* exception,
//                      zx_status_t status, const zx_port_packet_t* report);
//     async::ExceptionMethod<Debugger, &Debugger::OnException> exception_{this, process, 0};
//   };
template <class Class,
          void (Class::*method)(async_dispatcher_t* dispatcher, async::ExceptionBase* exception,
                                zx_status_t status, const zx_port_packet_t* report)>
class ExceptionMethod final : public ExceptionBase {
 public:
  // Creates an unbound receiver of `task`'s exceptions bound with `options` (see ExceptionBase)
  // that calls `method` on `instance`, which must outlive the receiver.
  ExceptionMethod(Class* instance, zx_handle_t task, uint32_t options)
      : ExceptionBase(task, options, &ExceptionMethod::CallHandler), instance_(instance) {}

  // Unbinds the exception if it is bound (see ~ExceptionBase()).
  ~ExceptionMethod() = default;

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_exception_t* exception,
                          zx_status_t status, const zx_port_packet_t* report) noexcept {
    ExceptionMethod* self = Dispatch<ExceptionMethod>(exception);
    (self->instance_->*method)(dispatcher, self, status, report);
  }

  Class* const instance_;
};

}  // namespace async

#endif  // LIB_ASYNC_CPP_EXCEPTION_H_
