// <zircon/assert.h>: run-time assertions.
//
// ZX_ASSERT and ZX_ASSERT_MSG are always checked. ZX_DEBUG_ASSERT and ZX_DEBUG_ASSERT_MSG are
// checked only when ZX_DEBUG_ASSERT_IMPLEMENTED is 1; their condition is compiled either way (so
// it must stay valid code) but is not evaluated when checking is off. A failed assertion prints the
// file, line, condition text and message to stderr and aborts the process; it never returns.
// `msg` must be a string literal: it is a printf format, followed by its arguments.
//
// Compiles as C11 and C++. Thread-safe.

#ifndef ZIRCON_ASSERT_
#define ZIRCON_ASSERT_

#include <zircon/compiler.h>

#include <stdio.h>
#include <stdlib.h>

__BEGIN_CDECLS

// Writes the printf-style message `fmt` to stderr and aborts the process. Used by the macros
// below; call ZX_PANIC rather than this.
void __zx_panic(const char* fmt, ...) __ZX_NOEXCEPT __NO_RETURN __PRINTFLIKE(1, 2);

__END_CDECLS

// 1 if ZX_DEBUG_ASSERT and ZX_DEBUG_ASSERT_MSG are checked, else 0. A build may define it
// (0 or 1); otherwise it follows ZX_DEBUGLEVEL (checked above level 1) when that is defined, and
// else is 1 unless NDEBUG is defined.
#ifndef ZX_DEBUG_ASSERT_IMPLEMENTED
#if defined(ZX_DEBUGLEVEL)
#define ZX_DEBUG_ASSERT_IMPLEMENTED (ZX_DEBUGLEVEL > 1)
#elif defined(NDEBUG)
#define ZX_DEBUG_ASSERT_IMPLEMENTED 0
#else
#define ZX_DEBUG_ASSERT_IMPLEMENTED 1
#endif
#endif

// ZX_PANIC(fmt, ...): prints the printf-style message to stderr and aborts. Never returns.
#define ZX_PANIC(...) __zx_panic(__VA_ARGS__)

// ZX_ASSERT(x): aborts with "ASSERT FAILED at (file:line): x" unless `x` is true.
#define ZX_ASSERT(x)                                                        \
  do {                                                                      \
    if (unlikely(!(x))) {                                                   \
      __zx_panic("ASSERT FAILED at (%s:%d): %s\n", __FILE__, __LINE__, #x); \
    }                                                                       \
  } while (0)

// ZX_ASSERT_MSG(x, msg, ...): like ZX_ASSERT, and also prints the printf-style `msg`.
#define ZX_ASSERT_MSG(x, msg, ...)                                                  \
  do {                                                                              \
    if (unlikely(!(x))) {                                                           \
      __zx_panic("ASSERT FAILED at (%s:%d): %s\n" msg "\n", __FILE__, __LINE__, #x, \
                 ##__VA_ARGS__);                                                    \
    }                                                                               \
  } while (0)

// ZX_DEBUG_ASSERT(x): ZX_ASSERT(x) when ZX_DEBUG_ASSERT_IMPLEMENTED, else `x` is not evaluated.
#define ZX_DEBUG_ASSERT(x)                                                        \
  do {                                                                            \
    if (ZX_DEBUG_ASSERT_IMPLEMENTED && unlikely(!(x))) {                          \
      __zx_panic("DEBUG ASSERT FAILED at (%s:%d): %s\n", __FILE__, __LINE__, #x); \
    }                                                                             \
  } while (0)

// ZX_DEBUG_ASSERT_MSG(x, msg, ...): ZX_ASSERT_MSG when ZX_DEBUG_ASSERT_IMPLEMENTED, else `x` and
// the arguments are not evaluated.
#define ZX_DEBUG_ASSERT_MSG(x, msg, ...)                                                  \
  do {                                                                                    \
    if (ZX_DEBUG_ASSERT_IMPLEMENTED && unlikely(!(x))) {                                  \
      __zx_panic("DEBUG ASSERT FAILED at (%s:%d): %s\n" msg "\n", __FILE__, __LINE__, #x, \
                 ##__VA_ARGS__);                                                          \
    }                                                                                     \
  } while (0)

// ZX_DEBUG_ASSERT_COND / ZX_DEBUG_ASSERT_MSG_COND: like the debug asserts, but expand to nothing
// at all (the condition is not even compiled) when ZX_DEBUG_ASSERT_IMPLEMENTED is 0; for
// conditions that name debug-only variables.
#if ZX_DEBUG_ASSERT_IMPLEMENTED
#define ZX_DEBUG_ASSERT_COND(x) ZX_DEBUG_ASSERT(x)
#define ZX_DEBUG_ASSERT_MSG_COND(x, msg, ...) ZX_DEBUG_ASSERT_MSG(x, msg, ##__VA_ARGS__)
#else
#define ZX_DEBUG_ASSERT_COND(x) \
  do {                          \
  } while (0)
#define ZX_DEBUG_ASSERT_MSG_COND(x, msg, ...) \
  do {                                        \
  } while (0)
#endif

#endif  // ZIRCON_ASSERT_
