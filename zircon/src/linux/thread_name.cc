// thrd_create_with_name(): glibc's C11 thrd_create() plus a thread name the kernel knows.
//
// The new thread names itself before it runs the caller's entry point, through a small start
// record. Naming it from the creating thread instead would race with the thread's exit: once a
// thread has exited (and possibly been detached), its pthread_t must no longer be used.

#include <cstring>
#include <new>

#include <pthread.h>
#include <threads.h>

namespace {

// What the new thread needs; allocated by the creator, freed by the new thread.
struct NamedStart {
  thrd_start_t entry;
  void* arg;
  char name[16];  // Linux: the kernel keeps 15 bytes of a thread name plus the NUL.
};

int RunNamedThread(void* raw_start) {
  auto* start = static_cast<NamedStart*>(raw_start);
  const thrd_start_t entry = start->entry;
  void* const arg = start->arg;
  // Best effort: naming oneself fails only for a name that is too long, which the copy prevents.
  static_cast<void>(pthread_setname_np(pthread_self(), start->name));
  delete start;
  return entry(arg);
}

}  // namespace

extern "C" int thrd_create_with_name(thrd_t* thread, thrd_start_t entry, void* arg,
                                     const char* name) noexcept {
  if (name == nullptr) {
    return thrd_create(thread, entry, arg);
  }
  auto* start = new (std::nothrow) NamedStart{entry, arg, {}};
  if (start == nullptr) {
    return thrd_nomem;
  }
  strncpy(start->name, name, sizeof(start->name) - 1);  // name[15] stays NUL
  const int result = thrd_create(thread, RunNamedThread, start);
  if (result != thrd_success) {
    delete start;
  }
  return result;
}
