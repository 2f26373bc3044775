// Owning and non-owning C++ wrappers for Zircon handles: `zx::object_base` (the handle slot),
// `zx::object<T>` (type-checked operations common to all objects) and `zx::unowned<T>` (a view
// that never closes the handle).

#ifndef LIB_ZX_OBJECT_H_
#define LIB_ZX_OBJECT_H_

#include <lib/zx/object_traits.h>
#include <lib/zx/time.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <type_traits>

#include <stddef.h>
#include <stdint.h>

namespace zx {

class port;

// Owns one handle and closes it on destruction. Holds the handle value for `zx::object<T>` and
// lets code that does not care about the object type (such as `zx::port::cancel()`) take any
// object.
//
// Not copyable; only derived classes construct or destroy it. Thread-compatible: concurrent
// calls on one wrapper need external synchronisation.
class object_base {
 public:
  // Closes the owned handle, if valid, and takes ownership of `value` instead.
  void reset(zx_handle_t value = ZX_HANDLE_INVALID) {
    close();
    value_ = value;
  }

  // Returns true if a handle is held (the value is not `ZX_HANDLE_INVALID`). It does not ask
  // the kernel whether the handle is still open.
  bool is_valid() const { return value_ != ZX_HANDLE_INVALID; }

  // Same as `is_valid()`.
  explicit operator bool() const { return is_valid(); }

  // Returns the handle value; ownership stays with this wrapper.
  zx_handle_t get() const { return value_; }

  // Closes the owned handle, if valid, and returns the address of the now-invalid slot, so a C
  // call can store a new handle directly into this wrapper, which then owns it.
  zx_handle_t* reset_and_get_address() {
    reset();
    return &value_;
  }

  // Gives up ownership without closing: returns the handle and leaves this wrapper invalid.
  // The caller becomes responsible for closing the returned handle.
  __attribute__((warn_unused_result)) zx_handle_t release() {
    zx_handle_t result = value_;
    value_ = ZX_HANDLE_INVALID;
    return result;
  }

 protected:
  // An empty wrapper.
  constexpr object_base() = default;

  // Takes ownership of `value`.
  explicit object_base(zx_handle_t value) : value_(value) {}

  // Closes the owned handle, if valid.
  ~object_base() { close(); }

  object_base(const object_base&) = delete;
  void operator=(const object_base&) = delete;

  // Closes the owned handle, if valid, and leaves the wrapper invalid. The status of
  // `zx_handle_close` is dropped: there is nothing a destructor could do with it.
  void close() {
    if (value_ != ZX_HANDLE_INVALID) {
      zx_handle_close(value_);
      value_ = ZX_HANDLE_INVALID;
    }
  }

  zx_handle_t value_ = ZX_HANDLE_INVALID;
};

// An owned handle to an object of class `T` (`zx::event`, `zx::port`, ...), or to an object of
// any type when `T` is `void` (`zx::handle`). Offers the operations every object type shares;
// those that `object_traits<T>` says the type cannot support fail to compile.
//
// Move-only. Thread-compatible: the const operations may run concurrently with each other, since
// they only read the handle value and the kernel synchronises the object itself.
template <typename T>
class object : public object_base {
 public:
  // An empty wrapper.
  constexpr object() = default;

  // Takes ownership of `value`, which should name an object of class `T`; nothing checks it.
  explicit object(zx_handle_t value) : object_base(value) {}

  // Takes the handle owned by `other`, leaving `other` invalid. Only `zx::handle` (`T` = `void`)
  // accepts a handle from a different class; a typed receiver fails to compile.
  template <typename U>
  object(object<U>&& other) : object_base(other.release()) {
    static_assert(std::is_void_v<T>, "Receiver must be compatible.");
  }

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  // As for the constructor, only `zx::handle` accepts another class.
  template <typename U>
  object<T>& operator=(object<U>&& other) {
    static_assert(std::is_void_v<T>, "Receiver must be compatible.");
    reset(other.release());
    return *this;
  }

  // Exchanges the handles of this and `other`; nothing is closed.
  void swap(object<T>& other) {
    zx_handle_t tmp = value_;
    value_ = other.value_;
    other.value_ = tmp;
  }

  // Makes a second handle to the same object with `rights` (`ZX_RIGHT_SAME_RIGHTS` keeps the
  // current ones) and stores it in `*result`, closing what `*result` held. On failure `*result`
  // is left invalid. This handle stays valid either way.
  //
  // Returns ZX_OK if `*result` holds the new handle.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if this handle lacks `ZX_RIGHT_DUPLICATE`.
  // Returns ZX_ERR_INVALID_ARGS if `rights` is not a subset of this handle's rights.
  // Returns ZX_ERR_NO_MEMORY if the handle table is full.
  zx_status_t duplicate(zx_rights_t rights, object<T>* result) const {
    static_assert(object_traits<T>::supports_duplication, "Object must support duplication.");
    zx_handle_t h = ZX_HANDLE_INVALID;
    zx_status_t status = zx_handle_duplicate(value_, rights, &h);
    result->reset(h);
    return status;
  }

