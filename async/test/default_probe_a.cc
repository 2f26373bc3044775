// Probe library async_default_probe_a: reaches the default dispatcher from inside a shared
// library that links its own copy of async-default (see default_probe.h).
#include <lib/async/default.h>

#include "async/test/default_probe.h"

extern "C" {

__EXPORT void AsyncDefaultProbeASet(async_dispatcher_t* dispatcher) noexcept {
  async_set_default_dispatcher(dispatcher);
}

__EXPORT async_dispatcher_t* AsyncDefaultProbeAGet() noexcept {
  return async_get_default_dispatcher();
}

}  // extern "C"
