// <lib/async-testutils/dispatcher_stub.h>: the 2018 path of <lib/async-testing/dispatcher_stub.h>.
//
// Brings in what the 2018 header did: <lib/async/dispatcher.h>, <lib/zx/guest.h> and
// <lib/zx/time.h>.

#ifndef LIB_ASYNC_TESTUTILS_DISPATCHER_STUB_H_
#define LIB_ASYNC_TESTUTILS_DISPATCHER_STUB_H_

#include <lib/async-testing/dispatcher_stub.h>
#include <lib/async/dispatcher.h>
#include <lib/zx/guest.h>
#include <lib/zx/time.h>

#endif  // LIB_ASYNC_TESTUTILS_DISPATCHER_STUB_H_
