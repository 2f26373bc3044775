// Exception ports: bindings on threads and the process, the search order, and the delivery of
// faults (caught by the fault-signal handlers) to ports as exception packets.
#ifndef ZIRCON_SRC_KERNEL_EXCEPTION_PORTS_H_
#define ZIRCON_SRC_KERNEL_EXCEPTION_PORTS_H_

#include <zircon/types.h>

#include <cstdint>

#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/port.h"

namespace zircon::kernel {
class Thread;
}

namespace zircon::kernel::exception_ports {

// zx_task_bind_exception_port with a port, on a Thread or the Process::Self() object. The first
// binding installs the fault-signal handlers. Thread-safe.
// Returns ZX_ERR_INVALID_ARGS for ZX_EXCEPTION_PORT_DEBUGGER on a thread.
// Returns ZX_ERR_ALREADY_BOUND if the slot holds a port.
// Returns ZX_ERR_NOT_FOUND if the thread is dead.
// Returns ZX_ERR_INTERNAL if the handlers could not be installed.
zx_status_t Bind(Object* task, RefPtr<Port> port, uint64_t key, uint32_t options);

// zx_task_bind_exception_port with ZX_HANDLE_INVALID: empties the slot; threads waiting on its
// port continue as if answered with ZX_RESUME_TRY_NEXT. The last unbinding restores the
// dispositions the handlers replaced. Thread-safe.
// Returns ZX_ERR_INVALID_ARGS for ZX_EXCEPTION_PORT_DEBUGGER on a thread.
// Returns ZX_ERR_BAD_STATE if the slot is empty.
zx_status_t Unbind(Object* task, uint32_t options);

// zx_task_resume_from_exception. Thread-safe.
// Returns ZX_ERR_BAD_STATE if `thread` is not waiting on an exception, or it was answered.
// Returns ZX_ERR_ACCESS_DENIED if the exception was not reported to `port`.
zx_status_t Resume(Thread* thread, const Port* port, uint32_t options);

// Answers `thread`'s exception with a kill if it is parked in one, or arranges for its fault to
// be answered with a kill if it is posted but not yet taken. Returns whether either was so. The
// caller has set the thread's kill flag first (see Thread::Kill).
bool KillParked(Thread* thread);

// Whether `thread` is in an exception; if so `*out_type` is the ZX_EXCEPTION_PORT_TYPE_* of
// the port it waits on (NONE while the exception is being routed).
bool WaitingPortType(Thread* thread, uint32_t* out_type);

// Whether the process has a debugger port bound.
bool DebuggerAttached();

// Drops `thread`'s binding; called when the object is destroyed.
void ForgetThread(Thread* thread);

}  // namespace zircon::kernel::exception_ports

#endif  // ZIRCON_SRC_KERNEL_EXCEPTION_PORTS_H_
