// `zx::vmo`: a virtual memory object.

#ifndef LIB_ZX_VMO_H_
#define LIB_ZX_VMO_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>

namespace zx {

// An owned handle to a virtual memory object (a resizable set of memory pages). Move-only;
// thread-compatible.
//
// Linux: portloop has no VMOs yet; the class exists so that headers naming it (for instance
// `<lib/zx/guest.h>`) compile. Only the members shared by every object are offered: no
// `create()`, `read()`, `write()`, `get_size()` and so on.
class vmo : public object<vmo> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_VMO;

  // An empty wrapper.
  constexpr vmo() = default;

  // Takes ownership of `value`, which should be a VMO handle; nothing checks it.
  explicit vmo(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit vmo(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  vmo(vmo&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  vmo& operator=(vmo&& other) {
    reset(other.release());
    return *this;
  }
};

// A non-owning view of a VMO handle.
using unowned_vmo = unowned<vmo>;

}  // namespace zx

#endif  // LIB_ZX_VMO_H_
