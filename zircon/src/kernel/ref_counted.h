// Intrusive reference counting for kernel objects.
#ifndef ZIRCON_SRC_KERNEL_REF_COUNTED_H_
#define ZIRCON_SRC_KERNEL_REF_COUNTED_H_

#include <atomic>
#include <cstdint>
#include <utility>

namespace zircon::kernel {

// Base of every reference-counted kernel type. An object starts with one reference, which
// `AdoptRef` takes over. Thread-safe.
class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;

  void AddRef() const { ref_count_.fetch_add(1, std::memory_order_relaxed); }

  // Returns true when the caller dropped the last reference and must destroy the object.
  // acq_rel: the releasing decrement publishes this thread's writes to the destroying thread.
  [[nodiscard]] bool ReleaseRef() const {
    return ref_count_.fetch_sub(1, std::memory_order_acq_rel) == 1;
  }

 protected:
  ~RefCounted() = default;

 private:
  mutable std::atomic<int32_t> ref_count_{1};
};

// An owning pointer to a RefCounted object. Thread-compatible (the count itself is thread-safe).
template <typename T>
class RefPtr {
 public:
  constexpr RefPtr() = default;
  constexpr RefPtr(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  // Takes a new reference to `ptr`.
  explicit RefPtr(T* ptr) : ptr_(ptr) {
    if (ptr_ != nullptr) {
      ptr_->AddRef();
    }
  }
  RefPtr(const RefPtr& other) : RefPtr(other.ptr_) {}
  RefPtr(RefPtr&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}
  template <typename U>
  RefPtr(RefPtr<U>&& other) noexcept : ptr_(other.leak_ref()) {}  // NOLINT
  ~RefPtr() { reset(); }

  RefPtr& operator=(RefPtr other) noexcept {
    std::swap(ptr_, other.ptr_);
    return *this;
  }

  void reset() {
    T* old = std::exchange(ptr_, nullptr);
    if (old != nullptr && old->ReleaseRef()) {
      delete old;
    }
  }

  // Gives up ownership of the reference without releasing it.
  [[nodiscard]] T* leak_ref() { return std::exchange(ptr_, nullptr); }

  T* get() const { return ptr_; }
  T* operator->() const { return ptr_; }
  T& operator*() const { return *ptr_; }
  explicit operator bool() const { return ptr_ != nullptr; }
  bool operator==(const RefPtr& other) const { return ptr_ == other.ptr_; }

 private:
  template <typename U>
  friend RefPtr<U> AdoptRef(U* ptr);
  struct AdoptTag {};
  RefPtr(T* ptr, AdoptTag) : ptr_(ptr) {}

  T* ptr_ = nullptr;
};

// Wraps a newly created object, taking over its initial reference.
template <typename T>
RefPtr<T> AdoptRef(T* ptr) {
  return RefPtr<T>(ptr, typename RefPtr<T>::AdoptTag{});
}

// Casts between RefPtrs of related kernel types; the caller has checked the type.
template <typename T, typename U>
RefPtr<T> DownCast(RefPtr<U> ptr) {
  return AdoptRef(static_cast<T*>(ptr.leak_ref()));
}

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_REF_COUNTED_H_