  // Swaps this handle for a new one to the same object with `rights` and stores it in
  // `*result`. This wrapper always ends up invalid, even on failure, because the kernel consumes
  // the old handle either way; on failure `*result` is left invalid too. `result` may be `this`.
  //
  // Returns ZX_OK if `*result` holds the new handle.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper held no open handle.
  // Returns ZX_ERR_INVALID_ARGS if `rights` is not a subset of this handle's rights.
  // Returns ZX_ERR_NO_MEMORY if the handle table is full.
  zx_status_t replace(zx_rights_t rights, object<T>* result) {
    zx_handle_t h = ZX_HANDLE_INVALID;
    zx_status_t status = zx_handle_replace(value_, rights, &h);
    // Forget the consumed handle before touching `result`: when `result == this`, resetting
    // first would close a handle the kernel has already taken.
    value_ = ZX_HANDLE_INVALID;
    result->reset(h);
    return status;
  }

  // Blocks until one of `signals` is asserted on the object or `deadline` passes. If `pending`
  // is not null it receives the object's whole signal state when the wait ends. Thread-safe.
  //
  // Returns ZX_OK if a requested signal is asserted (at once if it already was).
  // Returns ZX_ERR_TIMED_OUT if `deadline` passed first.
  // Returns ZX_ERR_CANCELED if the handle was closed during the wait.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_WAIT`.
  zx_status_t wait_one(zx_signals_t signals, zx::time deadline, zx_signals_t* pending) const {
    static_assert(object_traits<T>::supports_wait, "Object is not waitable.");
    return zx_object_wait_one(value_, signals, deadline.get(), pending);
  }

  // Asks the kernel to queue a signal packet with `key` on `port` when one of `signals` is
  // asserted on the object (at once if one already is). `options` is `ZX_WAIT_ASYNC_ONCE`
  // (one packet) or `ZX_WAIT_ASYNC_REPEATING` (a packet per assertion until cancelled). The wait
  // belongs to this handle value: closing the handle or `port.cancel(*this, key)` ends it.
  // Thread-safe.
  //
  // Returns ZX_OK if the wait is registered.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper or `port` holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_WAIT` or `port` lacks
  // `ZX_RIGHT_WRITE`.
  // Returns ZX_ERR_WRONG_TYPE if `port` is not a port.
  // Returns ZX_ERR_INVALID_ARGS if `options` is neither mode.
  // Returns ZX_ERR_NO_MEMORY if the kernel is out of memory.
  zx_status_t wait_async(const object<port>& port, uint64_t key, zx_signals_t signals,
                         uint32_t options) const {
    static_assert(object_traits<T>::supports_wait, "Object is not waitable.");
    return zx_object_wait_async(value_, port.get(), key, signals, options);
  }

  // Blocks until one of the `count` items is satisfied or `deadline` passes, then fills every
  // item's `pending` with its object's signal state. `count` 0 just sleeps until `deadline`.
  // Thread-safe.
  //
  // Returns ZX_OK if an item's `waitfor` signals were asserted.
  // Returns ZX_ERR_TIMED_OUT if `deadline` passed first.
  // Returns ZX_ERR_CANCELED if one of the handles was closed during the wait.
  // Returns ZX_ERR_OUT_OF_RANGE if `count` exceeds `ZX_WAIT_MANY_MAX_ITEMS`.
  // Returns ZX_ERR_BAD_HANDLE or ZX_ERR_ACCESS_DENIED as `wait_one()` does, for any item.
  static zx_status_t wait_many(zx_wait_item_t* wait_items, uint32_t count, zx::time deadline) {
    static_assert(object_traits<T>::supports_wait, "Object is not waitable.");
    return zx_object_wait_many(wait_items, count, deadline.get());
  }

  // Clears the signals in `clear_mask` on the object, then sets those in `set_mask`. Only user
  // signals (`ZX_USER_SIGNAL_ALL`) may be named, plus `ZX_EVENT_SIGNALED` on events and event
  // pairs. Thread-safe.
  //
  // Returns ZX_OK if the signal state was updated.
  // Returns ZX_ERR_INVALID_ARGS if a mask names a signal the caller may not change.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_SIGNAL`.
  zx_status_t signal(uint32_t clear_mask, uint32_t set_mask) const {
    static_assert(object_traits<T>::supports_user_signal, "Object must support user signals.");
    return zx_object_signal(get(), clear_mask, set_mask);
  }

  // Like `signal()`, but changes the signals of the other end of the pair. Thread-safe.
  //
  // Returns ZX_OK if the peer's signal state was updated.
  // Returns ZX_ERR_PEER_CLOSED if the other end has been closed.
  // Returns ZX_ERR_INVALID_ARGS if a mask names a signal the caller may not change.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks `ZX_RIGHT_SIGNAL_PEER`.
  zx_status_t signal_peer(uint32_t clear_mask, uint32_t set_mask) const {
    static_assert(object_traits<T>::supports_user_signal, "Object must support user signals.");
    static_assert(object_traits<T>::has_peer_handle, "Object must have peer object.");
    return zx_object_signal_peer(get(), clear_mask, set_mask);
  }

