// The statuses each zx_* call may return, from the Zircon syscall documentation of the era
// (docs/syscalls/*.md, 2018) and the contracts in <zircon/syscalls.h>, <zircon/linux/fd.h> and
// <zircon/linux/process.h>. The fuzzer aborts on any other status.
#ifndef ZIRCON_FUZZ_ALLOWED_STATUS_H_
#define ZIRCON_FUZZ_ALLOWED_STATUS_H_

#include <zircon/errors.h>
#include <zircon/types.h>

#include <cstdint>
#include <initializer_list>

namespace zircon::fuzz {

// A set of statuses: ZX_OK and the negative ZX_ERR_* values down to -127.
class StatusSet {
 public:
  constexpr StatusSet(std::initializer_list<zx_status_t> statuses) {
    for (zx_status_t status : statuses) {
      const uint32_t bit = static_cast<uint32_t>(-status);
      bits_[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }

  constexpr bool Contains(zx_status_t status) const {
    if (status > 0 || status < -127) {
      return false;
    }
    const uint32_t bit = static_cast<uint32_t>(-status);
    return (bits_[bit / 64] & (uint64_t{1} << (bit % 64))) != 0;
  }

 private:
  uint64_t bits_[2] = {};
};

// Every call that creates handles may also find the handle table full. Zircon reports an
// exhausted handle arena as ZX_ERR_NO_MEMORY; portloop's table says ZX_ERR_NO_RESOURCES (see
// zircon/src/syscalls/lookup.h), so both are accepted for every such call.

inline constexpr StatusSet kObjectCreate = {ZX_OK, ZX_ERR_INVALID_ARGS, ZX_ERR_NO_MEMORY,
                                            ZX_ERR_NO_RESOURCES};
// zx_eventpair_create returns NOT_SUPPORTED for unknown options, unlike the other create calls.
inline constexpr StatusSet kEventPairCreate = {ZX_OK, ZX_ERR_NOT_SUPPORTED, ZX_ERR_INVALID_ARGS,
                                               ZX_ERR_NO_MEMORY, ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kHandleClose = {ZX_OK, ZX_ERR_BAD_HANDLE};
inline constexpr StatusSet kHandleCloseMany = {ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_INVALID_ARGS};
inline constexpr StatusSet kHandleDuplicate = {ZX_OK,
                                               ZX_ERR_BAD_HANDLE,
                                               ZX_ERR_ACCESS_DENIED,
                                               ZX_ERR_INVALID_ARGS,
                                               ZX_ERR_NO_MEMORY,
                                               ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kHandleReplace = {ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_INVALID_ARGS,
                                             ZX_ERR_NO_MEMORY, ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kObjectSignal = {ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED,
                                            ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_SUPPORTED};
inline constexpr StatusSet kObjectSignalPeer = {ZX_OK,
                                                ZX_ERR_BAD_HANDLE,
                                                ZX_ERR_ACCESS_DENIED,
                                                ZX_ERR_INVALID_ARGS,
                                                ZX_ERR_NOT_SUPPORTED,
                                                ZX_ERR_PEER_CLOSED};
// NO_RESOURCES: a wait on fd handles could not make the thread's eventfd (<zircon/linux/fd.h>).
inline constexpr StatusSet kObjectWaitOne = {ZX_OK,
                                             ZX_ERR_TIMED_OUT,
                                             ZX_ERR_CANCELED,
                                             ZX_ERR_BAD_HANDLE,
                                             ZX_ERR_ACCESS_DENIED,
                                             ZX_ERR_NOT_SUPPORTED,
                                             ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kObjectWaitMany = {ZX_OK,
                                              ZX_ERR_TIMED_OUT,
                                              ZX_ERR_CANCELED,
                                              ZX_ERR_OUT_OF_RANGE,
                                              ZX_ERR_INVALID_ARGS,
                                              ZX_ERR_BAD_HANDLE,
                                              ZX_ERR_ACCESS_DENIED,
                                              ZX_ERR_NOT_SUPPORTED,
                                              ZX_ERR_NO_RESOURCES};
// NO_RESOURCES and BAD_STATE: fd handles only (<zircon/linux/fd.h>).
inline constexpr StatusSet kObjectWaitAsync = {ZX_OK,
                                               ZX_ERR_BAD_HANDLE,
                                               ZX_ERR_ACCESS_DENIED,
                                               ZX_ERR_WRONG_TYPE,
                                               ZX_ERR_NOT_SUPPORTED,
                                               ZX_ERR_INVALID_ARGS,
                                               ZX_ERR_NO_MEMORY,
                                               ZX_ERR_NO_RESOURCES,
                                               ZX_ERR_BAD_STATE};
inline constexpr StatusSet kObjectGetInfo = {ZX_OK,
                                             ZX_ERR_BAD_HANDLE,
                                             ZX_ERR_ACCESS_DENIED,
                                             ZX_ERR_WRONG_TYPE,
                                             ZX_ERR_BUFFER_TOO_SMALL,
                                             ZX_ERR_INVALID_ARGS,
                                             ZX_ERR_NOT_SUPPORTED,
                                             ZX_ERR_BAD_STATE};
inline constexpr StatusSet kPortQueue = {ZX_OK,
                                         ZX_ERR_SHOULD_WAIT,
                                         ZX_ERR_BAD_HANDLE,
                                         ZX_ERR_ACCESS_DENIED,
                                         ZX_ERR_WRONG_TYPE,
                                         ZX_ERR_INVALID_ARGS,
                                         ZX_ERR_NO_MEMORY};
inline constexpr StatusSet kPortWait = {ZX_OK,
                                        ZX_ERR_TIMED_OUT,
                                        ZX_ERR_BAD_HANDLE,
                                        ZX_ERR_ACCESS_DENIED,
                                        ZX_ERR_WRONG_TYPE,
                                        ZX_ERR_INVALID_ARGS};
inline constexpr StatusSet kPortCancel = {ZX_OK,
                                          ZX_ERR_NOT_FOUND,
                                          ZX_ERR_BAD_HANDLE,
                                          ZX_ERR_ACCESS_DENIED,
                                          ZX_ERR_WRONG_TYPE,
                                          ZX_ERR_NOT_SUPPORTED};
inline constexpr StatusSet kTimerSet = {ZX_OK, ZX_ERR_OUT_OF_RANGE, ZX_ERR_BAD_HANDLE,
                                        ZX_ERR_ACCESS_DENIED, ZX_ERR_WRONG_TYPE};
inline constexpr StatusSet kTimerCancel = {ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED,
                                           ZX_ERR_WRONG_TYPE};
inline constexpr StatusSet kChannelWrite = {ZX_OK,
                                            ZX_ERR_PEER_CLOSED,
                                            ZX_ERR_OUT_OF_RANGE,
                                            ZX_ERR_INVALID_ARGS,
                                            ZX_ERR_BAD_HANDLE,
                                            ZX_ERR_ACCESS_DENIED,
                                            ZX_ERR_WRONG_TYPE,
                                            ZX_ERR_NOT_SUPPORTED,
                                            ZX_ERR_NO_MEMORY};
// NO_RESOURCES: the handle table filled up while the received handles were installed.
inline constexpr StatusSet kChannelRead = {ZX_OK,
                                           ZX_ERR_SHOULD_WAIT,
                                           ZX_ERR_PEER_CLOSED,
                                           ZX_ERR_BUFFER_TOO_SMALL,
                                           ZX_ERR_BAD_HANDLE,
                                           ZX_ERR_ACCESS_DENIED,
                                           ZX_ERR_WRONG_TYPE,
                                           ZX_ERR_NOT_SUPPORTED,
                                           ZX_ERR_INVALID_ARGS,
                                           ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kLinuxFdCreate = {ZX_OK,
                                             ZX_ERR_INVALID_ARGS,
                                             ZX_ERR_BAD_HANDLE,
                                             ZX_ERR_NOT_SUPPORTED,
                                             ZX_ERR_NO_MEMORY,
                                             ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kLinuxFdGet = {ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE,
                                          ZX_ERR_INVALID_ARGS};
inline constexpr StatusSet kLinuxProcessCreate = {ZX_OK,
                                                  ZX_ERR_INVALID_ARGS,
                                                  ZX_ERR_NOT_FOUND,
                                                  ZX_ERR_ACCESS_DENIED,
                                                  ZX_ERR_NOT_SUPPORTED,
                                                  ZX_ERR_NO_RESOURCES,
                                                  ZX_ERR_NO_MEMORY};
inline constexpr StatusSet kThreadCreate = {ZX_OK,
                                            ZX_ERR_INVALID_ARGS,
                                            ZX_ERR_BAD_HANDLE,
                                            ZX_ERR_ACCESS_DENIED,
                                            ZX_ERR_WRONG_TYPE,
                                            ZX_ERR_NOT_SUPPORTED,
                                            ZX_ERR_NO_MEMORY,
                                            ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kTaskKill = {ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED,
                                        ZX_ERR_WRONG_TYPE, ZX_ERR_NOT_SUPPORTED};
// No rights are checked at this era, so never ACCESS_DENIED.
inline constexpr StatusSet kTaskBindExceptionPort = {ZX_OK,
                                                     ZX_ERR_INVALID_ARGS,
                                                     ZX_ERR_ALREADY_BOUND,
                                                     ZX_ERR_BAD_STATE,
                                                     ZX_ERR_NOT_FOUND,
                                                     ZX_ERR_BAD_HANDLE,
                                                     ZX_ERR_WRONG_TYPE};
inline constexpr StatusSet kTaskResumeFromException = {ZX_OK,
                                                       ZX_ERR_BAD_STATE,
                                                       ZX_ERR_ACCESS_DENIED,
                                                       ZX_ERR_INVALID_ARGS,
                                                       ZX_ERR_BAD_HANDLE,
                                                       ZX_ERR_WRONG_TYPE};
inline constexpr StatusSet kClockGet = {ZX_OK, ZX_ERR_INVALID_ARGS};
inline constexpr StatusSet kAlwaysOk = {ZX_OK};
// The hypervisor calls reach only their argument and handle checks: the fuzzer makes no guests.
inline constexpr StatusSet kGuestCreateInvalid = {ZX_ERR_INVALID_ARGS};
inline constexpr StatusSet kGuestSetTrap = {ZX_OK,
                                            ZX_ERR_INVALID_ARGS,
                                            ZX_ERR_OUT_OF_RANGE,
                                            ZX_ERR_ALREADY_EXISTS,
                                            ZX_ERR_BAD_HANDLE,
                                            ZX_ERR_ACCESS_DENIED,
                                            ZX_ERR_WRONG_TYPE,
                                            ZX_ERR_NO_MEMORY};
inline constexpr StatusSet kVcpuCreate = {ZX_OK,
                                          ZX_ERR_INVALID_ARGS,
                                          ZX_ERR_BAD_HANDLE,
                                          ZX_ERR_ACCESS_DENIED,
                                          ZX_ERR_WRONG_TYPE,
                                          ZX_ERR_NO_RESOURCES};
inline constexpr StatusSet kVcpuCall = {ZX_OK,
                                        ZX_ERR_INVALID_ARGS,
                                        ZX_ERR_BAD_HANDLE,
                                        ZX_ERR_ACCESS_DENIED,
                                        ZX_ERR_WRONG_TYPE,
                                        ZX_ERR_BAD_STATE};
inline constexpr StatusSet kGuestMemory = {ZX_OK, ZX_ERR_INVALID_ARGS, ZX_ERR_BAD_HANDLE,
                                           ZX_ERR_ACCESS_DENIED, ZX_ERR_WRONG_TYPE};

// With tracing on (ZX_FUZZ_TRACE=1 in the environment), CheckStatus prints every call and its
// status to stderr: `zircon_fuzzer <input>` then shows how the input was decoded.
void SetTracing(bool on);
bool Tracing();

// Aborts, naming `call` and `status`, unless `allowed` holds `status`.
void CheckStatus(const char* call, const StatusSet& allowed, zx_status_t status);

// Aborts with `message` (and `call`) unless `condition` holds: a broken contract other than an
// unexpected status.
void CheckContract(bool condition, const char* call, const char* message);

}  // namespace zircon::fuzz

#endif  // ZIRCON_FUZZ_ALLOWED_STATUS_H_
