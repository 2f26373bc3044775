// The per-thread default dispatcher: one thread-local slot per process, however many copies of
// this file a process contains.
//
// Design. Fuchsia gets a single slot by building this library as one shared object. portloop
// ships a static library, so a process may hold several copies: one in the executable and one
// in each shared library that linked `async-default`. They must all use the same slot, or a loop
// attached in one library would be invisible to code in another. ELF symbol interposition gives
// us that for free: references to a preemptible (interposable) symbol are resolved at load time
// to the first definition in the global lookup scope, so every copy ends up using the first
// copy's functions and slot. What it takes:
//
// - Default visibility (`__EXPORT`), so the symbols reach the dynamic symbol table even when a
//   client builds with -fvisibility=hidden.
// - Weak definitions. Measured with Clang 14 and -fPIC: a call to a default-visibility function
//   defined in the same translation unit is bound directly, even inlined, unless
//   -fsemantic-interposition is given; the thread-local slot is always reached through the
//   general-dynamic TLS model (__tls_get_addr with a relocation against the symbol). A weak
//   definition may be replaced at link time, so Clang never binds to it directly whatever the
//   flags: calls go through the PLT. Weak also lets two archives that carry this object be
//   linked into one program without a duplicate-symbol error; the linker keeps one.
// - The slot itself is exported too, so even a copy whose calls were bound locally by the static
//   linker (-Bsymbolic-functions) still reads and writes the winning copy's slot.
// - Link options on the `async-default` target: --undefined pulls this object into every
//   executable that links the library, and --export-dynamic-symbol puts its symbols in the
//   executable's dynamic symbol table (by default an executable exports only what the libraries
//   it was linked against use, so a library opened later with dlopen(RTLD_LOCAL) would bind to
//   its own copy) and keeps them preemptible in shared libraries linked with -Bsymbolic.
//
// The remaining gap, documented in <lib/async/default.h>: libraries that each carry a copy and
// are opened with dlopen(RTLD_LOCAL) by a program without one cannot see each other's symbols.
//
// async/test/default_{shared,shared_no_copy,dlopen}_test.cc check this with two shared libraries,
// one of them linked with -Bsymbolic, linked into or opened by programs with and without a copy.

#include <lib/async/default.h>

extern "C" {

// The slot. `constinit` makes it constant-initialized, so a thread's first use runs no
// initialization code. Named outside the async_* namespace because it is no Fuchsia symbol.
[[gnu::weak]] __EXPORT constinit thread_local async_dispatcher_t*
    portloop_async_default_dispatcher = nullptr;

[[gnu::weak]] __EXPORT async_dispatcher_t* async_get_default_dispatcher(void) noexcept {
  return portloop_async_default_dispatcher;
}

[[gnu::weak]] __EXPORT void async_set_default_dispatcher(async_dispatcher_t* dispatcher) noexcept {
  portloop_async_default_dispatcher = dispatcher;
}

}  // extern "C"
