// Helpers shared by the C++ wrapper tests.
//
// Lifetime rule the tests follow: wrapper objects, and whatever their handlers capture, are
// declared before the loop, so that the loop is destroyed first and its shutdown never calls a
// handler of an object that is already gone, even when an ASSERT ends a test early.

#ifndef ASYNC_TEST_CPP_TEST_HELPERS_H_
#define ASYNC_TEST_CPP_TEST_HELPERS_H_

#include <lib/zx/event.h>
#include <zircon/types.h>

#include <gtest/gtest.h>

namespace async_cpp_test {

// Sets `*destroyed` when the object that currently holds it is destroyed. Move-only: a moved-from
// flag is inert, so a closure that captures one reports when the closure itself is destroyed.
class DestructionFlag {
 public:
  explicit DestructionFlag(bool* destroyed) : destroyed_(destroyed) {}
  DestructionFlag(DestructionFlag&& other) noexcept : destroyed_(other.destroyed_) {
    other.destroyed_ = nullptr;
  }
  DestructionFlag& operator=(DestructionFlag&&) = delete;
  ~DestructionFlag() {
    if (destroyed_ != nullptr) {
      *destroyed_ = true;
    }
  }

 private:
  bool* destroyed_;
};

inline zx::event MakeEvent() {
  zx::event event;
  EXPECT_EQ(zx::event::create(0u, &event), ZX_OK);
  return event;
}

}  // namespace async_cpp_test

#endif  // ASYNC_TEST_CPP_TEST_HELPERS_H_
