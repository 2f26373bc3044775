// thrd_create_with_name(): a C11 thread with a name the kernel knows.
//
// The thread is created with pthread_create (glibc's thrd_t is its pthread_t), not thrd_create:
// glibc's thrd_create reaches pthread_create internally, past the interceptors that sanitizers
// rely on to know a thread exists. The new thread names itself before it runs the caller's entry
// point; naming it from the creating thread instead would race with the thread's exit.

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>

#include <pthread.h>
#include <threads.h>

namespace {

static_assert(std::is_same_v<thrd_t, pthread_t>, "glibc's thrd_t is its pthread_t");

// What the new thread needs; allocated by the creator, freed by the new thread.
struct NamedStart {
  thrd_start_t entry;
  void* arg;
  char name[16];  // Linux: the kernel keeps 15 bytes of a thread name plus the NUL.
};

void* RunNamedThread(void* raw_start) {
  auto* start = static_cast<NamedStart*>(raw_start);
  const thrd_start_t entry = start->entry;
  void* const arg = start->arg;
  if (start->name[0] != '\0') {
    // Best effort: naming oneself fails only for a name that is too long, which the copy prevents.
    static_cast<void>(pthread_setname_np(pthread_self(), start->name));
  }
  delete start;
  // thrd_join reads the int result back out of the pointer, as glibc's own threads do.
  return reinterpret_cast<void*>(static_cast<intptr_t>(entry(arg)));
}

}  // namespace

extern "C" int thrd_create_with_name(thrd_t* thread, thrd_start_t entry, void* arg,
                                     const char* name) noexcept {
  auto* start = new (std::nothrow) NamedStart{entry, arg, {}};
  if (start == nullptr) {
    return thrd_nomem;
  }
  if (name != nullptr) {
    strncpy(start->name, name, sizeof(start->name) - 1);  // name[15] stays NUL
  }
  const int error = pthread_create(thread, nullptr, RunNamedThread, start);
  if (error != 0) {
    delete start;
    return error == ENOMEM ? thrd_nomem : thrd_error;
  }
  return thrd_success;
}

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
// Linux, ThreadSanitizer builds only: glibc's thrd_join reaches pthread_join internally, past
// the interceptor through which ThreadSanitizer learns that a thread was joined, so joining a
// thread with thrd_join would be reported as a leak and every later access as a race. This
// definition, with glibc's exact semantics, takes its place in the program.
extern "C" int thrd_join(thrd_t thread, int* result) {
  void* value = nullptr;
  const int error = pthread_join(thread, &value);
  if (error != 0) {
    return thrd_error;
  }
  if (result != nullptr) {
    *result = static_cast<int>(reinterpret_cast<intptr_t>(value));
  }
  return thrd_success;
}
#endif
#endif
