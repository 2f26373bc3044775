// <lib/fit/function.h>: move-only polymorphic function wrappers (fit::function, fit::closure,
// fit::inline_function, fit::callback) and fit::bind_member.
//
// Like std::function, a fit::function<Result(Args...)> holds any callable (its *target*) that
// std::invoke can call with `Args` and whose result converts to `Result` (any result, if `Result`
// is void). Unlike std::function it is move-only, so it can hold move-only callables such as a
// lambda that captures a std::unique_ptr or another fit::function, and it never throws: calling an
// empty function aborts the process through ZX_ASSERT. The header compiles with and without
// exceptions.
//
// Storage: a target of up to `inline_target_size` bytes (rounded up to whole pointers) whose
// alignment is at most alignof(std::max_align_t) and whose move constructor is noexcept lives
// inside the function object; any other target is moved to the heap (one allocation, freed when
// the target is destroyed). fit::inline_function never allocates: storing a target that does not
// fit inline is a compile-time error.
//
// Thread-compatible: one object must not be used from two threads at once, but distinct objects
// need no synchronization. Calling a function does not synchronize with anything; a target that
// is called concurrently from several threads (through a const function) must be safe for that.
//
// Not provided (yet): target<T>(), target_type() and share().

#ifndef LIB_FIT_FUNCTION_H_
#define LIB_FIT_FUNCTION_H_

#include <lib/fit/internal/function.h>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace fit {

// The number of bytes of target that a fit::function stores without allocating, unless the
// function type names another size: three pointers (24 bytes on 64-bit Linux).
//
// Linux: Fuchsia's default is two pointers (`sizeof(void*) * 2`). portloop uses three because:
//   - the issue behind lib/fit (#4) requires that a handler lambda capturing up to three pointers
//     or references (typically `this` plus two locals) is stored with no heap allocation;
//   - fit::bind_member(instance, &Class::method) yields an object pointer plus a pointer to member
//     function, and on the Itanium C++ ABI used on Linux a pointer to member function is two
//     words, so the result is three words and would go to the heap with a two-pointer default;
//   - it costs nothing on x86-64 and arm64: the storage is aligned to std::max_align_t (16 bytes),
//     so with two pointers of storage plus the operations pointer (24 bytes) the object is padded
//     to 32 bytes anyway, exactly the size of three pointers of storage plus the operations
//     pointer. sizeof(fit::closure) is 32 bytes either way.
// Code that names the size explicitly (fit::function<Sig, N>, fit::inline_function<Sig, N>) gets
// the same inline capacity as on Fuchsia.
constexpr size_t default_inline_target_size = sizeof(void*) * 3;

template <size_t inline_target_size, bool require_inline, typename Signature>
class function_impl;

template <size_t inline_target_size, bool require_inline, typename Signature>
class callback_impl;

// A move-only function wrapper that may be called any number of times. `T` is the signature, such
// as `void(zx_status_t)`. Targets that fit in `inline_target_size` bytes are stored inline; larger
// ones on the heap. Members are described on fit::function_impl below.
template <typename T, size_t inline_target_size = default_inline_target_size>
using function = function_impl<inline_target_size, /*require_inline=*/false, T>;

// A fit::function that never allocates: a target that does not fit in `inline_target_size` bytes,
// is aligned beyond std::max_align_t, or has a move constructor that may throw is rejected at
// compile time by a static_assert.
template <typename T, size_t inline_target_size = default_inline_target_size>
using inline_function = function_impl<inline_target_size, /*require_inline=*/true, T>;

// A function taking no arguments and returning nothing.
using closure = function<void()>;

// A move-only function wrapper that may be called once: calling it takes the target out of the
// callback, which is empty (== nullptr) from then on, and destroys the target after the call
// returns. Members are described on fit::callback_impl below.
template <typename T, size_t inline_target_size = default_inline_target_size>
using callback = callback_impl<inline_target_size, /*require_inline=*/false, T>;

// A fit::callback that never allocates (see fit::inline_function).
template <typename T, size_t inline_target_size = default_inline_target_size>
using inline_callback = callback_impl<inline_target_size, /*require_inline=*/true, T>;

