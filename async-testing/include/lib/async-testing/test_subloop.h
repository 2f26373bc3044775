// <lib/async-testing/test_subloop.h>: the C interface through which async::TestLoop drives a
// loop it does not implement itself (see TestLoop::RegisterLoop()).
//
// Compiles as C11 and as C++.

#ifndef LIB_ASYNC_TESTING_TEST_SUBLOOP_H_
#define LIB_ASYNC_TESTING_TEST_SUBLOOP_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// A loop that a test loop runs step by step on its fake clock. An implementation places this
// struct first in its own struct (or derives from it in C++) and recovers its object from the
// pointer that each operation receives.
//
// The operations need be neither thread-safe nor reentrant: the test loop calls them from one
// thread, always with the subloop that provides them, and never after `finalize`.
typedef struct async_test_subloop async_test_subloop_t;

// The operations of a subloop.
typedef struct async_test_subloop_ops {
  // Tells the subloop that the fake time is now `time`. Called at least once, before any other
  // operation, and then only with increasing times.
  void (*advance_time_to)(async_test_subloop_t* subloop, zx_time_t time);

  // Runs at most one handler that is due at the current time. Returns non-zero if it ran one.
  // May change the calling thread's default dispatcher; the caller restores it afterwards.
  uint8_t (*dispatch_next_due_message)(async_test_subloop_t* subloop);

  // Returns what dispatch_next_due_message() would return now, without running anything.
  uint8_t (*has_pending_work)(async_test_subloop_t* subloop);

  // Returns the time at which the subloop will next have work if nothing else happens, or
  // ZX_TIME_INFINITE if it has none planned.
  zx_time_t (*get_next_task_due_time)(async_test_subloop_t* subloop);

  // Releases the subloop and everything it holds. The last call the subloop receives.
  void (*finalize)(async_test_subloop_t* subloop);
} async_test_subloop_ops_t;

// The public part of every subloop: its operations, which must outlive it.
struct async_test_subloop {
  const async_test_subloop_ops_t* ops;
};

__END_CDECLS

#endif  // LIB_ASYNC_TESTING_TEST_SUBLOOP_H_
