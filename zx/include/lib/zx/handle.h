// `zx::handle`: an owned handle to an object of any type.

#ifndef LIB_ZX_HANDLE_H_
#define LIB_ZX_HANDLE_H_

#include <lib/zx/object.h>

namespace zx {

// An owned handle whose object type is not tracked at compile time. Any typed object can be
// moved into one (`zx::handle h(std::move(event));`), and the typed classes take one back with
// their `explicit X(handle&&)` constructors. Move-only; thread-compatible.
using handle = object<void>;

// A non-owning view of a handle of any type.
using unowned_handle = unowned<handle>;

}  // namespace zx

#endif  // LIB_ZX_HANDLE_H_
