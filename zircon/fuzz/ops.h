// The fuzzer's operations: each decodes its arguments from the input, makes one zx_* call (or a
// few), checks the status against the call's allowed set and the call's other contracts, and
// updates the handle model.
#ifndef ZIRCON_FUZZ_OPS_H_
#define ZIRCON_FUZZ_OPS_H_

#include <zircon/types.h>

#include <cstdint>
#include <initializer_list>

#include "zircon/fuzz/byte_reader.h"
#include "zircon/fuzz/fuzz_state.h"

namespace zircon::fuzz {

using Op = void (*)(FuzzState& state, ByteReader& in);

// Written into out parameters before a call: still there after a failed call, or the call wrote
// an out parameter it must not have.
inline constexpr zx_handle_t kSentinelHandle = 0x7e57ab1fu;

// Whether the next pointer argument is null: one time in sixteen.
inline bool PickNull(ByteReader& in) { return in.U8() >= 0xf0; }

// What a new handle must be: its object type and its rights.
struct Expected {
  zx_obj_type_t type;
  zx_rights_t rights;
};

// After a call that stores new handles in `outs` (a null entry stands for a null out pointer):
// on ZX_OK records each in `state` and checks its type and rights; otherwise checks that
// nothing was written.
void RecordCreated(FuzzState& state, const char* call, zx_status_t status,
                   std::initializer_list<zx_handle_t*> outs, Expected expected);

// ops_create.cc: the create calls, duplicate, replace and close.
void OpEventCreate(FuzzState& state, ByteReader& in);
void OpEventPairCreate(FuzzState& state, ByteReader& in);
void OpChannelCreate(FuzzState& state, ByteReader& in);
void OpPortCreate(FuzzState& state, ByteReader& in);
void OpTimerCreate(FuzzState& state, ByteReader& in);
void OpProcessSelfDuplicate(FuzzState& state, ByteReader& in);
void OpThreadCreate(FuzzState& state, ByteReader& in);
void OpHandleDuplicate(FuzzState& state, ByteReader& in);
void OpHandleReplace(FuzzState& state, ByteReader& in);
void OpHandleClose(FuzzState& state, ByteReader& in);
void OpHandleCloseMany(FuzzState& state, ByteReader& in);

// ops_signal.cc: signals and waits.
void OpObjectSignal(FuzzState& state, ByteReader& in);
void OpObjectSignalPeer(FuzzState& state, ByteReader& in);
void OpObjectWaitOne(FuzzState& state, ByteReader& in);
void OpObjectWaitMany(FuzzState& state, ByteReader& in);
void OpObjectWaitAsync(FuzzState& state, ByteReader& in);

// ops_port.cc: ports and timers.
void OpPortQueue(FuzzState& state, ByteReader& in);
void OpPortQueueBurst(FuzzState& state, ByteReader& in);
void OpPortWait(FuzzState& state, ByteReader& in);
void OpPortDrain(FuzzState& state, ByteReader& in);
void OpPortCancel(FuzzState& state, ByteReader& in);
void OpTimerSet(FuzzState& state, ByteReader& in);
void OpTimerCancel(FuzzState& state, ByteReader& in);

// ops_channel.cc: channel messages.
void OpChannelWrite(FuzzState& state, ByteReader& in);
void OpChannelRead(FuzzState& state, ByteReader& in);

// ops_linux.cc: fd handles and child processes (<zircon/linux/*.h>).
// Forks the two children zx_linux_process_create is tried on; call once, before any input.
void StartChildProcesses();
void OpFdCreate(FuzzState& state, ByteReader& in);
void OpFdIo(FuzzState& state, ByteReader& in);
void OpFdGet(FuzzState& state, ByteReader& in);
void OpLinuxProcessCreate(FuzzState& state, ByteReader& in);

// ops_misc.cc: object info, tasks, clocks and the hypervisor calls' argument checks.
void OpObjectGetInfo(FuzzState& state, ByteReader& in);
void OpTaskKill(FuzzState& state, ByteReader& in);
void OpTaskBindExceptionPort(FuzzState& state, ByteReader& in);
void OpTaskResumeFromException(FuzzState& state, ByteReader& in);
void OpClockAndMisc(FuzzState& state, ByteReader& in);
void OpHypervisorArguments(FuzzState& state, ByteReader& in);

}  // namespace zircon::fuzz

#endif  // ZIRCON_FUZZ_OPS_H_
