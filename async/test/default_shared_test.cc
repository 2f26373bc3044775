// One default-dispatcher slot per thread per process, although the process holds three copies of
// async-default: this program's, and one in each of the probe libraries A and B (see
// default_probe.h). This program has a copy, which therefore wins; default_shared_no_copy_test.cc
// covers a program without one.

#include <lib/async/default.h>

#include <thread>
#include <utility>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include "async/test/default_probe.h"

namespace {

// A shared library of this process, opened with dlopen() and closed on destruction.
class Library {
 public:
  // Opens the already-loaded library that contains `address`.
  static Library Containing(const void* address) {
    Dl_info info{};
    if (dladdr(address, &info) == 0) {
      return Library(nullptr);
    }
    return Library(dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD));
  }

  // Loads the library at `path` with `flags`.
  static Library Open(const char* path, int flags) { return Library(dlopen(path, flags)); }

  explicit Library(void* handle) : handle_(handle) {}
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  Library(Library&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  ~Library() {
    if (handle_ != nullptr) {
      dlclose(handle_);
    }
  }

  bool is_open() const { return handle_ != nullptr; }

  // The library's own definition of `name` (dlsym() on a handle searches that library first).
  template <typename Fn>
  Fn* Find(const char* name) const {
    return reinterpret_cast<Fn*>(dlsym(handle_, name));
  }

 private:
  void* handle_;
};

using GetFn = async_dispatcher_t*() noexcept;
using SetFn = void(async_dispatcher_t*) noexcept;

// Clears this thread's slot when a test ends, pass or fail.
class DefaultDispatcherSharedTest : public ::testing::Test {
 protected:
  void TearDown() override { async_set_default_dispatcher(nullptr); }

  async_dispatcher_t first_{};
  async_dispatcher_t second_{};
};

TEST_F(DefaultDispatcherSharedTest, EveryLibraryCarriesItsOwnCopy) {
  Library a = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeAGet));
  Library b = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeBGet));
  ASSERT_TRUE(a.is_open());
  ASSERT_TRUE(b.is_open());

  GetFn* a_get = a.Find<GetFn>("async_get_default_dispatcher");
  GetFn* b_get = b.Find<GetFn>("async_get_default_dispatcher");
  ASSERT_NE(a_get, nullptr);
  ASSERT_NE(b_get, nullptr);
  EXPECT_NE(a_get, b_get);
  EXPECT_NE(a_get, &async_get_default_dispatcher);
  EXPECT_NE(b_get, &async_get_default_dispatcher);
}

TEST_F(DefaultDispatcherSharedTest, SetInOneLibraryIsSeenInTheOtherAndTheProgram) {
  AsyncDefaultProbeASet(&first_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &first_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);

  async_set_default_dispatcher(&second_);
  EXPECT_EQ(AsyncDefaultProbeAGet(), &second_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &second_);

  AsyncDefaultProbeBSet(nullptr);
  EXPECT_EQ(AsyncDefaultProbeAGet(), nullptr);
  EXPECT_EQ(async_get_default_dispatcher(), nullptr);
}

// Each library's own functions, called directly rather than through the dynamic linker's
// binding, still use the one slot, because the slot itself is interposed too.
TEST_F(DefaultDispatcherSharedTest, EachCopyCalledDirectlyUsesTheSameSlot) {
  Library a = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeAGet));
  Library b = Library::Containing(reinterpret_cast<const void*>(&AsyncDefaultProbeBGet));
  SetFn* a_set = a.Find<SetFn>("async_set_default_dispatcher");
  GetFn* b_get = b.Find<GetFn>("async_get_default_dispatcher");
  ASSERT_NE(a_set, nullptr);
  ASSERT_NE(b_get, nullptr);

  a_set(&first_);
  EXPECT_EQ(b_get(), &first_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);

  async_set_default_dispatcher(&second_);
  EXPECT_EQ(b_get(), &second_);
}

TEST_F(DefaultDispatcherSharedTest, OtherThreadsSeeNullInEveryCopy) {
  AsyncDefaultProbeASet(&first_);

  async_dispatcher_t* seen_by_a = &first_;
  async_dispatcher_t* seen_by_b = &first_;
  async_dispatcher_t* seen_by_program = &first_;
  async_dispatcher_t* set_by_b_seen_by_a = nullptr;
  std::thread other([&] {
    seen_by_a = AsyncDefaultProbeAGet();
    seen_by_b = AsyncDefaultProbeBGet();
    seen_by_program = async_get_default_dispatcher();
    AsyncDefaultProbeBSet(&second_);
    set_by_b_seen_by_a = AsyncDefaultProbeAGet();
  });
  other.join();

  EXPECT_EQ(seen_by_a, nullptr);
  EXPECT_EQ(seen_by_b, nullptr);
  EXPECT_EQ(seen_by_program, nullptr);
  EXPECT_EQ(set_by_b_seen_by_a, &second_);
  EXPECT_EQ(AsyncDefaultProbeBGet(), &first_);
}

// The program exports its copy, so even a library opened with RTLD_LOCAL, whose own symbols stay
// invisible to the rest of the process, binds to it.
TEST_F(DefaultDispatcherSharedTest, LibraryOpenedWithRtldLocalUsesTheProgramsSlot) {
  Library probe = Library::Open(ASYNC_DEFAULT_PROBE_DLOPEN_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_TRUE(probe.is_open()) << dlerror();
  auto* set = probe.Find<AsyncDefaultProbeSetFn>(kAsyncDefaultProbeDlopenSet);
  auto* get = probe.Find<AsyncDefaultProbeGetFn>(kAsyncDefaultProbeDlopenGet);
  ASSERT_NE(set, nullptr);
  ASSERT_NE(get, nullptr);

  set(&first_);
  EXPECT_EQ(async_get_default_dispatcher(), &first_);
  EXPECT_EQ(AsyncDefaultProbeAGet(), &first_);

  async_set_default_dispatcher(&second_);
  EXPECT_EQ(get(), &second_);
}

}  // namespace
