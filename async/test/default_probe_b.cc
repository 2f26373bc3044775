// Probe library async_default_probe_b: reaches the default dispatcher from inside a shared
// library that links its own copy of async-default (see default_probe.h). Linked with -Bsymbolic,
// which binds a library's references to its own definitions unless they are exported
// explicitly, as the async-default target does for its symbols.
#include <lib/async/default.h>

#include "async/test/default_probe.h"

extern "C" {

__EXPORT void AsyncDefaultProbeBSet(async_dispatcher_t* dispatcher) noexcept {
  async_set_default_dispatcher(dispatcher);
}

__EXPORT async_dispatcher_t* AsyncDefaultProbeBGet() noexcept {
  return async_get_default_dispatcher();
}

}  // extern "C"
