// <lib/fit/internal/function.h>: the storage engine behind fit::function and fit::callback.
// Not part of the API: include <lib/fit/function.h> instead.
//
// A function object is `kStorageSize` bytes of max_align_t-aligned storage plus one pointer to a
// static table of three operations (invoke, relocate, destroy), one table per stored callable
// type. A null table pointer means "no target". A callable that is small enough, aligned no more
// than max_align_t and nothrow-move-constructible is constructed in the storage itself; any other
// callable is moved to the heap and the storage holds the pointer to it. A plain table of function
// pointers (rather than a virtual base class) keeps the table out of the storage, so the whole
// storage is available to the callable, and needs no run-time type information.

#ifndef LIB_FIT_INTERNAL_FUNCTION_H_
#define LIB_FIT_INTERNAL_FUNCTION_H_

#include <zircon/assert.h>

#include <concepts>
#include <cstddef>
#include <functional>
#include <new>
#include <type_traits>
#include <utility>

namespace fit {
namespace internal {

// Bytes of inline storage for a requested `inline_target_size`: rounded up to whole pointers, and
// at least one pointer, because the storage also holds the pointer to a heap-allocated target.
constexpr size_t InlineStorageSize(size_t inline_target_size) {
  const size_t words = (inline_target_size + sizeof(void*) - 1) / sizeof(void*);
  return (words == 0 ? 1 : words) * sizeof(void*);
}

// True if a `Callable` can live in `storage_size` bytes of inline storage. Moving a function
// moves its inline target, and that move must not fail half-way, hence the nothrow requirement.
template <typename Callable, size_t storage_size>
inline constexpr bool kFitsInline = sizeof(Callable) <= storage_size &&
                                    alignof(Callable) <= alignof(std::max_align_t) &&
                                    std::is_nothrow_move_constructible_v<Callable>;

// True if a `Callable` lvalue can be called, as std::invoke calls it, with the arguments of the
// function signature `Signature` and its result converts to the signature's result type. As with
// std::function, any result is accepted (and discarded) when that type is void.
template <typename Callable, typename Signature>
inline constexpr bool kInvocableAs = false;

template <typename Callable, typename Result, typename... Args>
inline constexpr bool kInvocableAs<Callable, Result(Args...)> =
    std::is_invocable_r_v<Result, Callable&, Args...>;

// True if a `Callable` can be the target of `Wrapper`, a function or callback with signature
// `Signature`. The wrapper itself is excluded so that copying one (which is deleted) is not
// mistaken for wrapping one.
template <typename Callable, typename Wrapper, typename Signature>
concept TargetOf = !std::is_same_v<Callable, Wrapper> && kInvocableAs<Callable, Signature>;

// True if a `Callable` can be compared with nullptr: function and member pointers, other
// function wrappers (std::function, a fit::function of another size), and captureless lambdas
// (through their conversion to a function pointer; that comparison is always false).
template <typename Callable>
concept NullComparable = requires(const Callable& callable) {
  { callable == nullptr } -> std::convertible_to<bool>;
};

// True if `callable` is null, so that storing it must leave the function empty.
template <typename Callable>
constexpr bool IsNull(const Callable& callable) {
  if constexpr (NullComparable<Callable>) {
    return callable == nullptr;
  } else {
    return false;
  }
}

// Calls `callable` with `args`, converting the result to `Result` (or discarding it if void).
template <typename Result, typename Callable, typename... Args>
Result InvokeAs(Callable& callable, Args&&... args) {
  if constexpr (std::is_void_v<Result>) {
    std::invoke(callable, std::forward<Args>(args)...);
  } else {
    return std::invoke(callable, std::forward<Args>(args)...);
  }
}

// The operations on one stored callable type. `storage` is a function's inline storage.
// Arguments arrive as references: the function's operator() took them by value already.
template <typename Result, typename... Args>
struct TargetOps {
  // Calls the target.
  Result (*invoke)(void* storage, Args&&... args);
  // Moves the target from `from` into the empty storage `to`; `from` is left without a target.
  void (*relocate)(void* from, void* to) noexcept;
  // Destroys the target (and frees it, if it is on the heap).
  void (*destroy)(void* storage) noexcept;
};

// A callable constructed in the storage itself.
template <typename Callable, typename Result, typename... Args>
struct InlineTarget {
  static Callable& Get(void* storage) { return *std::launder(static_cast<Callable*>(storage)); }

  static void Construct(void* storage, Callable&& callable) {
    new (storage) Callable(std::move(callable));
  }

  static Result Invoke(void* storage, Args&&... args) {
    return InvokeAs<Result>(Get(storage), std::forward<Args>(args)...);
  }

  static void Relocate(void* from, void* to) noexcept {
    Callable& source = Get(from);
    new (to) Callable(std::move(source));
    source.~Callable();
  }

  static void Destroy(void* storage) noexcept { Get(storage).~Callable(); }

  static constexpr TargetOps<Result, Args...> kOps{&Invoke, &Relocate, &Destroy};
};

// A callable on the heap; the storage holds a `Callable*`. Moving the function moves only that
// pointer, so the callable itself never moves and need not be movable without throwing.
//
// The memory comes from calling ::operator new directly rather than from a new-expression: the
// compiler may omit or merge the allocations of new-expressions ([expr.new]), which would make
// "a target that does not fit costs exactly one allocation" true only at some optimization
// levels; a direct call is always made.
template <typename Callable, typename Result, typename... Args>
struct HeapTarget {
  static Callable*& Pointer(void* storage) {
    return *std::launder(static_cast<Callable**>(storage));
  }

