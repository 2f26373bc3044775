// <lib/async-testutils/test_loop.h>: the 2018 path of <lib/async-testing/test_loop.h>.
//
// Brings in what the 2018 header did: <lib/async-testutils/test_loop_dispatcher.h> (and through
// it the rest of async-testutils) and <lib/async/dispatcher.h>.
// Linux: the 2018 header also brought in <fbl/unique_ptr.h> and <fbl/vector.h>, which are
// included here only when the fbl in use has them.

#ifndef LIB_ASYNC_TESTUTILS_TEST_LOOP_H_
#define LIB_ASYNC_TESTUTILS_TEST_LOOP_H_

#include <lib/async-testing/test_loop.h>
#include <lib/async-testutils/test_loop_dispatcher.h>
#include <lib/async/dispatcher.h>

#if __has_include(<fbl/unique_ptr.h>)
#include <fbl/unique_ptr.h>
#endif
#if __has_include(<fbl/vector.h>)
#include <fbl/vector.h>
#endif

#endif  // LIB_ASYNC_TESTUTILS_TEST_LOOP_H_
