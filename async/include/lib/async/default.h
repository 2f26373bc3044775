// <lib/async/default.h>: the calling thread's default dispatcher (library `async-default`).
//
// Each thread has one default-dispatcher slot, NULL when the thread starts. Code that is not
// handed a dispatcher explicitly uses the one found here. The slot is a plain pointer: it holds
// no reference, takes no lock, and is read and written only by its own thread. Loops set it for
// the threads they run on, and test loops while they dispatch.
//
// Compiles as C11 and as C++.
//
// Linux: Fuchsia builds this library as a shared library so that a process has exactly one
// slot per thread. portloop ships it as a static library and keeps that guarantee when several
// copies are linked into one process (e.g. into two shared libraries) through ELF symbol
// interposition: both functions and the thread-local slot are weak, default-visibility symbols,
// always reached through the dynamic symbol table, so the dynamic linker binds every copy to the
// first definition in the process's global lookup scope (the executable, then libraries in load
// order). The `async-default` CMake target also links with --undefined and
// --export-dynamic-symbol for these symbols, so an executable that links it carries a copy and
// exports it; that copy then wins even for libraries opened later with dlopen(RTLD_LOCAL), and
// libraries linked with -Bsymbolic through the target still bind to the winning copy. The one case
// left with two slots: two libraries that each carry a copy, opened with dlopen(RTLD_LOCAL) by a
// program that itself has none; open the first one with RTLD_GLOBAL, or link `async-default` into
// the program.

#ifndef LIB_ASYNC_DEFAULT_H_
#define LIB_ASYNC_DEFAULT_H_

#include <lib/async/dispatcher.h>
#include <zircon/compiler.h>

__BEGIN_CDECLS

// Returns the calling thread's default dispatcher, or NULL if it has none. Thread-safe (each
// thread reads its own slot).
__EXPORT async_dispatcher_t* async_get_default_dispatcher(void) __ZX_NOEXCEPT;

// Makes `dispatcher` the calling thread's default dispatcher; NULL means "none". The pointer is
// stored, not owned: the caller keeps `dispatcher` alive while it is the default, and clears the
// slot before destroying it. Affects only the calling thread. Thread-safe.
__EXPORT void async_set_default_dispatcher(async_dispatcher_t* dispatcher) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_DEFAULT_H_