// The class behind fit::function and fit::inline_function; name it through those aliases.
// Thread-compatible.
template <size_t inline_target_size, bool require_inline, typename Result, typename... Args>
class function_impl<inline_target_size, require_inline, Result(Args...)> final
    : private internal::FunctionBase<inline_target_size, require_inline, Result(Args...)> {
  using base = internal::FunctionBase<inline_target_size, require_inline, Result(Args...)>;

 public:
  // The type the function returns.
  using result_type = Result;

  // Creates an empty function. Calling it aborts.
  function_impl() noexcept = default;

  // Creates an empty function, as the default constructor does.
  function_impl(decltype(nullptr)) noexcept {}

  // Creates a function that calls `target`, or an empty function if `target` is null.
  function_impl(Result (*target)(Args...)) { base::Emplace(std::move(target)); }

  // Creates a function that owns `target`, moved in, and calls it. If `target` compares equal to
  // nullptr (a null function pointer, an empty std::function or fit::function of another size),
  // the function is empty. Allocates if `target` does not fit inline (see the file comment).
  template <internal::TargetOf<function_impl, Result(Args...)> Callable>
  function_impl(Callable target) {
    base::Emplace(std::move(target));
  }

  // A fit::function cannot be made from a fit::callback: it would break after its first call.
  // Wrap the callback in a lambda to do it on purpose.
  template <size_t other_inline_target_size, bool other_require_inline>
  function_impl(callback_impl<other_inline_target_size, other_require_inline, Result(Args...)>) =
      delete;

  // Takes `other`'s target, leaving `other` empty. Moves the target itself if it is stored
  // inline, only a pointer if it is on the heap. Never allocates.
  function_impl(function_impl&& other) noexcept : base(static_cast<base&&>(other)) {}

  // Destroys the target, if any.
  ~function_impl() = default;

  // Destroys the target, if any; the function is then empty.
  function_impl& operator=(decltype(nullptr)) noexcept {
    base::Reset();
    return *this;
  }

  // Destroys the target, if any, then stores `target` as the constructor above does.
  template <internal::TargetOf<function_impl, Result(Args...)> Callable>
  function_impl& operator=(Callable target) {
    base::AssignTarget(std::move(target));
    return *this;
  }

  // See the deleted constructor above.
  template <size_t other_inline_target_size, bool other_require_inline>
  function_impl& operator=(
      callback_impl<other_inline_target_size, other_require_inline, Result(Args...)>) = delete;

  // Destroys the target, if any, then takes `other`'s target, leaving `other` empty. Assigning a
  // function to itself changes nothing.
  function_impl& operator=(function_impl&& other) noexcept {
    base::AssignFrom(static_cast<base&&>(other));
    return *this;
  }

  // Exchanges the targets of this function and `other`. Never allocates.
  void swap(function_impl& other) noexcept { base::Swap(other); }

  // True if the function has a target.
  using base::operator bool;

  // Calls the target with `args` and returns its result. The target may change its own state (a
  // mutable lambda) even though this operator is const, as with std::function. The target must
  // not destroy or reassign this function while it runs (fit::callback allows that).
  // Aborts (ZX_ASSERT) if the function is empty.
  Result operator()(Args... args) const { return base::Invoke(std::forward<Args>(args)...); }

  // Exchanges the targets of `a` and `b`.
  friend void swap(function_impl& a, function_impl& b) noexcept { a.swap(b); }

  // Comparison with nullptr: a function equals nullptr if and only if it is empty.
  friend bool operator==(const function_impl& f, decltype(nullptr)) noexcept { return !f; }
  friend bool operator==(decltype(nullptr), const function_impl& f) noexcept { return !f; }
  friend bool operator!=(const function_impl& f, decltype(nullptr)) noexcept { return !!f; }
  friend bool operator!=(decltype(nullptr), const function_impl& f) noexcept { return !!f; }
};

