// A coverage-guided fuzzer (libFuzzer) over the zx_* calls.
//
// Each input is decoded into a sequence of operations: one byte chooses the operation (the table
// below; README.md lists the numbers), and the operation reads its own arguments from the
// following bytes (handle values, rights, options, sizes, null or valid pointers). Handle
// arguments mix the handles the input made, handles it closed, and forged values. Every status
// is checked against the call's documented set (allowed_status.h) and the process aborts on
// anything else, as it does on a broken contract (an out parameter written on failure, a handle
// that should have been consumed and was not, ...). Waits use only deadlines that have passed,
// so no input can block. After each input every handle and fd it made is closed, so that
// LeakSanitizer sees a leak in the library as a leak.
#include <zircon/types.h>

#include <array>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/byte_reader.h"
#include "zircon/fuzz/fuzz_state.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {
namespace {

// Inputs are cut off after this many operations, to bound the time one input takes.
constexpr int kMaxOpsPerInput = 1024;

// Indexed by the operation byte modulo the table size. Append only: the seed corpus encodes
// these numbers.
constexpr std::array<Op, 37> kOps = {
    OpEventCreate,              // 0
    OpEventPairCreate,          // 1
    OpChannelCreate,            // 2
    OpPortCreate,               // 3
    OpTimerCreate,              // 4
    OpProcessSelfDuplicate,     // 5
    OpThreadCreate,             // 6
    OpHandleDuplicate,          // 7
    OpHandleReplace,            // 8
    OpHandleClose,              // 9
    OpHandleCloseMany,          // 10
    OpObjectSignal,             // 11
    OpObjectSignalPeer,         // 12
    OpObjectWaitOne,            // 13
    OpObjectWaitMany,           // 14
    OpObjectWaitAsync,          // 15
    OpPortQueue,                // 16
    OpPortQueueBurst,           // 17
    OpPortWait,                 // 18
    OpPortDrain,                // 19
    OpPortCancel,               // 20
    OpTimerSet,                 // 21
    OpTimerCancel,              // 22
    OpChannelWrite,             // 23
    OpChannelRead,              // 24
    OpFdCreate,                 // 25
    OpFdIo,                     // 26
    OpFdGet,                    // 27
    OpLinuxProcessCreate,       // 28
    OpObjectGetInfo,            // 29
    OpTaskKill,                 // 30
    OpTaskBindExceptionPort,    // 31
    OpTaskResumeFromException,  // 32
    OpClockAndMisc,             // 33
    OpHypervisorArguments,      // 34
    OpHandleDuplicate,          // 35: duplicates and closes are the commonest calls; weight them
    OpHandleClose,              // 36
};

FuzzState& State() {
  // Never destroyed: it outlives every input.
  static FuzzState* state = new FuzzState();
  return *state;
}

}  // namespace
}  // namespace zircon::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  (void)argc;
  (void)argv;
  // Writing to a pipe or socket whose reader is gone must fail with EPIPE, not kill the fuzzer.
  std::signal(SIGPIPE, SIG_IGN);
  const char* trace = std::getenv("ZX_FUZZ_TRACE");
  zircon::fuzz::SetTracing(trace != nullptr && trace[0] == '1');
  zircon::fuzz::StartChildProcesses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zircon::fuzz;
  FuzzState& state = State();
  ByteReader in(data, size);
  for (int i = 0; i < kMaxOpsPerInput && !in.empty(); ++i) {
    const size_t op = in.U8() % kOps.size();
    if (Tracing()) {
      std::fprintf(stderr, "op %zu\n", op);
    }
    kOps[op](state, in);
  }
  state.Cleanup();
  return 0;
}
