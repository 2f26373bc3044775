// What the fuzzer knows during one input: the handles and fds the input made, and how the
// bytes of the input choose call arguments.
#ifndef ZIRCON_FUZZ_FUZZ_STATE_H_
#define ZIRCON_FUZZ_FUZZ_STATE_H_

#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zircon/fuzz/byte_reader.h"

namespace zircon::fuzz {

// One Linux fd the input opened.
struct FdEntry {
  int fd;
  // Wrapped with ZX_LINUX_FD_BORROW at least once: it must stay open until the input's handles
  // are closed, so it is closed only by Cleanup().
  bool borrowed;
};

// The handles and fds of the input being run, and the choosers that turn input bytes into
// arguments. Created once; Cleanup() returns everything after each input. Thread-compatible:
// only the fuzzing thread uses it.
//
// The handle model: `live_` holds every handle value the input owns (from create calls,
// duplicates, replacements and channel reads); `closed_` holds values the input has closed or
// given away. Values in `closed_` stay invalid for the rest of the input (the handle table reuses
// a value only after hundreds of thousands of closes). Forged values are raw 32-bit numbers,
// made invalid if they happen to name a handle the input does not own (such as
// zx_process_self()), so that the input can never close or give away what it does not own.
class FuzzState {
 public:
  // Creation ops are skipped beyond this many live handles, and fd ops beyond kMaxFds fds.
  static constexpr size_t kMaxLive = 96;
  static constexpr size_t kMaxFds = 24;
  // Closed values remembered for reuse as stale arguments.
  static constexpr size_t kMaxClosed = 32;

  // Port calls the burst operations may make per input: enough to fill a port to its limit and
  // drain it again, not so many that a few burst operations dominate the fuzzer's time.
  static constexpr uint32_t kBurstBudget = 4400;

  bool CanCreate() const { return live_.size() < kMaxLive; }
  bool CanOpenFd() const { return fds_.size() < kMaxFds; }

  // Takes up to `wanted` calls from the input's burst budget; returns how many were granted.
  uint32_t TakeBurstBudget(uint32_t wanted);

  // ---- Choosers: each consumes bytes of `in` ----

  // A live handle (most often), a closed one, ZX_HANDLE_INVALID, or a forged value.
  zx_handle_t PickHandle(ByteReader& in);
  // ZX_RIGHT_SAME_RIGHTS, none, a few bits, or any 32-bit value.
  static zx_rights_t PickRights(ByteReader& in);
  // Options: mostly 0, sometimes small, sometimes any 32-bit value.
  static uint32_t PickOptions(ByteReader& in);
  // A signal mask: user signals, the low object signals, or any 32-bit value.
  static zx_signals_t PickSignals(ByteReader& in);
  // A deadline that has already passed (waits never block).
  static zx_time_t PickPastDeadline(ByteReader& in);
  // A port key: mostly one of a few small values, so that cancels can match.
  static uint64_t PickKey(ByteReader& in);
  // Index into fds(), or -1 if there is none.
  int PickFdIndex(ByteReader& in);

  // ---- The handle model ----

  // Records a handle the input now owns (a new value, which must be valid).
  void AddLive(zx_handle_t handle, const char* call);
  // Records that `handle` was closed or given away, if the input owned it.
  void MarkGone(zx_handle_t handle);
  bool IsLive(zx_handle_t handle) const;
  // After a call that consumes `handle` whatever its status: checks that it is gone.
  void ExpectConsumed(zx_handle_t handle, const char* call);

  // ---- Fds ----

  std::vector<FdEntry>& fds() { return fds_; }
  void AddFd(int fd) { fds_.push_back({fd, false}); }
  // Forgets fds()[index] without closing it (an object adopted it).
  void ForgetFd(size_t index);
  // Closes fds()[index] unless it was borrowed; returns whether it did.
  bool CloseFd(size_t index);
  bool IsOwnFd(int fd) const;

  // Closes every live handle (each must close with ZX_OK), then every fd, and checks that no fd
  // leaked into the library across inputs.
  void Cleanup();

 private:
  std::vector<zx_handle_t> live_;
  std::vector<zx_handle_t> closed_;
  std::vector<FdEntry> fds_;
  uint32_t burst_budget_ = kBurstBudget;
  size_t baseline_fd_count_ = 0;
};

// Whether `handle` names a live handle of this process.
bool IsValidHandle(zx_handle_t handle);

// The basic info of `handle`, or false if it names no handle.
bool GetBasicInfo(zx_handle_t handle, zx_info_handle_basic_t* out);

}  // namespace zircon::fuzz

#endif  // ZIRCON_FUZZ_FUZZ_STATE_H_
