// <lib/async/cpp/wait.h>: C++ waits. Objects (async::Wait, async::WaitMethod, async::WaitOnce)
// that own an `async_wait_t` and cancel it when destroyed.
//
// Handlers are fit::function / fit::closure (later Fuchsia's spelling). The 2018 headers used
// fbl::Function / fbl::Closure, which portloop defines as the same types; this header includes
// <fbl/function.h> as the 2018 one did, so code of that era that reaches those names (or
// ZX_DEBUG_ASSERT) through it still compiles.

#ifndef LIB_ASYNC_CPP_WAIT_H_
#define LIB_ASYNC_CPP_WAIT_H_

#include <lib/async/wait.h>
#include <lib/fit/function.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include <fbl/function.h>

namespace async {

// An asynchronous wait for signals on an object: the common part of async::Wait,
// async::WaitMethod and async::WaitOnce. Do not derive from it outside this library.
//
// The object owns the `async_wait_t` it begins; it does not own the handle it waits on, which
// must stay open while the wait is pending. Once begun, the wait must stay alive and must not be
// begun again until its handler runs, Cancel() succeeds, or the dispatcher shuts down; the
// destructor cancels a pending wait. When the handler runs the wait is no longer pending, so the
// handler may begin it again or destroy the object.
//
// Dispatch-thread only: use it on the thread of a single-threaded dispatcher, since its pending
// state is not synchronized. Neither copyable nor movable.
//
// Linux: Fuchsia's `async_wait_t` later gained an `options` field, with `options()` and
// `set_options()` here; portloop keeps the 2018 record, which has none.
class WaitBase {
 protected:
  // Creates an idle wait for any of `trigger` on `object`, whose C record calls `handler`.
  explicit WaitBase(zx_handle_t object, zx_signals_t trigger, async_wait_handler_t* handler);

  // Cancels the wait if it is pending. Aborts (ZX_ASSERT) if the dispatcher then fails to cancel
  // it, e.g. because another thread has already dequeued its completion.
  ~WaitBase();

  WaitBase(const WaitBase&) = delete;
  WaitBase(WaitBase&&) = delete;
  WaitBase& operator=(const WaitBase&) = delete;
  WaitBase& operator=(WaitBase&&) = delete;

 public:
  // The object whose signals are awaited (not owned). Change it only while the wait is idle.
  zx_handle_t object() const { return wait_.object; }
  void set_object(zx_handle_t object) { wait_.object = object; }

  // The signals awaited: the wait completes when any of them is asserted. Change them only while
  // the wait is idle.
  zx_signals_t trigger() const { return wait_.trigger; }
  void set_trigger(zx_signals_t trigger) { wait_.trigger = trigger; }

  // True from a successful Begin() until the handler is called or Cancel() is called.
  bool is_pending() const { return dispatcher_ != nullptr; }

  // Begins waiting on `dispatcher` for any of trigger() on object(). The handler is then called
  // exactly once, unless the wait is canceled first: with ZX_OK and the signal packet when a
  // trigger signal is asserted (at once if one already is), or with ZX_ERR_CANCELED when the
  // dispatcher shuts down.
  //
  // Returns ZX_OK if the wait was begun.
  // Returns ZX_ERR_ALREADY_EXISTS if the wait is already pending; the dispatcher is not asked.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks ZX_RIGHT_WAIT.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support waits.
  zx_status_t Begin(async_dispatcher_t* dispatcher);

  // Cancels the pending wait so that its handler is not called. The wait is no longer pending
  // afterwards, whatever the result.
  //
  // Returns ZX_OK if the wait was pending and is now canceled.
  // Returns ZX_ERR_NOT_FOUND if the wait was not pending (never begun, already completed, or
  // already canceled); the dispatcher is not asked.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support waits.
  zx_status_t Cancel();

 protected:
  // For the handlers of the concrete classes: returns the object that owns `wait`, already
  // marked as not pending, so that the handler may begin it again or destroy it.
  template <typename T>
  static T* Dispatch(async_wait_t* wait) {
    static_assert(std::is_standard_layout_v<WaitBase> && offsetof(WaitBase, wait_) == 0,
                  "the C record must be the first member, so its address is the object's");
    auto* self = reinterpret_cast<WaitBase*>(wait);
    self->dispatcher_ = nullptr;
    return static_cast<T*>(self);
  }

