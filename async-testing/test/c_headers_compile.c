// The C header of async-testing compiles as C11.
#include <lib/async-testing/test_subloop.h>

static zx_time_t NoDueTime(async_test_subloop_t* subloop) {
  (void)subloop;
  return ZX_TIME_INFINITE;
}

// Referenced so that the compiler checks the field types.
const async_test_subloop_ops_t portloop_async_testing_c_ops = {
    .get_next_task_due_time = NoDueTime,
};
