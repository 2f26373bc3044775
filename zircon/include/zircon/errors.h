// <zircon/errors.h>: the values of `zx_status_t` (declared in <zircon/types.h>).
//
// `ZX_OK` is success; every error is negative. Positive values are never returned by a syscall
// and are left to protocols built on top. `zx_status_get_string()` (<zircon/status.h>) maps each
// value to its macro name.

#ifndef ZIRCON_ERRORS_H_
#define ZIRCON_ERRORS_H_

// The operation succeeded.
#define ZX_OK (0)

// ---- Internal failures ----

// Something failed that no other status describes.
#define ZX_ERR_INTERNAL (-1)
// The operation is not implemented, not supported by this object, or not enabled.
#define ZX_ERR_NOT_SUPPORTED (-2)
// A resource other than memory (for example a packet or handle slot) could not be obtained.
#define ZX_ERR_NO_RESOURCES (-3)
// Memory needed for the operation could not be allocated.
#define ZX_ERR_NO_MEMORY (-4)
// -5 is unused (it was once ZX_ERR_CALL_FAILED).
// A system call was interrupted and must be retried; never returned to callers.
#define ZX_ERR_INTERNAL_INTR_RETRY (-6)

// ---- Parameter errors ----

// An argument is invalid (for example a null pointer or an unknown option bit).
#define ZX_ERR_INVALID_ARGS (-10)
// A handle value names no handle of the calling process.
#define ZX_ERR_BAD_HANDLE (-11)
// The object named by a handle has the wrong type for the operation.
#define ZX_ERR_WRONG_TYPE (-12)
// The system call number is invalid.
#define ZX_ERR_BAD_SYSCALL (-13)
// An argument lies outside the range the operation accepts.
#define ZX_ERR_OUT_OF_RANGE (-14)
// A caller-supplied buffer is too small for the result.
#define ZX_ERR_BUFFER_TOO_SMALL (-15)

// ---- Precondition and state errors ----

// The object's current state does not allow the operation.
#define ZX_ERR_BAD_STATE (-20)
// The deadline passed before the operation completed.
#define ZX_ERR_TIMED_OUT (-21)
// The operation cannot proceed now but may succeed later (for example a read of an empty channel
// whose peer is still open).
#define ZX_ERR_SHOULD_WAIT (-22)
// The operation in progress (for example a wait) was canceled.
#define ZX_ERR_CANCELED (-23)
// The other end of the object (channel, event pair, ...) is closed.
#define ZX_ERR_PEER_CLOSED (-24)
// The requested entity does not exist.
#define ZX_ERR_NOT_FOUND (-25)
// An entity with the same identity already exists.
#define ZX_ERR_ALREADY_EXISTS (-26)
// The entity is already owned or bound by someone else; it may become free later.
#define ZX_ERR_ALREADY_BOUND (-27)
// The subject cannot perform the operation now, and there is no way to learn when it can.
#define ZX_ERR_UNAVAILABLE (-28)

// ---- Permission errors ----

// The handle lacks a right the operation needs, or the caller is not allowed to do it.
#define ZX_ERR_ACCESS_DENIED (-30)

// ---- Input/output errors ----

// An unspecified I/O error.
#define ZX_ERR_IO (-40)
// The device refused the operation.
#define ZX_ERR_IO_REFUSED (-41)
// The data failed an integrity check.
#define ZX_ERR_IO_DATA_INTEGRITY (-42)
// The data is unavailable and may be lost for good.
#define ZX_ERR_IO_DATA_LOSS (-43)
// The device is gone (unplugged, powered down, driver unloaded).
#define ZX_ERR_IO_NOT_PRESENT (-44)
// The device delivered more data than expected.
#define ZX_ERR_IO_OVERRUN (-45)
// The operation did not complete within its required time frame.
#define ZX_ERR_IO_MISSED_DEADLINE (-46)
// The data of the operation is invalid or out of range.
#define ZX_ERR_IO_INVALID (-47)

// ---- File system errors ----

// A path is too long or malformed.
#define ZX_ERR_BAD_PATH (-50)
// The object is not a directory.
#define ZX_ERR_NOT_DIR (-51)
// The object is not a regular file.
#define ZX_ERR_NOT_FILE (-52)
// The file would exceed a size limit.
#define ZX_ERR_FILE_BIG (-53)
// The file system or device is full.
#define ZX_ERR_NO_SPACE (-54)
// The directory is not empty.
#define ZX_ERR_NOT_EMPTY (-55)

// ---- Flow control (returned by callbacks, never by a syscall) ----

// Stop calling: the work is done.
#define ZX_ERR_STOP (-60)
// Skip this item and continue with the next one.
#define ZX_ERR_NEXT (-61)
// An asynchronous worker now owns the item and will continue the iteration.
#define ZX_ERR_ASYNC (-62)

// ---- Network errors ----

// The protocol is not supported.
#define ZX_ERR_PROTOCOL_NOT_SUPPORTED (-70)
// The host is unreachable.
#define ZX_ERR_ADDRESS_UNREACHABLE (-71)
// The address is already in use.
#define ZX_ERR_ADDRESS_IN_USE (-72)
// The socket is not connected.
#define ZX_ERR_NOT_CONNECTED (-73)
// The remote peer refused the connection.
#define ZX_ERR_CONNECTION_REFUSED (-74)
// The connection was reset.
#define ZX_ERR_CONNECTION_RESET (-75)
// The connection was aborted.
#define ZX_ERR_CONNECTION_ABORTED (-76)

#endif  // ZIRCON_ERRORS_H_
