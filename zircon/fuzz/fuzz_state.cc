#include "zircon/fuzz/fuzz_state.h"

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/time.h>

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "zircon/fuzz/allowed_status.h"

namespace zircon::fuzz {
namespace {

// Fds the library may open once and keep (the fd-probing epoll set, a waiting thread's eventfd):
// more than this many above the count after the first input is a leak.
constexpr size_t kFdLeakSlack = 16;

size_t CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return 0;
  }
  size_t count = 0;
  while (readdir(dir) != nullptr) {
    ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

bool IsValidHandle(zx_handle_t handle) {
  return zx_object_get_info(handle, ZX_INFO_HANDLE_VALID, nullptr, 0, nullptr, nullptr) == ZX_OK;
}

bool GetBasicInfo(zx_handle_t handle, zx_info_handle_basic_t* out) {
  return zx_object_get_info(handle, ZX_INFO_HANDLE_BASIC, out, sizeof(*out), nullptr, nullptr) ==
         ZX_OK;
}

zx_handle_t FuzzState::PickHandle(ByteReader& in) {
  const uint8_t choice = in.U8();
  if (choice < 0xc0) {
    return live_.empty() ? ZX_HANDLE_INVALID : live_[choice % live_.size()];
  }
  if (choice < 0xe0) {
    return closed_.empty() ? ZX_HANDLE_INVALID : closed_[choice % closed_.size()];
  }
  if (choice < 0xf0) {
    return ZX_HANDLE_INVALID;
  }
  zx_handle_t forged = in.U32();
  if (!IsLive(forged) && IsValidHandle(forged)) {
    forged &= ~3u;  // every handle value has its two low bits set: this one names nothing
  }
  return forged;
}

zx_rights_t FuzzState::PickRights(ByteReader& in) {
  switch (in.U8() % 5) {
    case 0:
      return ZX_RIGHT_SAME_RIGHTS;
    case 1:
      return ZX_RIGHT_NONE;
    case 2:
      return ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER;
    case 3:
      return in.U32() & 0xfffffu;  // only defined rights
    default:
      return in.U32();
  }
}

uint32_t FuzzState::PickOptions(ByteReader& in) {
  const uint8_t choice = in.U8();
  if (choice < 0xc0) {
    return 0;
  }
  return choice < 0xf0 ? (choice & 0x3u) : in.U32();
}

zx_signals_t FuzzState::PickSignals(ByteReader& in) {
  switch (in.U8() % 4) {
    case 0:
      return static_cast<zx_signals_t>(in.U8()) << 24;  // user signals
    case 1:
      return in.U8();  // the object signals 0-7
    case 2:
      return ZX_SIGNAL_NONE;
    default:
      return in.U32();
  }
}

zx_time_t FuzzState::PickPastDeadline(ByteReader& in) {
  switch (in.U8() % 4) {
    case 0:
      return 0;
    case 1:
      return ZX_TIME_INFINITE_PAST;
    case 2:
      return -static_cast<zx_time_t>(in.U32());
    default:
      return zx_clock_get_monotonic() - in.U16();
  }
}

uint64_t FuzzState::PickKey(ByteReader& in) {
  const uint8_t choice = in.U8();
  return choice < 0xf0 ? choice % 4u : in.U64();
}

int FuzzState::PickFdIndex(ByteReader& in) {
  const uint8_t choice = in.U8();
  return fds_.empty() ? -1 : static_cast<int>(choice % fds_.size());
}

uint32_t FuzzState::TakeBurstBudget(uint32_t wanted) {
  const uint32_t granted = std::min(wanted, burst_budget_);
  burst_budget_ -= granted;
  return granted;
}

void FuzzState::AddLive(zx_handle_t handle, const char* call) {
  CheckContract(handle != ZX_HANDLE_INVALID && IsValidHandle(handle), call,
                "a handle it returned is not valid");
  CheckContract(!IsLive(handle), call, "it returned a value that names another live handle");
  live_.push_back(handle);
  closed_.erase(std::remove(closed_.begin(), closed_.end(), handle), closed_.end());
}

void FuzzState::MarkGone(zx_handle_t handle) {
  auto it = std::find(live_.begin(), live_.end(), handle);
  if (it == live_.end()) {
    return;
  }
  live_.erase(it);
  if (closed_.size() == kMaxClosed) {
    closed_.erase(closed_.begin());
  }
  closed_.push_back(handle);
}

bool FuzzState::IsLive(zx_handle_t handle) const {
  return handle != ZX_HANDLE_INVALID &&
         std::find(live_.begin(), live_.end(), handle) != live_.end();
}

void FuzzState::ExpectConsumed(zx_handle_t handle, const char* call) {
  if (!IsLive(handle)) {
    return;
  }
  CheckContract(!IsValidHandle(handle), call, "a handle it must consume is still valid");
  MarkGone(handle);
}

void FuzzState::ForgetFd(size_t index) { fds_.erase(fds_.begin() + static_cast<ptrdiff_t>(index)); }

bool FuzzState::CloseFd(size_t index) {
  if (fds_[index].borrowed) {
    return false;
  }
  close(fds_[index].fd);
  ForgetFd(index);
  return true;
}

bool FuzzState::IsOwnFd(int fd) const {
  return std::any_of(fds_.begin(), fds_.end(),
                     [fd](const FdEntry& entry) { return entry.fd == fd; });
}

void FuzzState::Cleanup() {
  // Handles first: a borrowed fd must outlive every handle to it.
  for (zx_handle_t handle : live_) {
    // A value the input still owns must close: anything else means a handle vanished.
    CheckContract(zx_handle_close(handle) == ZX_OK, "zx_handle_close",
                  "a handle the input owns did not close");
    CheckContract(!IsValidHandle(handle), "zx_handle_close", "a closed handle is still valid");
  }
  live_.clear();
  closed_.clear();
  burst_budget_ = kBurstBudget;
  for (const FdEntry& entry : fds_) {
    close(entry.fd);
  }
  fds_.clear();
  const size_t open_fds = CountOpenFds();
  if (baseline_fd_count_ == 0) {
    baseline_fd_count_ = open_fds;
  }
  CheckContract(open_fds <= baseline_fd_count_ + kFdLeakSlack, "the zx calls",
                "Linux fds leak: more fds stay open after each input");
}

}  // namespace zircon::fuzz
