// fit::function, fit::callback and fit::bind_member: emptiness, storage (inline or heap, counted
// allocations), moves, calls, and the abort on calling an empty function.

#include <lib/fit/function.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

#if defined(PORTLOOP_ASAN) || defined(PORTLOOP_TSAN)
#include <sanitizer/allocator_interface.h>
#endif

// The allocation hook, which lets tests count the heap allocations and frees of their thread.
//
// Under AddressSanitizer or ThreadSanitizer the sanitizer's own allocator serves operator new (and
// ThreadSanitizer's runtime defines the global allocation functions, so they cannot be replaced),
// and the sanitizer's malloc/free hooks report every allocation, operator new included. Otherwise
// this binary replaces the global operator new and delete.
//
// The counts are thread_local: the allocator serves the whole process, and GoogleTest or the
// sanitizer runtimes may allocate on other threads while a test runs, so a test must see only its
// own thread's allocations; a thread_local count also needs no atomics and cannot race under
// ThreadSanitizer. It is the one mutable file-level variable here, because an allocation hook has
// no other place to keep state. constinit: it is constant-initialized and trivially destructible,
// so touching it never runs code, even inside the allocator on a thread's first allocation.
namespace {

struct HeapCounts {
  size_t allocations = 0;
  size_t frees = 0;
};

constinit thread_local HeapCounts tls_heap_counts;

}  // namespace

#if defined(PORTLOOP_ASAN) || defined(PORTLOOP_TSAN)

namespace {

void CountAllocation(const volatile void* /*ptr*/, size_t /*size*/) {
  tls_heap_counts.allocations++;
}

void CountFree(const volatile void* /*ptr*/) { tls_heap_counts.frees++; }

// Installed before main() runs.
[[maybe_unused]] const int kHooksInstalled =
    __sanitizer_install_malloc_and_free_hooks(&CountAllocation, &CountFree);

}  // namespace

#else  // !(PORTLOOP_ASAN || PORTLOOP_TSAN)

namespace {

void* CountedAllocate(size_t size, size_t alignment) {
  tls_heap_counts.allocations++;
  if (size == 0) {
    size = 1;
  }
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else if (posix_memalign(&p, alignment, size) != 0) {
    p = nullptr;
  }
  if (p == nullptr) {
#if __cpp_exceptions
    throw std::bad_alloc();
#else
    std::abort();
#endif
  }
  return p;
}

void CountedFree(void* p) {
  if (p != nullptr) {
    tls_heap_counts.frees++;
    std::free(p);
  }
}

}  // namespace