  static void* Allocate() {
    if constexpr (alignof(Callable) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      return ::operator new (sizeof(Callable), std::align_val_t{alignof(Callable)});
    } else {
      return ::operator new(sizeof(Callable));
    }
  }

  static void Free(void* memory) noexcept {
    if constexpr (alignof(Callable) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      ::operator delete (memory, std::align_val_t{alignof(Callable)});
    } else {
      // Unsized: libstdc++ declares the sized form only with -fsized-deallocation.
      ::operator delete(memory);
    }
  }

  // Frees the memory it holds when destroyed, unless released: frees the allocation if the
  // callable's move constructor throws.
  struct Allocation {
    ~Allocation() {
      if (memory != nullptr) {
        Free(memory);
      }
    }
    void* memory;
  };

  static void Construct(void* storage, Callable&& callable) {
    Allocation allocation{Allocate()};
    Callable* target = new (allocation.memory) Callable(std::move(callable));
    allocation.memory = nullptr;
    new (storage) Callable*(target);
  }

  static Result Invoke(void* storage, Args&&... args) {
    return InvokeAs<Result>(*Pointer(storage), std::forward<Args>(args)...);
  }

  static void Relocate(void* from, void* to) noexcept { new (to) Callable*(Pointer(from)); }

  static void Destroy(void* storage) noexcept {
    Callable* target = Pointer(storage);
    target->~Callable();
    Free(target);
  }

  static constexpr TargetOps<Result, Args...> kOps{&Invoke, &Relocate, &Destroy};
};

template <size_t inline_target_size, bool require_inline, typename Signature>
class FunctionBase;

// The state and operations shared by fit::function_impl and fit::callback_impl, which derive from
// it privately and expose what suits them. Thread-compatible.
template <size_t inline_target_size, bool require_inline, typename Result, typename... Args>
class FunctionBase<inline_target_size, require_inline, Result(Args...)> {
 public:
  FunctionBase(const FunctionBase&) = delete;
  FunctionBase& operator=(const FunctionBase&) = delete;

 protected:
  using Ops = TargetOps<Result, Args...>;

  FunctionBase() noexcept = default;

  FunctionBase(FunctionBase&& other) noexcept { TakeFrom(other); }

  ~FunctionBase() { Reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // Stores `callable` as the target of this function, which must be empty. A null `callable`
  // (see IsNull) leaves it empty.
  template <typename Callable>
  void Emplace(Callable&& callable) {
    using Stored = std::remove_cvref_t<Callable>;
    static_assert(!require_inline || kFitsInline<Stored, kStorageSize>,
                  "fit::inline_function / fit::inline_callback: the callable does not fit inline "
                  "(too big, over-aligned, or its move constructor may throw)");
    if (IsNull(callable)) {
      return;
    }
    using Target =
        std::conditional_t<kFitsInline<Stored, kStorageSize>, InlineTarget<Stored, Result, Args...>,
                           HeapTarget<Stored, Result, Args...>>;
    Target::Construct(storage_, std::move(callable));
    ops_ = &Target::kOps;
  }

  // Destroys the target, if any, then takes `other`'s target, leaving `other` empty.
  void AssignFrom(FunctionBase&& other) noexcept {
    if (&other != this) {
      Reset();
      TakeFrom(other);
    }
  }

  // Destroys the target, if any, then stores `callable`.
  template <typename Callable>
  void AssignTarget(Callable&& callable) {
    Reset();
    Emplace(std::move(callable));
  }

  // Destroys the target, if any. The function is empty before the target's destructor runs, so a
  // destructor that looks at the function sees it empty.
  void Reset() noexcept {
    const Ops* ops = ops_;
    if (ops != nullptr) {
      ops_ = nullptr;
      ops->destroy(storage_);
    }
  }

  // Exchanges the targets of this function and `other`, through a temporary function.
  void Swap(FunctionBase& other) noexcept {
    if (&other == this) {
      return;
    }
    FunctionBase temp(std::move(other));
    other.TakeFrom(*this);
    TakeFrom(temp);
  }

  // Calls the target. Aborts if there is none.
  Result Invoke(Args&&... args) const {
    ZX_ASSERT_MSG(ops_ != nullptr,
                  "fit::function or fit::callback called without a target (empty, moved-from, "
                  "or a callback already called)");
    return ops_->invoke(storage_, std::forward<Args>(args)...);
  }

 private:
  static constexpr size_t kStorageSize = InlineStorageSize(inline_target_size);

  // Takes `other`'s target into this function, which must be empty.
  void TakeFrom(FunctionBase& other) noexcept {
    if (other.ops_ != nullptr) {
      other.ops_->relocate(other.storage_, storage_);
      ops_ = other.ops_;
      other.ops_ = nullptr;
    }
  }

  // Mutable: calling a const function may change its target's state (a mutable lambda), as with
  // std::function.
  alignas(std::max_align_t) mutable unsigned char storage_[kStorageSize];
  const Ops* ops_ = nullptr;
};

}  // namespace internal
}  // namespace fit

#endif  // LIB_FIT_INTERNAL_FUNCTION_H_
