// <fbl/function.h>: the fbl names for lib/fit's function wrappers, and the era's include chain.
// This file deliberately includes nothing from portloop but <fbl/function.h>.

#include <memory>
#include <type_traits>
#include <utility>

#include <fbl/function.h>
#include <gtest/gtest.h>

// The era's code uses the assert macros having included only <fbl/function.h>.
#if !defined(ZX_ASSERT) || !defined(ZX_DEBUG_ASSERT) || !defined(ZX_DEBUG_ASSERT_MSG)
#error "<fbl/function.h> must include <zircon/assert.h>"
#endif

namespace {

static_assert(std::is_same_v<fbl::Closure, fit::closure>);
static_assert(std::is_same_v<fbl::Function<int(int)>, fit::function<int(int)>>);
static_assert(std::is_same_v<fbl::SizedFunction<void(), 64>, fit::function<void(), 64>>);
static_assert(std::is_same_v<fbl::InlineFunction<void(), 8>, fit::inline_function<void(), 8>>);
static_assert(!std::is_copy_constructible_v<fbl::Closure>);

TEST(FunctionTest, ClosureHoldsMoveOnlyLambda) {
  auto value = std::make_unique<int>(0);
  int* observed = value.get();
  fbl::Closure closure = [value = std::move(value)] { (*value)++; };
  ASSERT_TRUE(closure);
  ZX_DEBUG_ASSERT(closure != nullptr);

  // The era's tests move a closure into another closure's captures.
  fbl::Closure outer = [closure = std::move(closure)] { closure(); };
  EXPECT_TRUE(closure == nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty.
  outer();
  EXPECT_EQ(*observed, 1);
}

TEST(FunctionTest, NullptrGivesEmptyFunction) {
  fbl::Function<int(int)> f(nullptr);
  EXPECT_FALSE(f);
  f = [](int x) { return x * 2; };
  EXPECT_EQ(f(21), 42);
  f = nullptr;
  EXPECT_TRUE(nullptr == f);
}

TEST(FunctionTest, BindMemberCallsTheMethod) {
  struct Counter {
    void Add(int n) { total += n; }
    int total = 0;
  };
  Counter counter;
  fbl::Function<void(int)> add = fbl::BindMember(&counter, &Counter::Add);
  add(2);
  add(3);
  EXPECT_EQ(counter.total, 5);
}

TEST(FunctionTest, InlineFunctionHoldsSmallTarget) {
  int calls = 0;
  fbl::InlineFunction<void(), sizeof(int*)> f = [&calls] { calls++; };
  f();
  EXPECT_EQ(calls, 1);
}

}  // namespace
