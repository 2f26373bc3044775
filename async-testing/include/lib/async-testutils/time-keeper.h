// <lib/async-testutils/time-keeper.h>: the 2018 path of <lib/async-testing/time_keeper.h>.

#ifndef LIB_ASYNC_TESTUTILS_TIME_KEEPER_H_
#define LIB_ASYNC_TESTUTILS_TIME_KEEPER_H_

#include <lib/async-testing/time_keeper.h>
#include <lib/zx/time.h>

#endif  // LIB_ASYNC_TESTUTILS_TIME_KEEPER_H_
