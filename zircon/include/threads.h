// <threads.h>: the C library's C11 threads, plus Fuchsia's thrd_create_with_name().
//
// Linux: glibc (>= 2.28) provides C11 threads but not the named variant; this header wraps the
// C library's own <threads.h> (found with #include_next) and adds it. thrd_t is glibc's, so it
// is value-initializable and comparable with thrd_equal(), and the two kinds of thread mix freely
// (thrd_join(), thrd_detach() ...).

#ifndef ZIRCON_INCLUDE_THREADS_H_
#define ZIRCON_INCLUDE_THREADS_H_

#include <zircon/compiler.h>

#include_next <threads.h>

__BEGIN_CDECLS

// Like thrd_create(): starts a thread running `entry(arg)` and stores its id in `*thread`; also
// gives the thread the name `name` (copied; may be NULL for no name of its own), visible to
// debuggers and tools. Thread-safe.
//
// Returns thrd_success if the thread was started.
// Returns thrd_nomem if memory for the thread could not be allocated.
// Returns thrd_error if the thread could not be started for another reason.
//
// Linux: the kernel keeps at most 15 bytes of a thread name, so longer names are truncated
// (Zircon keeps ZX_MAX_NAME_LEN - 1 = 31). The thread sets its name itself before `entry` runs.
int thrd_create_with_name(thrd_t* thread, thrd_start_t entry, void* arg,
                          const char* name) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_INCLUDE_THREADS_H_
