// Copyright 2026 The portloop Authors.
//
// Later Fuchsia's spellings of the loop configurations, for code written after 2018.
#ifndef LIB_ASYNC_LOOP_DEFAULT_H_
#define LIB_ASYNC_LOOP_DEFAULT_H_

#include <lib/async-loop/loop.h>

__BEGIN_CDECLS

// Attaches the loop to the creating thread: same value as kAsyncLoopConfigAttachToThread.
extern const async_loop_config_t kAsyncLoopConfigAttachToCurrentThread;

// Does not attach the loop to the creating thread (threads the loop starts still get it):
// same value as kAsyncLoopConfigNoAttachToThread.
extern const async_loop_config_t kAsyncLoopConfigNoAttachToCurrentThread;

__END_CDECLS

#endif  // LIB_ASYNC_LOOP_DEFAULT_H_
