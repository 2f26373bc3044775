// Operations on ports and timers.
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/time.h>

#include <cstring>

#include "zircon/fuzz/allowed_status.h"
#include "zircon/fuzz/ops.h"

namespace zircon::fuzz {
namespace {

// A burst queues or takes at most this many packets: enough to reach a port's limit (2048 user
// packets, plus one, as Zircon counts).
constexpr uint32_t kMaxBurst = 2100;

// The byte zx_port_wait's packet is filled with before the call, to see whether it was written.
constexpr uint8_t kSentinelByte = 0xa5;

zx_port_packet_t SentinelPacket() {
  zx_port_packet_t packet;
  std::memset(&packet, kSentinelByte, sizeof(packet));
  return packet;
}

bool IsSentinelPacket(const zx_port_packet_t& packet) {
  const zx_port_packet_t sentinel = SentinelPacket();
  return std::memcmp(&packet, &sentinel, sizeof(packet)) == 0;
}

// A dequeued packet: a user packet, or a signal packet that reports one of its triggers. The
// fuzzer takes no faults and makes no guests, so no other type can be queued.
void CheckPacket(const zx_port_packet_t& packet) {
  if (packet.type == ZX_PKT_TYPE_USER) {
    // The fuzzer's user packets carry one byte of payload (see PickUserPacket).
    CheckContract(packet.user.u64[0] < 256 && packet.user.u64[1] == 0 && packet.user.u64[2] == 0 &&
                      packet.user.u64[3] == 0,
                  "zx_port_wait", "a user packet's payload differs from the one queued");
    return;
  }
  CheckContract(packet.type == ZX_PKT_TYPE_SIGNAL_ONE || packet.type == ZX_PKT_TYPE_SIGNAL_REP,
                "zx_port_wait", "a packet of a type nothing queued");
  CheckContract(packet.status == ZX_OK, "zx_port_wait", "a signal packet with an error status");
  CheckContract((packet.signal.observed & packet.signal.trigger) != 0, "zx_port_wait",
                "a signal packet that observed none of its trigger signals");
  // Zircon reports at least 1 (a channel's READABLE reports its queued messages).
  CheckContract(packet.signal.count >= 1, "zx_port_wait", "a signal packet with a count of 0");
}

zx_port_packet_t PickUserPacket(ByteReader& in) {
  zx_port_packet_t packet = {};
  packet.key = FuzzState::PickKey(in);
  packet.type = in.U8() < 0xe0 ? ZX_PKT_TYPE_USER : in.U32();  // forced to USER anyway
  packet.status = in.U8() < 0xe0 ? ZX_OK : static_cast<zx_status_t>(in.U32());
  packet.user.u64[0] = in.U8();
  return packet;
}

// A drain stops after this many signal packets in a row: a repeating wait on a ready fd makes a
// new one for every wait, so only user packets can run out.
constexpr uint32_t kMaxSignalPacketsPerDrain = 64;

// Takes one packet from `port` with a past deadline and checks it. Returns the status, and the
// packet in `*out` if it is not null.
zx_status_t WaitOnce(zx_handle_t port, zx_time_t deadline, bool null_packet,
                     zx_port_packet_t* out = nullptr) {
  zx_port_packet_t packet = SentinelPacket();
  const zx_status_t status = zx_port_wait(port, deadline, null_packet ? nullptr : &packet);
  CheckStatus("zx_port_wait", kPortWait, status);
  CheckContract(status != ZX_OK || !null_packet, "zx_port_wait", "ZX_OK with a null packet");
  if (status == ZX_OK && !null_packet) {
    CheckPacket(packet);
  } else if (!null_packet) {
    CheckContract(IsSentinelPacket(packet), "zx_port_wait", "wrote the packet on an error");
  }
  if (out != nullptr) {
    *out = packet;
  }
  return status;
}

zx_time_t PickTimerDeadline(ByteReader& in) {
  const zx_time_t now = zx_clock_get_monotonic();
  switch (in.U8() % 7) {
    case 0:
      return 0;
    case 1:
      return ZX_TIME_INFINITE_PAST;
    case 2:
      return now - in.U16();
    case 3:
      return now + in.U16();  // fires on the timer thread, within microseconds
    case 4:
      return now + in.U32();  // within seconds: usually canceled by the input's cleanup
    case 5:
      return ZX_TIME_INFINITE;
    default:
      return static_cast<zx_time_t>(in.U64());
  }
}

zx_duration_t PickSlack(ByteReader& in) {
  switch (in.U8() % 4) {
    case 0:
      return 0;
    case 1:
      return in.U16();
    case 2:
      return in.U32();
    default:
      return static_cast<zx_duration_t>(in.U64());
  }
}

}  // namespace

void OpPortQueue(FuzzState& state, ByteReader& in) {
  const zx_handle_t port = state.PickHandle(in);
  const bool null_packet = PickNull(in);
  const zx_port_packet_t packet = PickUserPacket(in);
  CheckStatus("zx_port_queue", kPortQueue, zx_port_queue(port, null_packet ? nullptr : &packet));
}

void OpPortQueueBurst(FuzzState& state, ByteReader& in) {
  const zx_handle_t port = state.PickHandle(in);
  const uint32_t count = state.TakeBurstBudget(in.U16() % kMaxBurst);
  const zx_port_packet_t packet = PickUserPacket(in);
  for (uint32_t i = 0; i < count; ++i) {
    const zx_status_t status = zx_port_queue(port, &packet);
    CheckStatus("zx_port_queue", kPortQueue, status);
    if (status != ZX_OK) {
      return;
    }
  }
}

void OpPortWait(FuzzState& state, ByteReader& in) {
  const zx_handle_t port = state.PickHandle(in);
  const zx_time_t deadline = FuzzState::PickPastDeadline(in);
  const bool null_packet = PickNull(in);
  WaitOnce(port, deadline, null_packet);
}

void OpPortDrain(FuzzState& state, ByteReader& in) {
  const zx_handle_t port = state.PickHandle(in);
  const uint32_t count = state.TakeBurstBudget(in.U16() % kMaxBurst);
  uint32_t signal_packets_in_a_row = 0;
  for (uint32_t i = 0; i < count && signal_packets_in_a_row < kMaxSignalPacketsPerDrain; ++i) {
    zx_port_packet_t packet;
    if (WaitOnce(port, 0, /*null_packet=*/false, &packet) != ZX_OK) {
      return;
    }
    signal_packets_in_a_row = packet.type == ZX_PKT_TYPE_USER ? 0 : signal_packets_in_a_row + 1;
  }
}

void OpPortCancel(FuzzState& state, ByteReader& in) {
  const zx_handle_t port = state.PickHandle(in);
  const zx_handle_t source = state.PickHandle(in);
  const uint64_t key = FuzzState::PickKey(in);
  CheckStatus("zx_port_cancel", kPortCancel, zx_port_cancel(port, source, key));
}

void OpTimerSet(FuzzState& state, ByteReader& in) {
  const zx_handle_t timer = state.PickHandle(in);
  const zx_time_t deadline = PickTimerDeadline(in);
  const zx_duration_t slack = PickSlack(in);
  const zx_time_t before = zx_clock_get_monotonic();
  const zx_status_t status = zx_timer_set(timer, deadline, slack);
  CheckStatus("zx_timer_set", kTimerSet, status);
  CheckContract(slack >= 0 || status == ZX_ERR_OUT_OF_RANGE, "zx_timer_set",
                "a negative slack is not ZX_ERR_OUT_OF_RANGE");
  if (status == ZX_OK && deadline <= before) {
    // A deadline that has passed asserts the signal before the call returns.
    const zx_status_t wait = zx_object_wait_one(timer, ZX_TIMER_SIGNALED, 0, nullptr);
    CheckContract(wait == ZX_OK || wait == ZX_ERR_ACCESS_DENIED, "zx_timer_set",
                  "a passed deadline did not signal the timer at once");
  }
}

void OpTimerCancel(FuzzState& state, ByteReader& in) {
  const zx_handle_t timer = state.PickHandle(in);
  const zx_status_t status = zx_timer_cancel(timer);
  CheckStatus("zx_timer_cancel", kTimerCancel, status);
  if (status == ZX_OK) {
    const zx_status_t wait = zx_object_wait_one(timer, ZX_TIMER_SIGNALED, 0, nullptr);
    CheckContract(wait == ZX_ERR_TIMED_OUT || wait == ZX_ERR_ACCESS_DENIED, "zx_timer_cancel",
                  "a canceled timer is still signaled, or fired later");
  }
}

}  // namespace zircon::fuzz
