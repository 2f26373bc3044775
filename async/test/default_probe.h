// The probe libraries built by this folder's CMakeLists.txt, and a handle to reach them with
// dlopen()/dlsym(). Each probe is a small shared library that links its own copy of the static
// async-default, as an independently built library of a program would, so that the tests can
// reach the default dispatcher through every copy in the process.
#ifndef ASYNC_TEST_DEFAULT_PROBE_H_
#define ASYNC_TEST_DEFAULT_PROBE_H_

#include <lib/async/dispatcher.h>

#include <utility>

#include <dlfcn.h>

extern "C" {

// Library async_default_probe_a: async_set_default_dispatcher() / async_get_default_dispatcher()
// called from inside the library.
void AsyncDefaultProbeASet(async_dispatcher_t* dispatcher) noexcept;
async_dispatcher_t* AsyncDefaultProbeAGet() noexcept;

// Library async_default_probe_b: the same, in a library linked with -Bsymbolic.
void AsyncDefaultProbeBSet(async_dispatcher_t* dispatcher) noexcept;
async_dispatcher_t* AsyncDefaultProbeBGet() noexcept;

}  // extern "C"

namespace async_test {

using SetDefaultFn = void(async_dispatcher_t* dispatcher) noexcept;
using GetDefaultFn = async_dispatcher_t*() noexcept;

// A shared library of this process, opened with dlopen() and closed on destruction.
class Library {
 public:
  // Loads the library at `path` with dlopen() `flags`.
  static Library Open(const char* path, int flags) { return Library(dlopen(path, flags)); }

  // Opens the already-loaded object that contains `address`.
  static Library Containing(const void* address) {
    Dl_info info{};
    if (dladdr(address, &info) == 0) {
      return Library(nullptr);
    }
    return Library(dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD));
  }

  explicit Library(void* handle) : handle_(handle) {}
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  Library(Library&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Library& operator=(Library&&) = delete;
  ~Library() {
    if (handle_ != nullptr) {
      dlclose(handle_);
    }
  }

  bool is_open() const { return handle_ != nullptr; }

  // The library's own definition of `name`, or nullptr: dlsym() on a handle searches that
  // library before its dependencies, and never the rest of the process.
  template <typename Fn>
  Fn* Find(const char* name) const {
    return reinterpret_cast<Fn*>(dlsym(handle_, name));
  }

 private:
  void* handle_;
};

// The file name of the loaded object (program or library) that contains `address`, or "" if
// none does.
inline const char* ObjectContaining(const void* address) {
  Dl_info info{};
  if (address == nullptr || dladdr(address, &info) == 0 || info.dli_fname == nullptr) {
    return "";
  }
  return info.dli_fname;
}

}  // namespace async_test

#endif  // ASYNC_TEST_DEFAULT_PROBE_H_
