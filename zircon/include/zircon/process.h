// <zircon/process.h>: handles to the calling process and thread.
#ifndef ZIRCON_PROCESS_H_
#define ZIRCON_PROCESS_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// A handle to the calling thread, with ZX_DEFAULT_THREAD_RIGHTS. The same value on every call
// from one thread; portloop owns it: do not close it. Thread-safe.
// Linux: a thread portloop did not start (the main thread, any pthread) becomes a thread
// object on its first call, and gets an alternate signal stack then if it has none, so that
// its faults (a stack overflow included) can be reported to exception ports. Faults of a thread
// that never called this and was not started by zx_thread_start() go to no exception port.
// The handle is closed when the thread exits. Returns ZX_HANDLE_INVALID if out of memory.
zx_handle_t zx_thread_self(void) __ZX_NOEXCEPT;
zx_handle_t _zx_thread_self(void) __ZX_NOEXCEPT;

// A handle to the calling process, with ZX_DEFAULT_PROCESS_RIGHTS; created once, owned by
// portloop: do not close it. Thread-safe.
// Linux: this process object is not a child process handle (<zircon/linux/process.h>); it is
// never terminated, and ZX_INFO_PROCESS reports it started and not exited.
zx_handle_t zx_process_self(void) __ZX_NOEXCEPT;
zx_handle_t _zx_process_self(void) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_PROCESS_H_
