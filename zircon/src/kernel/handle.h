// A handle outside the table: an object reference plus rights, counted in the object's handles.
#ifndef ZIRCON_SRC_KERNEL_HANDLE_H_
#define ZIRCON_SRC_KERNEL_HANDLE_H_

#include <zircon/types.h>

#include <utility>

#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/ref_counted.h"

namespace zircon::kernel {

// Owns one handle's worth of an object: removing a handle from the table, or carrying it in a
// channel message, keeps the object's handle count; destroying the Handle drops it.
// Thread-compatible.
class Handle {
 public:
  Handle() = default;
  // Takes over a handle count already added for `object`.
  Handle(RefPtr<Object> object, zx_rights_t rights) : object_(std::move(object)), rights_(rights) {}
  // Creates a new handle to `object`, adding to its handle count.
  static Handle Make(RefPtr<Object> object, zx_rights_t rights) {
    object->AddHandle();
    return Handle(std::move(object), rights);
  }
  Handle(Handle&& other) noexcept
      : object_(std::move(other.object_)), rights_(std::exchange(other.rights_, 0)) {}
  Handle& operator=(Handle&& other) noexcept {
    reset();
    object_ = std::move(other.object_);
    rights_ = std::exchange(other.rights_, 0);
    return *this;
  }
  ~Handle() { reset(); }

  void reset() {
    if (object_) {
      object_->RemoveHandle();
      object_.reset();
    }
    rights_ = 0;
  }

  // Gives up the handle count without dropping it (it moves into the table).
  [[nodiscard]] RefPtr<Object> release() {
    rights_ = 0;
    return std::move(object_);
  }

  const RefPtr<Object>& object() const { return object_; }
  zx_rights_t rights() const { return rights_; }
  explicit operator bool() const { return static_cast<bool>(object_); }

 private:
  RefPtr<Object> object_;
  zx_rights_t rights_ = 0;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_HANDLE_H_
