// <lib/async-testing/time-keeper.h>: the spelling of <lib/async-testing/time_keeper.h> that
// Fuchsia's async-testing used before the file was renamed.

#ifndef LIB_ASYNC_TESTING_TIME_KEEPER_DASH_H_
#define LIB_ASYNC_TESTING_TIME_KEEPER_DASH_H_

#include <lib/async-testing/time_keeper.h>

#endif  // LIB_ASYNC_TESTING_TIME_KEEPER_DASH_H_