 private:
  async_wait_t wait_;
  async_dispatcher_t* dispatcher_ = nullptr;  // non-null while pending
};

// A wait whose handler is a function object, called with ZX_OK and the signal packet when the
// wait completes, or with ZX_ERR_CANCELED and null when the dispatcher shuts down first.
// Dispatch-thread only (see WaitBase).
//
// async::WaitMethod calls a member function with no function object to store or invoke.
class Wait final : public WaitBase {
 public:
  // Handles the wait's completion. `signal` is non-null only with ZX_OK, and valid only during
  // the call. `wait` is this object, which the handler may begin again or destroy.
  using Handler = fit::function<void(async_dispatcher_t* dispatcher, async::Wait* wait,
                                     zx_status_t status, const zx_packet_signal_t* signal)>;

  // Creates an idle wait for any of `trigger` on `object`. It must have a handler before it is
  // begun.
  explicit Wait(zx_handle_t object = ZX_HANDLE_INVALID, zx_signals_t trigger = ZX_SIGNAL_NONE,
                Handler handler = nullptr);

  // Cancels the wait if it is pending (see ~WaitBase()).
  ~Wait();

  // Replaces the handler. Must not be called while the handler is running, which would destroy
  // the running function object.
  void set_handler(Handler handler) { handler_ = std::move(handler); }

  // True if the wait has a handler.
  bool has_handler() const { return !!handler_; }

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                          const zx_packet_signal_t* signal) noexcept;

  Handler handler_;
};

// A wait that takes a new handler with each Begin() and gives it up when it is called: the
// handler is moved out of the object before the call and destroyed after it, so it may destroy
// the WaitOnce (and with it anything the object owns) without destroying itself mid-call.
// Dispatch-thread only (see WaitBase).
//
// Linux: later Fuchsia's constructor also takes `options`; portloop keeps the 2018 record,
// which has none (see WaitBase).
class WaitOnce final : public WaitBase {
 public:
  // Handles the wait's completion, as async::Wait::Handler does.
  using Handler = fit::function<void(async_dispatcher_t* dispatcher, async::WaitOnce* wait,
                                     zx_status_t status, const zx_packet_signal_t* signal)>;

  // Creates an idle wait for any of `trigger` on `object`.
  explicit WaitOnce(zx_handle_t object = ZX_HANDLE_INVALID, zx_signals_t trigger = ZX_SIGNAL_NONE);

  // Cancels the wait if it is pending (see ~WaitBase()); a pending handler is destroyed uncalled.
  ~WaitOnce();

  // Begins waiting, as WaitBase::Begin() does, with `handler` to be called once on completion.
  // A handler is needed for every Begin(), since each is consumed by its call.
  //
  // Returns ZX_OK if the wait was begun.
  // Returns ZX_ERR_ALREADY_EXISTS if the wait is already pending; its handler is kept and
  // `handler` is destroyed.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks ZX_RIGHT_WAIT; `handler` is destroyed.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down; `handler` is destroyed.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support waits; `handler` is
  // destroyed.
  zx_status_t Begin(async_dispatcher_t* dispatcher, Handler handler);

 private:
  // Hidden: a WaitOnce is only begun together with its handler.
  using WaitBase::Begin;

  static void CallHandler(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                          const zx_packet_signal_t* signal) noexcept;

  Handler handler_;
};

// A wait whose handler is the member function `method` of a `Class` instance, called with ZX_OK
// and the signal packet when the wait completes, or with ZX_ERR_CANCELED and null when the
// dispatcher shuts down first. Dispatch-thread only (see WaitBase).
//
//   class Reader {
//     void OnReadable(async_dispatcher_t* dispatcher, async::WaitBase* wait, zx_status_t status,
//                     const zx_packet_signal_t* signal);
//     async::WaitMethod<Reader, &Reader::OnReadable> wait_{this, channel, ZX_CHANNEL_READABLE};
//   };
template <class Class, void (Class::*method)(async_dispatcher_t* dispatcher, async::WaitBase* wait,
                                             zx_status_t status, const zx_packet_signal_t* signal)>
class WaitMethod final : public WaitBase {
 public:
  // Creates an idle wait for any of `trigger` on `object` that calls `method` on `instance`,
  // which must outlive the wait.
  explicit WaitMethod(Class* instance, zx_handle_t object = ZX_HANDLE_INVALID,
                      zx_signals_t trigger = ZX_SIGNAL_NONE)
      : WaitBase(object, trigger, &WaitMethod::CallHandler), instance_(instance) {}

  // Cancels the wait if it is pending (see ~WaitBase()).
  ~WaitMethod() = default;

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                          const zx_packet_signal_t* signal) noexcept {
    WaitMethod* self = Dispatch<WaitMethod>(wait);
    (self->instance_->*method)(dispatcher, self, status, signal);
  }

  Class* const instance_;
};

}  // namespace async

#endif  // LIB_ASYNC_CPP_WAIT_H_