// The class behind fit::callback and fit::inline_callback; name it through those aliases. Has the
// members of fit::function_impl, except that it may be made from a fit::function, and that its
// call operator is not const and empties the callback. Thread-compatible.
template <size_t inline_target_size, bool require_inline, typename Result, typename... Args>
class callback_impl<inline_target_size, require_inline, Result(Args...)> final
    : private internal::FunctionBase<inline_target_size, require_inline, Result(Args...)> {
  using base = internal::FunctionBase<inline_target_size, require_inline, Result(Args...)>;

 public:
  // The type the callback returns.
  using result_type = Result;

  // Creates an empty callback. Calling it aborts.
  callback_impl() noexcept = default;

  // Creates an empty callback, as the default constructor does.
  callback_impl(decltype(nullptr)) noexcept {}

  // Creates a callback that calls `target`, or an empty callback if `target` is null.
  callback_impl(Result (*target)(Args...)) { base::Emplace(std::move(target)); }

  // Creates a callback that owns `target`, moved in, and calls it; empty if `target` compares
  // equal to nullptr. Allocates if `target` does not fit inline.
  template <internal::TargetOf<callback_impl, Result(Args...)> Callable>
  callback_impl(Callable target) {
    base::Emplace(std::move(target));
  }

  // Takes `other`'s target, leaving `other` empty. Never allocates.
  callback_impl(callback_impl&& other) noexcept : base(static_cast<base&&>(other)) {}

  // Destroys the target, if any.
  ~callback_impl() = default;

  // Destroys the target, if any; the callback is then empty.
  callback_impl& operator=(decltype(nullptr)) noexcept {
    base::Reset();
    return *this;
  }

  // Destroys the target, if any, then stores `target` as the constructor above does.
  template <internal::TargetOf<callback_impl, Result(Args...)> Callable>
  callback_impl& operator=(Callable target) {
    base::AssignTarget(std::move(target));
    return *this;
  }

  // Destroys the target, if any, then takes `other`'s target, leaving `other` empty.
  callback_impl& operator=(callback_impl&& other) noexcept {
    base::AssignFrom(static_cast<base&&>(other));
    return *this;
  }

  // Exchanges the targets of this callback and `other`. Never allocates.
  void swap(callback_impl& other) noexcept { base::Swap(other); }

  // True if the callback has a target: it was given one and has not been called since.
  using base::operator bool;

  // Takes the target out of the callback (which is then empty), calls it with `args`, destroys it
  // and returns its result. The target may therefore destroy or reassign this callback.
  // Aborts (ZX_ASSERT) if the callback is empty.
  Result operator()(Args... args) {
    callback_impl target(std::move(*this));
    return target.Invoke(std::forward<Args>(args)...);
  }

  // Exchanges the targets of `a` and `b`.
  friend void swap(callback_impl& a, callback_impl& b) noexcept { a.swap(b); }

  // Comparison with nullptr: a callback equals nullptr if and only if it is empty.
  friend bool operator==(const callback_impl& f, decltype(nullptr)) noexcept { return !f; }
  friend bool operator==(decltype(nullptr), const callback_impl& f) noexcept { return !f; }
  friend bool operator!=(const callback_impl& f, decltype(nullptr)) noexcept { return !!f; }
  friend bool operator!=(decltype(nullptr), const callback_impl& f) noexcept { return !!f; }
};

// Returns a callable that calls `(instance->*fn)(args...)`. `instance` is not owned and must
// outlive every call. The result holds an object pointer and a pointer to member function (three
// pointers on Linux), so it fits inline in a fit::function of the default size.
template <typename R, typename T, typename... Args>
auto bind_member(T* instance, R (T::*fn)(Args...)) {
  return [instance, fn](Args... args) -> R { return (instance->*fn)(std::forward<Args>(args)...); };
}

// As above, for a const member function.
template <typename R, typename T, typename... Args>
auto bind_member(const T* instance, R (T::*fn)(Args...) const) {
  return [instance, fn](Args... args) -> R { return (instance->*fn)(std::forward<Args>(args)...); };
}

// Returns a callable that calls `(instance->*method)(args...)`, as later Fuchsia releases spell
// it: `fit::bind_member<&Class::Method>(this)`. The method is part of the type, so the result
// holds only `instance` (one pointer). `instance` is not owned and must outlive every call.
template <auto method, typename T>
auto bind_member(T* instance) {
  return [instance](auto&&... args) -> decltype(auto) {
    return (instance->*method)(std::forward<decltype(args)>(args)...);
  };
}

}  // namespace fit

#endif  // LIB_FIT_FUNCTION_H_
