// What a run of a sequence shows: one line per operation that returned and per handler call, in
// the order they happened. The model and the real dispatchers write their traces with these same
// functions, so two runs agree exactly when their traces are equal.
#ifndef ASYNC_LOOP_TEST_MODEL_TRACE_H_
#define ASYNC_LOOP_TEST_MODEL_TRACE_H_

#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "async-loop/test/model/sequence.h"

namespace loop_model {

using Trace = std::vector<std::string>;

// An operation that returned `status`.
std::string StatusLine(Flavor flavor, const Op& op, zx_status_t status);

// An operation that returns nothing (quit, advancing the clock, shutdown).
std::string DoneLine(Flavor flavor, const Op& op);

// An async::TestLoop run that returned whether it ran a handler.
std::string RanLine(Flavor flavor, const Op& op, bool ran);

// A post or begin that the sequence skipped because the operation was still pending: async::Loop
// answers ZX_ERR_ALREADY_EXISTS, but async::TestLoop's contract leaves it undefined.
std::string SkippedLine(Flavor flavor, const Op& op);

// A task handler call; `now` is the dispatcher's time relative to the start, shown for
// async::TestLoop only (async::Loop's clock is real).
std::string TaskLine(Flavor flavor, int task, zx_status_t status, int64_t now);

// A wait handler call; `signal` is null for ZX_ERR_CANCELED.
std::string WaitLine(int wait, zx_status_t status, const zx_packet_signal_t* signal);

// A receiver handler call for the packet numbered `number` (the packet's first word).
std::string PacketLine(int receiver, zx_status_t status, bool has_data, uint64_t number);

// The index of the first line where `expected` and `actual` differ, or -1 if they are equal.
ptrdiff_t FirstDifference(const Trace& expected, const Trace& actual);

// Both traces side by side around their first difference.
std::string DescribeDifference(const Trace& expected, const Trace& actual);

}  // namespace loop_model

#endif  // ASYNC_LOOP_TEST_MODEL_TRACE_H_
