// <fbl/macros.h>: what each macro removes from a class.

#include <type_traits>

#include <fbl/macros.h>
#include <gtest/gtest.h>

namespace {

struct Pinned {
  Pinned() = default;
  DISALLOW_COPY_ASSIGN_AND_MOVE(Pinned);
};
static_assert(!std::is_copy_constructible_v<Pinned>);
static_assert(!std::is_move_constructible_v<Pinned>);
static_assert(!std::is_copy_assignable_v<Pinned>);
static_assert(!std::is_move_assignable_v<Pinned>);

struct MoveOnly {
  MoveOnly() = default;
  MoveOnly(MoveOnly&&) = default;
  MoveOnly& operator=(MoveOnly&&) = default;
  DISALLOW_COPY_AND_ASSIGN_ALLOW_MOVE(MoveOnly);
};
static_assert(!std::is_copy_constructible_v<MoveOnly>);
static_assert(!std::is_copy_assignable_v<MoveOnly>);
static_assert(std::is_move_constructible_v<MoveOnly>);
static_assert(std::is_move_assignable_v<MoveOnly>);

struct StackOnly {
  DISALLOW_NEW;
};
template <typename T>
constexpr bool kCanNew = requires {
  new T;
};
static_assert(!kCanNew<StackOnly>);
static_assert(kCanNew<MoveOnly>);

TEST(MacrosTest, DisallowedOperationsAreCheckedAtCompileTime) {
  StackOnly on_stack;
  (void)on_stack;
}

}  // namespace
