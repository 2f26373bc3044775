// <lib/async/cpp/receiver.h>: C++ packet receivers. Objects (async::Receiver,
// async::ReceiverMethod) that own an `async_receiver_t` and the handler its packets go to.
//
// Handlers are fit::function / fit::closure (later Fuchsia's spelling). The 2018 headers used
// fbl::Function / fbl::Closure, which portloop defines as the same types; this header includes
// <fbl/function.h> as the 2018 one did, so code of that era that reaches those names (or
// ZX_DEBUG_ASSERT) through it still compiles.

#ifndef LIB_ASYNC_CPP_RECEIVER_H_
#define LIB_ASYNC_CPP_RECEIVER_H_

#include <lib/async/receiver.h>
#include <lib/fit/function.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include <fbl/function.h>

namespace async {

// A receiver of user packets: the common part of async::Receiver and async::ReceiverMethod. Do
// not derive from it outside this library.
//
// The object owns the `async_receiver_t` packets are queued for. Queued packets cannot be
// canceled: the receiver must stay alive until every packet queued for it has been delivered or
// the dispatcher has shut down (which drops undelivered packets without calling the handler).
// The destructor does nothing.
//
// Thread-safe: QueuePacket() may be called from any thread, and on a multi-threaded dispatcher
// the handler may run on several threads at once. Neither copyable nor movable.
class ReceiverBase {
 protected:
  // Creates a receiver whose C record calls `handler`.
  explicit ReceiverBase(async_receiver_handler_t* handler);

  ~ReceiverBase();

  ReceiverBase(const ReceiverBase&) = delete;
  ReceiverBase(ReceiverBase&&) = delete;
  ReceiverBase& operator=(const ReceiverBase&) = delete;
  ReceiverBase& operator=(ReceiverBase&&) = delete;

 public:
  // Queues a packet for this receiver on `dispatcher`; the handler gets ZX_OK and a copy of
  // `*data`, or 32 zero bytes if `data` is null. `data` is copied before this returns.
  // Thread-safe.
  //
  // Returns ZX_OK if the packet was queued.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support packets.
  // May also return the dispatcher's queueing errors, e.g. ZX_ERR_SHOULD_WAIT from a loop whose
  // port is full.
  zx_status_t QueuePacket(async_dispatcher_t* dispatcher, const zx_packet_user_t* data = nullptr);

 protected:
  // For the handlers of the concrete classes: returns the object that owns `receiver`.
  template <typename T>
  static T* Dispatch(async_receiver_t* receiver) {
    static_assert(std::is_standard_layout_v<ReceiverBase> && offsetof(ReceiverBase, receiver_) == 0,
                  "the C record must be the first member, so its address is the object's");
    return static_cast<T*>(reinterpret_cast<ReceiverBase*>(receiver));
  }

 private:
  async_receiver_t receiver_;
};

// A receiver whose handler is a function object, called once per delivered packet with ZX_OK
// and the packet's payload. Thread-safe (see ReceiverBase).
//
// async::ReceiverMethod calls a member function with no function object to store or invoke.
class Receiver final : public ReceiverBase {
 public:
  // Handles one packet. `data` is non-null only with ZX_OK, and valid only during the call.
  using Handler = fit::function<void(async_dispatcher_t* dispatcher, async::Receiver* receiver,
                                     zx_status_t status, const zx_packet_user_t* data)>;

  // Creates a receiver. It must have a handler before packets are queued for it.
  explicit Receiver(Handler handler = nullptr);

  ~Receiver();

  // Replaces the handler. Must not be called while packets are queued or being handled.
  void set_handler(Handler handler) { handler_ = std::move(handler); }

  // True if the receiver has a handler.
  bool has_handler() const { return !!handler_; }

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                          zx_status_t status, const zx_packet_user_t* data) noexcept;

  Handler handler_;
};

// A receiver whose handler is the member function `method` of a `Class` instance, called once
// per delivered packet. Thread-safe (see ReceiverBase).
//
//   class Mailbox {
//     void OnPacket(async_dispatcher_t* dispatcher, async::ReceiverBase* receiver,
//                   zx_status_t status, const zx_packet_user_t* data);
//     async::ReceiverMethod<Mailbox, &Mailbox::OnPacket> receiver_{this};
//   };
template <class Class,
          void (Class::*method)(async_dispatcher_t* dispatcher, async::ReceiverBase* receiver,
                                zx_status_t status, const zx_packet_user_t* data)>
class ReceiverMethod final : public ReceiverBase {
 public:
  // Creates a receiver that calls `method` on `instance`, which must outlive the receiver.
  explicit ReceiverMethod(Class* instance)
      : ReceiverBase(&ReceiverMethod::CallHandler), instance_(instance) {}

  ~ReceiverMethod() = default;

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                          zx_status_t status, const zx_packet_user_t* data) noexcept {
    ReceiverMethod* self = Dispatch<ReceiverMethod>(receiver);
    (self->instance_->*method)(dispatcher, self, status, data);
  }

  Class* const instance_;
};

}  // namespace async

#endif  // LIB_ASYNC_CPP_RECEIVER_H_
