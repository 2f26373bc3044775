// The entry points of the probe libraries built by this folder's CMakeLists.txt: small shared
// libraries that each carry their own copy of the static async-default, so that the tests can
// reach the default dispatcher through every copy in the process.
#ifndef ASYNC_TEST_DEFAULT_PROBE_H_
#define ASYNC_TEST_DEFAULT_PROBE_H_

#include <lib/async/dispatcher.h>

extern "C" {

// Library async_default_probe_a: async_set_default_dispatcher() / async_get_default_dispatcher()
// called from inside the library.
void AsyncDefaultProbeASet(async_dispatcher_t* dispatcher) noexcept;
async_dispatcher_t* AsyncDefaultProbeAGet() noexcept;

// Library async_default_probe_b: the same.
void AsyncDefaultProbeBSet(async_dispatcher_t* dispatcher) noexcept;
async_dispatcher_t* AsyncDefaultProbeBGet() noexcept;

}  // extern "C"

// Library async_default_probe_dlopen, opened only with dlopen(): the same two functions, found
// with dlsym() under these names.
using AsyncDefaultProbeSetFn = void(async_dispatcher_t* dispatcher) noexcept;
using AsyncDefaultProbeGetFn = async_dispatcher_t*() noexcept;
inline constexpr char kAsyncDefaultProbeDlopenSet[] = "AsyncDefaultProbeDlopenSet";
inline constexpr char kAsyncDefaultProbeDlopenGet[] = "AsyncDefaultProbeDlopenGet";

#endif  // ASYNC_TEST_DEFAULT_PROBE_H_
