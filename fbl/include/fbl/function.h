// <fbl/function.h>: fbl's move-only function wrappers, as names for lib/fit's.
//
// Fuchsia replaced fbl::Function with fit::function without changing its behaviour; portloop
// ships only the fit implementation and gives it the fbl names, so the era's code and later code
// share one type: an fbl::Closure and a fit::closure are the same type and convert freely.
//
// Linux: differences from the era's fbl::Function:
//   - the AllocChecker overloads (`Function(target, ac)`, `SetTarget(target, ac)`) and
//     `SetTarget(target)` are not provided; assign the callable instead (`f = target;`);
//   - fbl::Function<T> stores targets of up to three pointers inline (fit's default, see
//     fit::default_inline_target_size); the era's fbl stored two.
//
// Keeps the era's include chain: this header includes <zircon/assert.h>, and the era's code uses
// ZX_ASSERT and ZX_DEBUG_ASSERT having included only this header.

#ifndef FBL_FUNCTION_H_
#define FBL_FUNCTION_H_

#include <lib/fit/function.h>
#include <zircon/assert.h>

#include <cstddef>
#include <utility>

namespace fbl {

// The inline target size of fbl::Function: fit's default.
constexpr size_t kDefaultInlineCallableSize = fit::default_inline_target_size;

// A move-only function wrapper with signature `T`: fit::function<T>. Thread-compatible.
template <typename T>
using Function = fit::function<T>;

// A fbl::Function that stores targets of up to `inline_callable_size` bytes inline and larger
// ones on the heap: fit::function<T, inline_callable_size>.
template <typename T, size_t inline_callable_size>
using SizedFunction = fit::function<T, inline_callable_size>;

// A fbl::Function that never allocates: a target larger than `inline_callable_size` bytes fails
// to compile. fit::inline_function<T, inline_callable_size>.
template <typename T, size_t inline_callable_size>
using InlineFunction = fit::inline_function<T, inline_callable_size>;

// A function taking no arguments and returning nothing: fit::closure.
using Closure = Function<void()>;

// Returns a callable that calls `(instance->*fn)(args...)`; `instance` is not owned and must
// outlive every call. Same as fit::bind_member(instance, fn).
template <typename R, typename T, typename... Args>
auto BindMember(T* instance, R (T::*fn)(Args...)) {
  return fit::bind_member(instance, fn);
}

}  // namespace fbl

#endif  // FBL_FUNCTION_H_