  // Copies information of kind `topic` (a `ZX_INFO_*` value) about the object into `buffer`,
  // which holds `buffer_size` bytes. `actual_count` and `avail_count`, when not null, receive
  // the number of records written and available. Thread-safe.
  //
  // Returns ZX_OK if the records were written.
  // Returns ZX_ERR_BAD_HANDLE if this wrapper holds no open handle.
  // Returns ZX_ERR_BUFFER_TOO_SMALL if `buffer` cannot hold a single record.
  // Returns ZX_ERR_NOT_SUPPORTED if `topic` does not apply to this object.
  // Returns ZX_ERR_ACCESS_DENIED if the handle lacks the right `topic` needs.
  zx_status_t get_info(uint32_t topic, void* buffer, size_t buffer_size, size_t* actual_count,
                       size_t* avail_count) const {
    return zx_object_get_info(get(), topic, buffer, buffer_size, actual_count, avail_count);
  }

  // Linux: `get_child`, `get_property`, `set_property`, `get_cookie` and `set_cookie` are not
  // offered: portloop has no job/process tree, properties or cookies behind them.
};

// Comparisons of two objects of the same class, or of an object and a raw handle value in
// either order. They compare handle values only; two different handles to one kernel object
// compare unequal.
template <typename T>
bool operator==(const object<T>& a, const object<T>& b) {
  return a.get() == b.get();
}
template <typename T>
bool operator!=(const object<T>& a, const object<T>& b) {
  return !(a == b);
}
template <typename T>
bool operator<(const object<T>& a, const object<T>& b) {
  return a.get() < b.get();
}
template <typename T>
bool operator>(const object<T>& a, const object<T>& b) {
  return a.get() > b.get();
}
template <typename T>
bool operator<=(const object<T>& a, const object<T>& b) {
  return !(a.get() > b.get());
}
template <typename T>
bool operator>=(const object<T>& a, const object<T>& b) {
  return !(a.get() < b.get());
}

template <typename T>
bool operator==(zx_handle_t a, const object<T>& b) {
  return a == b.get();
}
template <typename T>
bool operator!=(zx_handle_t a, const object<T>& b) {
  return !(a == b);
}
template <typename T>
bool operator<(zx_handle_t a, const object<T>& b) {
  return a < b.get();
}
template <typename T>
bool operator>(zx_handle_t a, const object<T>& b) {
  return a > b.get();
}
template <typename T>
bool operator<=(zx_handle_t a, const object<T>& b) {
  return !(a > b.get());
}
template <typename T>
bool operator>=(zx_handle_t a, const object<T>& b) {
  return !(a < b.get());
}

template <typename T>
bool operator==(const object<T>& a, zx_handle_t b) {
  return a.get() == b;
}
template <typename T>
bool operator!=(const object<T>& a, zx_handle_t b) {
  return !(a == b);
}
template <typename T>
bool operator<(const object<T>& a, zx_handle_t b) {
  return a.get() < b;
}
template <typename T>
bool operator>(const object<T>& a, zx_handle_t b) {
  return a.get() > b;
}
template <typename T>
bool operator<=(const object<T>& a, zx_handle_t b) {
  return !(a.get() > b);
}
template <typename T>
bool operator>=(const object<T>& a, zx_handle_t b) {
  return !(a.get() < b);
}

// A borrowed handle seen as a `const T&`, for calling `T`'s operations on a handle owned
// elsewhere. It never closes the handle, so the owner must keep the handle open while the view
// is used:
//
//   void Notify(zx_handle_t raw) { zx::unowned_event(raw)->signal(0, ZX_EVENT_SIGNALED); }
//   void Use(const zx::event& e);  ...  Use(*zx::unowned_event(raw));
//
// Thread-compatible, like `T`.
template <typename T>
class unowned final {
 public:
  // A view of handle `h`.
  explicit unowned(zx_handle_t h) : value_(h) {}

  // A view of the handle `owner` holds; `owner` keeps ownership.
  explicit unowned(const T& owner) : unowned(owner.get()) {}

  // A second view of the handle `other` views.
  explicit unowned(unowned& other) : unowned(*other) {}

  // A view of no handle.
  constexpr unowned() = default;

  // Takes over the view of `other`, which then views no handle.
  unowned(unowned&& other) = default;

  // Forgets the handle without closing it.
  ~unowned() { release_value(); }

  // Views the handle `other` views.
  unowned& operator=(unowned& other) {
    *this = unowned(other);
    return *this;
  }

  // Takes over the view of `other`; the previously viewed handle is forgotten, not closed.
  unowned& operator=(unowned&& other) {
    release_value();
    value_ = static_cast<T&&>(other.value_);
    return *this;
  }

  // The viewed handle as a `T`. The reference is valid while this view exists.
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }

 private:
  void release_value() {
    zx_handle_t h = value_.release();
    static_cast<void>(h);
  }

  T value_;
};

}  // namespace zx

#endif  // LIB_ZX_OBJECT_H_
