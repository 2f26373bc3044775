// `zx::resource`: a handle granting access to privileged kernel facilities.

#ifndef LIB_ZX_RESOURCE_H_
#define LIB_ZX_RESOURCE_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>

namespace zx {

// An owned handle to a resource object, such as the one `zx::guest::create()` needs. Move-only;
// thread-compatible.
//
// Linux: portloop has no resource objects; the class exists so that headers naming it (for
// instance `<lib/zx/guest.h>`) compile. `create()` is not offered.
class resource : public object<resource> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_RESOURCE;

  // An empty wrapper.
  constexpr resource() = default;

  // Takes ownership of `value`, which should be a resource handle; nothing checks it.
  explicit resource(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit resource(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  resource(resource&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  resource& operator=(resource&& other) {
    reset(other.release());
    return *this;
  }
};

// A non-owning view of a resource handle.
using unowned_resource = unowned<resource>;

}  // namespace zx

#endif  // LIB_ZX_RESOURCE_H_
