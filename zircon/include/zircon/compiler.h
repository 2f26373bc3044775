// <zircon/compiler.h>: the attribute and language-linkage macros that every Zircon header uses.
//
// Compiles as C11 and as C++. Everything here is a macro because the names are Fuchsia's public
// spelling; our own code adds no macros of its own.
//
// Linux: only GCC and Clang are supported, as on Fuchsia.

#ifndef ZIRCON_COMPILER_H_
#define ZIRCON_COMPILER_H_

#if !defined(__GNUC__) && !defined(__clang__)
#error "<zircon/compiler.h> needs GCC or Clang"
#endif

// `__has_feature(x)` is Clang's feature test; on other compilers every feature reads as absent.
#ifndef __has_feature
#define __has_feature(x) 0
#endif

// `__has_attribute(x)` is available in GCC >= 5 and Clang; older compilers report no attributes.
#ifndef __has_attribute
#define __has_attribute(x) 0
#endif

// Language linkage: wrap every C declaration of a public header in
// `__BEGIN_CDECLS` ... `__END_CDECLS` so that C++ callers see `extern "C"` names.
#ifdef __cplusplus
#define __BEGIN_CDECLS extern "C" {
#define __END_CDECLS }
#else
#define __BEGIN_CDECLS
#define __END_CDECLS
#endif

// `__CONSTEXPR` marks a `static inline` function that C++ may evaluate at compile time; in C it
// expands to nothing.
#ifdef __cplusplus
#define __CONSTEXPR constexpr
#else
#define __CONSTEXPR
#endif

// Not a Fuchsia name (the `__ZX_` prefix marks header internals): `noexcept` in C++, nothing in
// C. portloop defines its C entry points `noexcept`, because nothing may throw across the C ABI,
// and C++ requires every declaration of such a function to say so too.
#ifdef __cplusplus
#define __ZX_NOEXCEPT noexcept
#else
#define __ZX_NOEXCEPT
#endif

// Branch-prediction hints: `likely(x)` and `unlikely(x)` evaluate `x` once and yield 0 or 1.
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

// Function and variable attributes, spelled as Fuchsia spells them.
#define __UNUSED __attribute__((__unused__))
#define __USED __attribute__((__used__))
#define __PACKED __attribute__((__packed__))
#define __ALIGNED(x) __attribute__((__aligned__(x)))
#define __PRINTFLIKE(__fmt, __varargs) __attribute__((__format__(__printf__, __fmt, __varargs)))
#define __SCANFLIKE(__fmt, __varargs) __attribute__((__format__(__scanf__, __fmt, __varargs)))
#define __SECTION(x) __attribute__((__section__(x)))
#define __PURE __attribute__((__pure__))
#define __CONST __attribute__((__const__))
#define __NO_RETURN __attribute__((__noreturn__))
#define __MALLOC __attribute__((__malloc__))
#define __WEAK __attribute__((__weak__))
#define __NO_INLINE __attribute__((__noinline__))
#define __ALWAYS_INLINE __attribute__((__always_inline__))
#define __MAY_ALIAS __attribute__((__may_alias__))
#define __NONNULL(x) __attribute__((__nonnull__ x))
#define __WARN_UNUSED_RESULT __attribute__((__warn_unused_result__))
#define __EXPORT __attribute__((__visibility__("default")))
#define __LOCAL __attribute__((__visibility__("hidden")))
#define __CONSTRUCTOR __attribute__((__constructor__))
#define __DESTRUCTOR __attribute__((__destructor__))
#define __RESTRICT __restrict
#define __THREAD __thread
#define __UNREACHABLE __builtin_unreachable()
#define __ISCONSTANT(x) __builtin_constant_p(x)
#define __offsetof(type, field) __builtin_offsetof(type, field)

#ifndef __DEPRECATE
#define __DEPRECATE __attribute__((__deprecated__))
#endif

// `__FALLTHROUGH;` marks a deliberate fall-through between `case` labels.
#if defined(__cplusplus) && __cplusplus >= 201703L
#define __FALLTHROUGH [[fallthrough]]
#elif __has_attribute(__fallthrough__)
#define __FALLTHROUGH __attribute__((__fallthrough__))
#else
#define __FALLTHROUGH \
  do {                \
  } while (0)
#endif

// `countof(array)`: the number of elements of a true array (not a pointer).
#ifndef countof
#define countof(a) (sizeof(a) / sizeof((a)[0]))
#endif

