// <lib/async/cpp/trap.h>: C++ guest bell traps. Objects (async::GuestBellTrap,
// async::GuestBellTrapMethod) that own an `async_guest_bell_trap_t` and the handler its bells go
// to.
//
// Handlers are fit::function / fit::closure (later Fuchsia's spelling). The 2018 headers used
// fbl::Function / fbl::Closure, which portloop defines as the same types; this header includes
// <fbl/function.h> as the 2018 one did, so code of that era that reaches those names (or
// ZX_DEBUG_ASSERT) through it still compiles.

#ifndef LIB_ASYNC_CPP_TRAP_H_
#define LIB_ASYNC_CPP_TRAP_H_

#include <lib/async/trap.h>
#include <lib/fit/function.h>
#include <lib/zx/guest.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include <fbl/function.h>

namespace async {

// A bell trap in a guest's physical address space: the common part of async::GuestBellTrap and
// async::GuestBellTrapMethod. Do not derive from it outside this library.
//
// The object owns the `async_guest_bell_trap_t` the trap reports to. A trap cannot be removed:
// once set, the object must outlive the guest or the dispatcher. The destructor does nothing.
//
// Thread-safe: SetTrap() may be called from any thread, and on a multi-threaded dispatcher the
// handler may run on several threads at once. Neither copyable nor movable.
//
// Linux: guests are KVM virtual machines; where /dev/kvm is missing no guest can be created.
class GuestBellTrapBase {
 protected:
  // Creates a trap whose C record calls `handler`.
  explicit GuestBellTrapBase(async_guest_bell_trap_handler_t* handler);

  ~GuestBellTrapBase();

  GuestBellTrapBase(const GuestBellTrapBase&) = delete;
  GuestBellTrapBase(GuestBellTrapBase&&) = delete;
  GuestBellTrapBase& operator=(const GuestBellTrapBase&) = delete;
  GuestBellTrapBase& operator=(GuestBellTrapBase&&) = delete;

 public:
  // Sets a bell trap over the guest-physical range [`addr`, `addr` + `length`) of `guest` (not
  // owned; only its handle is used), reported through `dispatcher`: every guest write in the
  // range calls the handler with ZX_OK and the bell packet. Thread-safe.
  //
  // Returns ZX_OK if the trap was set.
  // Returns ZX_ERR_ACCESS_DENIED if `guest` lacks ZX_RIGHT_WRITE.
  // Returns ZX_ERR_ALREADY_EXISTS if a bell trap already starts at `addr`.
  // Returns ZX_ERR_INVALID_ARGS if `addr` or `length` is invalid (unaligned, or a zero length).
  // Returns ZX_ERR_OUT_OF_RANGE if the range lies outside the guest's address space.
  // Returns ZX_ERR_WRONG_TYPE if `guest` is not a guest handle.
  // Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
  // Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support bell traps.
  zx_status_t SetTrap(async_dispatcher_t* dispatcher, const zx::guest& guest, zx_vaddr_t addr,
                      size_t length);

 protected:
  // For the handlers of the concrete classes: returns the object that owns `trap`.
  template <typename T>
  static T* Dispatch(async_guest_bell_trap_t* trap) {
    static_assert(
        std::is_standard_layout_v<GuestBellTrapBase> && offsetof(GuestBellTrapBase, trap_) == 0,
        "the C record must be the first member, so its address is the object's");
    return static_cast<T*>(reinterpret_cast<GuestBellTrapBase*>(trap));
  }

 private:
  async_guest_bell_trap_t trap_;
};

// A bell trap whose handler is a function object, called once per bell with ZX_OK and the bell
// packet. Thread-safe (see GuestBellTrapBase).
//
// async::GuestBellTrapMethod calls a member function with no function object to store or invoke.
class GuestBellTrap final : public GuestBellTrapBase {
 public:
  // Handles one bell. `bell` is non-null only with ZX_OK, and valid only during the call.
  using Handler = fit::function<void(async_dispatcher_t* dispatcher, async::GuestBellTrap* trap,
                                     zx_status_t status, const zx_packet_guest_bell_t* bell)>;

  // Creates a trap. It must have a handler before it is set.
  explicit GuestBellTrap(Handler handler = nullptr);

  ~GuestBellTrap();

  // Replaces the handler. Must not be called once the trap is set.
  void set_handler(Handler handler) { handler_ = std::move(handler); }

  // True if the trap has a handler.
  bool has_handler() const { return !!handler_; }

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_guest_bell_trap_t* trap,
                          zx_status_t status, const zx_packet_guest_bell_t* bell) noexcept;

  Handler handler_;
};

// A bell trap whose handler is the member function `method` of a `Class` instance, called once
// per bell. Thread-safe (see GuestBellTrapBase).
//
//   class Device {
//     void OnBell(async_dispatcher_t* dispatcher, async::GuestBellTrapBase* trap,
//                 zx_status_t status, const zx_packet_guest_bell_t* bell);
//     async::GuestBellTrapMethod<Device, &Device::OnBell> trap_{this};
//   };
template <class Class,
          void (Class::*method)(async_dispatcher_t* dispatcher, async::GuestBellTrapBase* trap,
                                zx_status_t status, const zx_packet_guest_bell_t* bell)>
class GuestBellTrapMethod final : public GuestBellTrapBase {
 public:
  // Creates a trap that calls `method` on `instance`, which must outlive the trap.
  explicit GuestBellTrapMethod(Class* instance)
      : GuestBellTrapBase(&GuestBellTrapMethod::CallHandler), instance_(instance) {}

  ~GuestBellTrapMethod() = default;

 private:
  static void CallHandler(async_dispatcher_t* dispatcher, async_guest_bell_trap_t* trap,
                          zx_status_t status, const zx_packet_guest_bell_t* bell) noexcept {
    GuestBellTrapMethod* self = Dispatch<GuestBellTrapMethod>(trap);
    (self->instance_->*method)(dispatcher, self, status, bell);
  }

  Class* const instance_;
};

}  // namespace async

#endif  // LIB_ASYNC_CPP_TRAP_H_