// The array forms call these in libstdc++, and so do the nothrow forms.
void* operator new(size_t size) { return CountedAllocate(size, alignof(std::max_align_t)); }
void* operator new(size_t size, std::align_val_t alignment) {
  return CountedAllocate(size, static_cast<size_t>(alignment));
}
void operator delete(void* p) noexcept { CountedFree(p); }
void operator delete(void* p, size_t) noexcept { CountedFree(p); }
void operator delete(void* p, std::align_val_t) noexcept { CountedFree(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { CountedFree(p); }

#endif  // PORTLOOP_ASAN || PORTLOOP_TSAN

namespace {

// Counts the heap allocations and frees made by the calling thread from its construction on.
class HeapActivity {
 public:
  size_t allocations() const { return tls_heap_counts.allocations - start_.allocations; }
  size_t frees() const { return tls_heap_counts.frees - start_.frees; }

 private:
  HeapCounts start_ = tls_heap_counts;
};

// What happened to the copies of one Tracked callable.
struct Lifetimes {
  int moves = 0;
  int destructions = 0;
  int calls = 0;
};

// A callable that records its moves, destructions and calls in a Lifetimes owned by the test.
// `Padding` makes it bigger, so that it no longer fits inline.
template <size_t Padding = 0>
class Tracked {
 public:
  explicit Tracked(Lifetimes* lifetimes) : lifetimes_(lifetimes) {}
  Tracked(Tracked&& other) noexcept : lifetimes_(other.lifetimes_) { lifetimes_->moves++; }
  Tracked& operator=(Tracked&&) = delete;
  ~Tracked() { lifetimes_->destructions++; }

  int operator()(int x) {
    lifetimes_->calls++;
    return x + 1;
  }

 private:
  Lifetimes* lifetimes_;
  [[maybe_unused]] char padding_[Padding + 1] = {};
};
using SmallTracked = Tracked<0>;
using BigTracked = Tracked<64>;

int AddOne(int x) { return x + 1; }

// The object size the file comment of <lib/fit/function.h> promises on 64-bit Linux: three
// pointers of storage plus the operations pointer, with no padding.
static_assert(sizeof(void*) != 8 || sizeof(fit::closure) == 32);
static_assert(fit::default_inline_target_size == 3 * sizeof(void*));
static_assert(std::is_nothrow_move_constructible_v<fit::closure>);
static_assert(!std::is_copy_constructible_v<fit::closure>);
static_assert(!std::is_copy_assignable_v<fit::closure>);
static_assert(std::is_same_v<fit::function<void()>, fit::closure>);
// A fit::function cannot be made from a fit::callback, which would break after one call.
static_assert(!std::is_constructible_v<fit::function<void()>, fit::callback<void()>>);
static_assert(std::is_constructible_v<fit::callback<void()>, fit::function<void()>>);
// Only callables with a matching signature are accepted.
static_assert(!std::is_constructible_v<fit::function<void(int)>, void (*)(std::string)>);
static_assert(!std::is_constructible_v<fit::function<int()>, void (*)()>);
static_assert(std::is_constructible_v<fit::function<void()>, int (*)()>);

// fit::inline_function rejects a callable that does not fit with a static_assert in its
// constructor, so it cannot be checked at run time (nor with is_constructible, which does not
// instantiate the constructor's body). This does not compile:
//   char big[64] = {};
//   fit::inline_function<void()> f = [big] {};  // "the callable does not fit inline"

TEST(FunctionTest, DefaultAndNullptrAreEmpty) {
  fit::closure by_default;
  fit::closure from_nullptr(nullptr);
  fit::closure assigned = [] {};
  assigned = nullptr;

  for (const fit::closure* f : {&by_default, &from_nullptr, &assigned}) {
    EXPECT_FALSE(*f);
    EXPECT_TRUE(*f == nullptr);
    EXPECT_TRUE(nullptr == *f);
    EXPECT_FALSE(*f != nullptr);
    EXPECT_FALSE(nullptr != *f);
  }
}

TEST(FunctionTest, WithTargetIsNotNull) {
  fit::closure f = [] {};
  EXPECT_TRUE(f);
  EXPECT_FALSE(f == nullptr);
  EXPECT_FALSE(nullptr == f);
  EXPECT_TRUE(f != nullptr);
  EXPECT_TRUE(nullptr != f);
}

TEST(FunctionTest, FunctionPointerIsCalledAndNullOneGivesEmpty) {
  fit::function<int(int)> f = &AddOne;
  ASSERT_TRUE(f);
  EXPECT_EQ(f(1), 2);

  int (*null_pointer)(int) = nullptr;
  fit::function<int(int)> g = null_pointer;
  EXPECT_FALSE(g);
  f = null_pointer;
  EXPECT_FALSE(f);
}

TEST(FunctionTest, EmptyWrapperOfAnotherKindGivesEmpty) {
  fit::function<int(int), 64> empty_bigger;
  fit::function<int(int)> f = std::move(empty_bigger);
  EXPECT_FALSE(f);

  fit::function<int(int), 64> bigger = &AddOne;
  fit::function<int(int)> g = std::move(bigger);
  ASSERT_TRUE(g);
  EXPECT_EQ(g(1), 2);
}

TEST(FunctionTest, HoldsMoveOnlyLambda) {
  auto value = std::make_unique<int>(41);
  fit::function<int()> f = [value = std::move(value)] { return *value + 1; };
  EXPECT_EQ(f(), 42);

  // As the era's tests do: a closure captured by move into another closure.
  bool ran = false;
  fit::closure inner = [&ran] { ran = true; };
  fit::closure outer = [inner = std::move(inner)] { inner(); };
  EXPECT_FALSE(inner);  // NOLINT(bugprone-use-after-move): moved-from functions are empty.
  outer();
  EXPECT_TRUE(ran);
}

TEST(FunctionTest, MutableTargetKeepsStateAcrossCallsThroughConst) {
  const fit::function<int()> counter = [n = 0]() mutable { return ++n; };
  EXPECT_EQ(counter(), 1);
  EXPECT_EQ(counter(), 2);
}

TEST(FunctionTest, ArgumentsAndResultsAreForwarded) {
  fit::function<std::string(std::unique_ptr<std::string>, std::string&)> f =
      [](std::unique_ptr<std::string> owned, std::string& out) {
        out = "written";
        return *owned + "!";
      };
  std::string out;
  EXPECT_EQ(f(std::make_unique<std::string>("moved"), out), "moved!");
  EXPECT_EQ(out, "written");

  // A void function discards its target's result.
  fit::function<void(int)> discard = &AddOne;
  discard(1);
}

TEST(FunctionTest, PointerToMemberIsCalledAsStdInvokeCallsIt) {
  struct Point {
    int Sum() const { return x + y; }
    int x = 1;
    int y = 2;
  };
  fit::function<int(const Point&)> sum = &Point::Sum;
  fit::function<int(const Point&)> x = &Point::x;
  Point point;
  EXPECT_EQ(sum(point), 3);
  EXPECT_EQ(x(point), 1);
}

TEST(FunctionTest, LambdaCapturingThreePointersIsStoredWithoutAllocation) {
  int a = 1;
  int b = 2;
  int c = 3;
  auto sum = [&a, &b, &c] { return a + b + c; };
  static_assert(sizeof(sum) == 3 * sizeof(void*));
  HeapActivity heap;
  {
    fit::function<int()> f = sum;
    EXPECT_EQ(f(), 6);
    fit::function<int()> moved = std::move(f);
    EXPECT_EQ(moved(), 6);
    fit::closure closure = [pa = &a, pb = &b, pc = &c] { *pa = *pb + *pc; };
    closure();
  }
  EXPECT_EQ(heap.allocations(), 0u);
  EXPECT_EQ(a, 5);
}

TEST(FunctionTest, BoundMemberIsStoredWithoutAllocation) {
  struct Adder {
    int Add(int x) { return x + base; }
    int Get() const { return base; }
    int base = 10;
  };
  Adder adder;
  HeapActivity heap;
  {
    fit::function<int(int)> add = fit::bind_member(&adder, &Adder::Add);
    fit::function<int()> get = fit::bind_member(&adder, &Adder::Get);
    fit::function<int(int)> add_later_spelling = fit::bind_member<&Adder::Add>(&adder);
    EXPECT_EQ(add(1), 11);
    EXPECT_EQ(get(), 10);
    EXPECT_EQ(add_later_spelling(2), 12);
  }
  EXPECT_EQ(heap.allocations(), 0u);
}

TEST(FunctionTest, BigCallableIsAllocatedOnceAndFreedWithTheFunction) {
  Lifetimes lifetimes;
  HeapActivity heap;
  {
    fit::function<int(int)> f = BigTracked(&lifetimes);
    EXPECT_EQ(heap.allocations(), 1u);
    EXPECT_EQ(f(1), 2);
    EXPECT_EQ(heap.frees(), 0u);
  }
  EXPECT_EQ(heap.allocations(), 1u);
  EXPECT_EQ(heap.frees(), 1u);
  // Every copy (the argument and the one on the heap) has been destroyed.
  EXPECT_EQ(lifetimes.destructions, lifetimes.moves + 1);
}

TEST(FunctionTest, LargerInlineSizeKeepsBigCallableInline) {
  Lifetimes lifetimes;
  HeapActivity heap;
  {
    fit::function<int(int), sizeof(BigTracked)> f = BigTracked(&lifetimes);
    fit::inline_function<int(int), sizeof(BigTracked)> g = BigTracked(&lifetimes);
    EXPECT_EQ(f(1) + g(1), 4);
  }
  EXPECT_EQ(heap.allocations(), 0u);
}

TEST(FunctionTest, MovingInlineFunctionMovesTargetAndEmptiesSource) {
  Lifetimes lifetimes;
  {
    fit::function<int(int)> source = SmallTracked(&lifetimes);
    const int moves_before = lifetimes.moves;
    const int destructions_before = lifetimes.destructions;

    fit::function<int(int)> destination = std::move(source);
    EXPECT_EQ(lifetimes.moves, moves_before + 1);
    EXPECT_EQ(lifetimes.destructions, destructions_before + 1);  // the moved-from target
    EXPECT_FALSE(source);  // NOLINT(bugprone-use-after-move): moved-from functions are empty.
    EXPECT_EQ(destination(1), 2);

    fit::function<int(int)> assigned;
    assigned = std::move(destination);
    EXPECT_FALSE(destination);  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(assigned(1), 2);
  }
  EXPECT_EQ(lifetimes.destructions, lifetimes.moves + 1);
  EXPECT_EQ(lifetimes.calls, 2);
}

TEST(FunctionTest, MovingHeapFunctionMovesOnlyThePointer) {
  Lifetimes lifetimes;
  fit::function<int(int)> source = BigTracked(&lifetimes);
  const int moves_before = lifetimes.moves;
  HeapActivity heap;

  fit::function<int(int)> destination = std::move(source);
  EXPECT_EQ(lifetimes.moves, moves_before);
  EXPECT_EQ(heap.allocations(), 0u);
  EXPECT_FALSE(source);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(destination(1), 2);
}

TEST(FunctionTest, AssigningReplacesAndDestroysOldTarget) {
  Lifetimes first;
  Lifetimes second;
  fit::function<int(int)> f = SmallTracked(&first);
  f = SmallTracked(&second);
  EXPECT_EQ(first.destructions, first.moves + 1);  // every copy of the first target is gone
  EXPECT_EQ(f(1), 2);
  EXPECT_EQ(second.calls, 1);

  f = nullptr;
  EXPECT_EQ(second.destructions, second.moves + 1);
}

TEST(FunctionTest, SelfMoveAssignmentKeepsTarget) {
  fit::function<int(int)> f = &AddOne;
  fit::function<int(int)>& alias = f;
  f = std::move(alias);
  ASSERT_TRUE(f);
  EXPECT_EQ(f(1), 2);
}

TEST(FunctionTest, SwapExchangesInlineHeapAndEmptyTargets) {
  Lifetimes lifetimes;
  fit::function<int(int)> small = [](int x) { return x * 10; };
  fit::function<int(int)> big = BigTracked(&lifetimes);
  fit::function<int(int)> empty;

  small.swap(big);
  EXPECT_EQ(small(1), 2);
  EXPECT_EQ(big(1), 10);
  swap(big, empty);
  EXPECT_FALSE(big);
  EXPECT_EQ(empty(2), 20);
}

// Callables that do not fit inline for a reason other than size.
struct ThrowingMove {
  ThrowingMove() = default;
  ThrowingMove(ThrowingMove&&) noexcept(false) {}
  void operator()() const {}
};
struct alignas(2 * alignof(std::max_align_t)) OverAligned {
  void operator()() const {}
};

TEST(FunctionTest, ThrowingMoveOrOverAlignmentGoesToTheHeap) {
  HeapActivity heap;
  {
    fit::closure throwing_move = ThrowingMove();
    throwing_move();
    EXPECT_EQ(heap.allocations(), 1u);
    fit::closure over_aligned = OverAligned();
    over_aligned();
    EXPECT_EQ(heap.allocations(), 2u);
  }
  EXPECT_EQ(heap.frees(), 2u);
}

TEST(FunctionTest, CallingEmptyFunctionAborts) {
  fit::closure empty;
  EXPECT_DEATH(empty(), "fit::function or fit::callback called without a target");

  fit::closure moved_from = [] {};
  fit::closure destination = std::move(moved_from);
  EXPECT_DEATH(moved_from(), "without a target");  // NOLINT(bugprone-use-after-move)
}

TEST(CallbackTest, RunsOnceThenIsEmptyAndTargetIsDestroyed) {
  Lifetimes lifetimes;
  fit::callback<int(int)> callback = SmallTracked(&lifetimes);
  ASSERT_TRUE(callback);

  EXPECT_EQ(callback(1), 2);
  EXPECT_FALSE(callback);
  EXPECT_TRUE(callback == nullptr);
  EXPECT_EQ(lifetimes.calls, 1);
  EXPECT_EQ(lifetimes.destructions, lifetimes.moves + 1);
  EXPECT_DEATH(callback(1), "without a target");
}

TEST(CallbackTest, TargetMayReplaceItsOwnCallback) {
  fit::callback<void()> callback;
  int runs = 0;
  callback = [&callback, &runs] {
    runs++;
    callback = [&runs] { runs += 10; };
  };
  callback();
  ASSERT_TRUE(callback);
  callback();
  EXPECT_EQ(runs, 11);
  EXPECT_FALSE(callback);
}

TEST(CallbackTest, HoldsMoveOnlyLambdaAndFunction) {
  auto value = std::make_unique<int>(7);
  fit::callback<int()> from_lambda = [value = std::move(value)] { return *value; };
  EXPECT_EQ(from_lambda(), 7);

  fit::function<int(int)> function = &AddOne;
  fit::callback<int(int)> from_function = std::move(function);
  EXPECT_EQ(from_function(1), 2);
}

}  // namespace
