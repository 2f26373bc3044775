// <lib/async-testutils/test_loop_dispatcher.h>: the 2018 path of
// <lib/async-testing/test_loop_dispatcher.h>.
//
// Brings in what the 2018 header did: the dispatcher stub and time keeper, <lib/async/*.h> for
// the dispatcher, tasks and waits, <lib/zx/port.h>, <lib/zx/time.h>, <zircon/listnode.h> and
// <fbl/macros.h>.
// Linux: the 2018 header also brought in <fbl/unique_ptr.h>, which is included here only when
// the fbl in use has it.

#ifndef LIB_ASYNC_TESTUTILS_TEST_LOOP_DISPATCHER_H_
#define LIB_ASYNC_TESTUTILS_TEST_LOOP_DISPATCHER_H_

#include <lib/async-testing/test_loop_dispatcher.h>
#include <lib/async-testutils/dispatcher_stub.h>
#include <lib/async-testutils/time-keeper.h>
#include <lib/async/dispatcher.h>
#include <lib/async/task.h>
#include <lib/async/wait.h>
#include <lib/zx/port.h>
#include <lib/zx/time.h>
#include <zircon/listnode.h>

#include <fbl/macros.h>

#if __has_include(<fbl/unique_ptr.h>)
#include <fbl/unique_ptr.h>
#endif

#endif  // LIB_ASYNC_TESTUTILS_TEST_LOOP_DISPATCHER_H_
