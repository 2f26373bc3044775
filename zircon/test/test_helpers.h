// Helpers shared by the Zircon core's tests: handle ownership, object creation and small queries,
// all built on the public C syscalls only.
#ifndef ZIRCON_TEST_TEST_HELPERS_H_
#define ZIRCON_TEST_TEST_HELPERS_H_

#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace zircon_test {

// Bound for waits that must complete. It only turns a hang into a failure and is never used to
// measure time: the waits it bounds normally finish in microseconds.
inline constexpr zx_duration_t kGenerousTimeout = ZX_SEC(60);

inline zx_time_t GenerousDeadline() { return zx_deadline_after(kGenerousTimeout); }

// Owns one handle value and closes it when destroyed.
//
// Thread-compatible. A test that closes or transfers the handle itself calls `release()` first,
// so that the destructor never closes a value that might since name something else.
class OwnedHandle {
 public:
  OwnedHandle() = default;
  explicit OwnedHandle(zx_handle_t value) : value_(value) {}
  OwnedHandle(OwnedHandle&& other) noexcept : value_(other.release()) {}
  OwnedHandle& operator=(OwnedHandle&& other) noexcept {
    reset(other.release());
    return *this;
  }
  OwnedHandle(const OwnedHandle&) = delete;
  OwnedHandle& operator=(const OwnedHandle&) = delete;
  ~OwnedHandle() { reset(); }

  zx_handle_t get() const { return value_; }
  bool is_valid() const { return value_ != ZX_HANDLE_INVALID; }

  // Gives up ownership and returns the value.
  zx_handle_t release() { return std::exchange(value_, ZX_HANDLE_INVALID); }

  // Closes the owned handle, if any, and takes ownership of `value`.
  void reset(zx_handle_t value = ZX_HANDLE_INVALID) {
    if (value_ != ZX_HANDLE_INVALID) {
      zx_handle_close(value_);
    }
    value_ = value;
  }

  // Closes the owned handle and returns the address for a syscall to store a new one in.
  zx_handle_t* reset_and_get_address() {
    reset();
    return &value_;
  }

 private:
  zx_handle_t value_ = ZX_HANDLE_INVALID;
};

inline OwnedHandle NewEvent() {
  OwnedHandle event;
  EXPECT_EQ(zx_event_create(0u, event.reset_and_get_address()), ZX_OK);
  return event;
}

inline void NewEventPair(OwnedHandle* out0, OwnedHandle* out1) {
  EXPECT_EQ(zx_eventpair_create(0u, out0->reset_and_get_address(), out1->reset_and_get_address()),
            ZX_OK);
}

inline void NewChannel(OwnedHandle* out0, OwnedHandle* out1) {
  EXPECT_EQ(zx_channel_create(0u, out0->reset_and_get_address(), out1->reset_and_get_address()),
            ZX_OK);
}

inline OwnedHandle NewPort() {
  OwnedHandle port;
  EXPECT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);
  return port;
}

inline OwnedHandle NewTimer(uint32_t options = ZX_TIMER_SLACK_CENTER) {
  OwnedHandle timer;
  EXPECT_EQ(zx_timer_create(options, ZX_CLOCK_MONOTONIC, timer.reset_and_get_address()), ZX_OK);
  return timer;
}

// Returns a second handle to the object of `handle` carrying exactly `rights`.
inline OwnedHandle Duplicate(zx_handle_t handle, zx_rights_t rights = ZX_RIGHT_SAME_RIGHTS) {
  OwnedHandle duplicate;
  EXPECT_EQ(zx_handle_duplicate(handle, rights, duplicate.reset_and_get_address()), ZX_OK);
  return duplicate;
}

// Replaces `handle` by one carrying exactly `rights`; works for objects without DUPLICATE.
inline OwnedHandle Replace(OwnedHandle handle, zx_rights_t rights) {
  OwnedHandle replacement;
  EXPECT_EQ(zx_handle_replace(handle.release(), rights, replacement.reset_and_get_address()),
            ZX_OK);
  return replacement;
}

// Returns `rights` with `removed` taken away.
constexpr zx_rights_t Without(zx_rights_t rights, zx_rights_t removed) { return rights & ~removed; }

inline zx_info_handle_basic_t BasicInfo(zx_handle_t handle) {
  zx_info_handle_basic_t info = {};
  EXPECT_EQ(zx_object_get_info(handle, ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr),
            ZX_OK);
  return info;
}

inline zx_rights_t RightsOf(zx_handle_t handle) { return BasicInfo(handle).rights; }
inline zx_koid_t KoidOf(zx_handle_t handle) { return BasicInfo(handle).koid; }

// True if `handle` names a live handle in this process.
inline bool IsValidHandle(zx_handle_t handle) {
  return zx_object_get_info(handle, ZX_INFO_HANDLE_VALID, nullptr, 0u, nullptr, nullptr) == ZX_OK;
}

// The whole signal state of the object behind `handle` (which needs ZX_RIGHT_WAIT).
inline zx_signals_t SignalsOf(zx_handle_t handle) {
  zx_signals_t observed = 0u;
  zx_status_t status = zx_object_wait_one(handle, ZX_SIGNAL_NONE, 0, &observed);
  EXPECT_TRUE(status == ZX_ERR_TIMED_OUT || status == ZX_OK) << "status " << status;
  return observed;
}

// Returns a value that was a live handle and has been closed.
inline zx_handle_t StaleHandle() {
  zx_handle_t event = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_event_create(0u, &event), ZX_OK);
  EXPECT_EQ(zx_handle_close(event), ZX_OK);
  return event;
}

// Values that name no handle: the invalid handle, a closed one, and forged ones.
inline std::vector<zx_handle_t> BadHandles() {
  return {ZX_HANDLE_INVALID, StaleHandle(), 0x7fffffffu, 1u, 0xfffffffeu};
}

inline zx_port_packet_t UserPacket(uint64_t key, uint64_t payload0 = 0u) {
  zx_port_packet_t packet = {};
  packet.key = key;
  packet.type = ZX_PKT_TYPE_USER;
  packet.user.u64[0] = payload0;
  return packet;
}

// Dequeues one packet that must already be queued.
inline zx_port_packet_t TakePacket(zx_handle_t port) {
  zx_port_packet_t packet = {};
  EXPECT_EQ(zx_port_wait(port, 0, &packet), ZX_OK);
  return packet;
}

// True if the port holds no packet right now. Dequeues one if it does.
inline bool PortIsEmpty(zx_handle_t port) {
  zx_port_packet_t packet = {};
  return zx_port_wait(port, 0, &packet) == ZX_ERR_TIMED_OUT;
}

// Multiplier for the stress tests' iteration counts, from PORTLOOP_STRESS_SCALE (default 1).
inline int StressScale() {
  const char* text = std::getenv("PORTLOOP_STRESS_SCALE");
  int scale = text == nullptr ? 1 : std::atoi(text);
  return scale > 0 ? scale : 1;
}

}  // namespace zircon_test

#endif  // ZIRCON_TEST_TEST_HELPERS_H_
