// `zx::vmar`: a virtual memory address region.

#ifndef LIB_ZX_VMAR_H_
#define LIB_ZX_VMAR_H_

#include <lib/zx/handle.h>
#include <lib/zx/object.h>
#include <lib/zx/vmo.h>

namespace zx {

// An owned handle to a virtual memory address region, a range of an address space into which
// VMOs are mapped. Destroying the wrapper only closes the handle; it does not unmap anything.
// Move-only; thread-compatible.
//
// Linux: portloop has no address regions; the class exists so that `zx::guest::create()` can be
// declared. `map()`, `unmap()`, `protect()`, `destroy()`, `allocate()` and `root_self()` are not
// offered.
class vmar : public object<vmar> {
 public:
  static constexpr zx_obj_type_t TYPE = ZX_OBJ_TYPE_VMAR;

  // An empty wrapper.
  constexpr vmar() = default;

  // Takes ownership of `value`, which should be a VMAR handle; nothing checks it.
  explicit vmar(zx_handle_t value) : object(value) {}

  // Takes the handle owned by `h`, leaving `h` invalid.
  explicit vmar(handle&& h) : object(h.release()) {}

  // Takes the handle owned by `other`, leaving `other` invalid.
  vmar(vmar&& other) : object(other.release()) {}

  // Closes the handle owned here and takes the one owned by `other`, leaving `other` invalid.
  vmar& operator=(vmar&& other) {
    reset(other.release());
    return *this;
  }
};

// A non-owning view of a VMAR handle.
using unowned_vmar = unowned<vmar>;

}  // namespace zx

#endif  // LIB_ZX_VMAR_H_