// Checked arithmetic: each stores `a op b` (wrapped) in `*c` and yields true if the
// mathematically exact result did not fit in `*c`'s type.
#define add_overflow(a, b, c) __builtin_add_overflow(a, b, c)
#define sub_overflow(a, b, c) __builtin_sub_overflow(a, b, c)
#define mul_overflow(a, b, c) __builtin_mul_overflow(a, b, c)

// Clang thread-safety analysis (-Wthread-safety). Each `__TA_*` macro expands to the matching
// Clang attribute, and to nothing on compilers without the analysis.
//
// - `__TA_CAPABILITY(name)`: a type is a lock-like capability named `name` ("mutex").
// - `__TA_SCOPED_CAPABILITY`: an RAII type acquires a capability in its constructor and releases
//   it in its destructor.
// - `__TA_GUARDED(x)` / `__TA_PT_GUARDED(x)`: a field (or the object a pointer field points to)
//   may be touched only while holding `x`.
// - `__TA_ACQUIRED_BEFORE(...)` / `__TA_ACQUIRED_AFTER(...)`: lock-order declarations.
// - `__TA_REQUIRES(...)` / `__TA_REQUIRES_SHARED(...)`: the caller must hold the capabilities
//   (exclusively / at least shared).
// - `__TA_EXCLUDES(...)`: the caller must not hold them.
// - `__TA_ACQUIRE(...)` / `__TA_ACQUIRE_SHARED(...)` / `__TA_RELEASE(...)` /
//   `__TA_RELEASE_SHARED(...)`: the function acquires or releases them.
// - `__TA_TRY_ACQUIRE(...)`: the first argument is the return value meaning "acquired".
// - `__TA_ASSERT(...)`: the function aborts unless the capabilities are held.
// - `__TA_RETURN_CAPABILITY(x)`: the function returns a reference to capability `x`.
// - `__TA_NO_THREAD_SAFETY_ANALYSIS`: the function body is not analysed.
#if defined(__clang__)
#define __THREAD_ANNOTATION(x) __attribute__((x))
#else
#define __THREAD_ANNOTATION(x)
#endif

#define __TA_CAPABILITY(x) __THREAD_ANNOTATION(__capability__(x))
#define __TA_SCOPED_CAPABILITY __THREAD_ANNOTATION(__scoped_lockable__)
#define __TA_GUARDED(x) __THREAD_ANNOTATION(__guarded_by__(x))
#define __TA_PT_GUARDED(x) __THREAD_ANNOTATION(__pt_guarded_by__(x))
#define __TA_ACQUIRED_BEFORE(...) __THREAD_ANNOTATION(__acquired_before__(__VA_ARGS__))
#define __TA_ACQUIRED_AFTER(...) __THREAD_ANNOTATION(__acquired_after__(__VA_ARGS__))
#define __TA_REQUIRES(...) __THREAD_ANNOTATION(__requires_capability__(__VA_ARGS__))
#define __TA_REQUIRES_SHARED(...) __THREAD_ANNOTATION(__requires_shared_capability__(__VA_ARGS__))
#define __TA_EXCLUDES(...) __THREAD_ANNOTATION(__locks_excluded__(__VA_ARGS__))
#define __TA_ACQUIRE(...) __THREAD_ANNOTATION(__acquire_capability__(__VA_ARGS__))
#define __TA_ACQUIRE_SHARED(...) __THREAD_ANNOTATION(__acquire_shared_capability__(__VA_ARGS__))
#define __TA_RELEASE(...) __THREAD_ANNOTATION(__release_capability__(__VA_ARGS__))
#define __TA_RELEASE_SHARED(...) __THREAD_ANNOTATION(__release_shared_capability__(__VA_ARGS__))
#define __TA_TRY_ACQUIRE(...) __THREAD_ANNOTATION(__try_acquire_capability__(__VA_ARGS__))
#define __TA_ASSERT(...) __THREAD_ANNOTATION(__assert_capability__(__VA_ARGS__))
#define __TA_RETURN_CAPABILITY(x) __THREAD_ANNOTATION(__lock_returned__(x))
#define __TA_NO_THREAD_SAFETY_ANALYSIS __THREAD_ANNOTATION(__no_thread_safety_analysis__)

#endif  // ZIRCON_COMPILER_H_
