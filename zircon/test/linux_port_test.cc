// <zircon/linux/port.h>: the queue-length view and the idle spin.

#include <zircon/linux/port.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

uint32_t Load(const uint32_t* length) { return __atomic_load_n(length, __ATOMIC_RELAXED); }

zx_port_packet_t UserPacket(uint64_t key) {
  zx_port_packet_t packet = {};
  packet.key = key;
  packet.type = ZX_PKT_TYPE_USER;
  return packet;
}

TEST(LinuxPortTest, QueueLengthFollowsQueuedAndTakenPackets) {
  OwnedHandle port;
  ASSERT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);
  const uint32_t* length = nullptr;
  ASSERT_EQ(zx_linux_port_get_queue_length(port.get(), &length), ZX_OK);
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(Load(length), 0u);

  for (uint64_t key = 1; key <= 3; ++key) {
    zx_port_packet_t packet = UserPacket(key);
    ASSERT_EQ(zx_port_queue(port.get(), &packet), ZX_OK);
  }
  EXPECT_EQ(Load(length), 3u);

  // A signal packet counts too, and leaves when cancelled.
  OwnedHandle event;
  ASSERT_EQ(zx_event_create(0u, event.reset_and_get_address()), ZX_OK);
  ASSERT_EQ(zx_object_wait_async(event.get(), port.get(), 9u, ZX_USER_SIGNAL_0, ZX_WAIT_ASYNC_ONCE),
            ZX_OK);
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_USER_SIGNAL_0), ZX_OK);
  EXPECT_EQ(Load(length), 4u);
  ASSERT_EQ(zx_port_cancel(port.get(), event.get(), 9u), ZX_OK);
  EXPECT_EQ(Load(length), 3u);

  zx_port_packet_t out;
  ASSERT_EQ(zx_port_wait(port.get(), 0, &out), ZX_OK);
  EXPECT_EQ(out.key, 1u);
  EXPECT_EQ(Load(length), 2u);
  ASSERT_EQ(zx_port_wait(port.get(), 0, &out), ZX_OK);
  ASSERT_EQ(zx_port_wait(port.get(), 0, &out), ZX_OK);
  EXPECT_EQ(Load(length), 0u);
  EXPECT_EQ(zx_port_wait(port.get(), 0, &out), ZX_ERR_TIMED_OUT);
}

TEST(LinuxPortTest, QueueLengthChecksItsArguments) {
  const uint32_t* length = nullptr;
  EXPECT_EQ(zx_linux_port_get_queue_length(ZX_HANDLE_INVALID, &length), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_linux_port_get_queue_length(0x7ffffff3u, &length), ZX_ERR_BAD_HANDLE);

  // Rights are checked before the type, as in Zircon: a channel has READ and WRITE.
  OwnedHandle channel, peer;
  ASSERT_EQ(zx_channel_create(0u, channel.reset_and_get_address(), peer.reset_and_get_address()),
            ZX_OK);
  EXPECT_EQ(zx_linux_port_get_queue_length(channel.get(), &length), ZX_ERR_WRONG_TYPE);

  OwnedHandle port;
  ASSERT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);
  EXPECT_EQ(zx_linux_port_get_queue_length(port.get(), nullptr), ZX_ERR_INVALID_ARGS);

  OwnedHandle write_only;
  ASSERT_EQ(zx_handle_duplicate(port.get(), ZX_RIGHT_WRITE, write_only.reset_and_get_address()),
            ZX_OK);
  EXPECT_EQ(zx_linux_port_get_queue_length(write_only.get(), &length), ZX_ERR_ACCESS_DENIED);

  const zx_handle_t closed = port.get();
  port.reset();
  EXPECT_EQ(zx_linux_port_get_queue_length(closed, &length), ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(length, nullptr);
}

TEST(LinuxPortTest, IdleSpinChecksItsArguments) {
  OwnedHandle port;
  ASSERT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);
  EXPECT_EQ(zx_linux_port_set_idle_spin(port.get(), -1), ZX_ERR_OUT_OF_RANGE);
  EXPECT_EQ(zx_linux_port_set_idle_spin(port.get(), ZX_SEC(1) + 1), ZX_ERR_OUT_OF_RANGE);
  EXPECT_EQ(zx_linux_port_set_idle_spin(port.get(), ZX_SEC(1)), ZX_OK);
  EXPECT_EQ(zx_linux_port_set_idle_spin(port.get(), 0), ZX_OK);
  EXPECT_EQ(zx_linux_port_set_idle_spin(ZX_HANDLE_INVALID, 0), ZX_ERR_BAD_HANDLE);

  OwnedHandle channel, peer;
  ASSERT_EQ(zx_channel_create(0u, channel.reset_and_get_address(), peer.reset_and_get_address()),
            ZX_OK);
  EXPECT_EQ(zx_linux_port_set_idle_spin(channel.get(), 0), ZX_ERR_WRONG_TYPE);

  OwnedHandle read_only;
  ASSERT_EQ(zx_handle_duplicate(port.get(), ZX_RIGHT_READ, read_only.reset_and_get_address()),
            ZX_OK);
  EXPECT_EQ(zx_linux_port_set_idle_spin(read_only.get(), 0), ZX_ERR_ACCESS_DENIED);
}

TEST(LinuxPortTest, ASpinningWaitWithNothingQueuedTimesOut) {
  OwnedHandle port;
  ASSERT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);
  // The spin is far longer than the deadline. That the wait ends at the deadline rather than
  // after the spin is not asserted (no timing in unit tests); that it ends, timed out and
  // without a packet, is.
  ASSERT_EQ(zx_linux_port_set_idle_spin(port.get(), ZX_SEC(1)), ZX_OK);
  zx_port_packet_t out;
  const zx_time_t deadline = zx_deadline_after(ZX_MSEC(1));
  EXPECT_EQ(zx_port_wait(port.get(), deadline, &out), ZX_ERR_TIMED_OUT);
}

TEST(LinuxPortTest, ASpinningWaiterTakesPacketsQueuedFromAnotherThread) {
  OwnedHandle port;
  ASSERT_EQ(zx_port_create(0u, port.reset_and_get_address()), ZX_OK);
  ASSERT_EQ(zx_linux_port_set_idle_spin(port.get(), ZX_USEC(200)), ZX_OK);
  constexpr uint64_t kPackets = 2000;
  std::thread producer([&] {
    for (uint64_t key = 1; key <= kPackets; ++key) {
      zx_port_packet_t packet = UserPacket(key);
      // The waiter drains as fast as this fills; back off only if it ever falls behind.
      while (zx_port_queue(port.get(), &packet) == ZX_ERR_SHOULD_WAIT) {
        std::this_thread::yield();
      }
      if (key % 64 == 0) {
        std::this_thread::yield();  // let the waiter run out of packets and spin
      }
    }
  });
  for (uint64_t expected = 1; expected <= kPackets; ++expected) {
    zx_port_packet_t out;
    ASSERT_EQ(zx_port_wait(port.get(), ZX_TIME_INFINITE, &out), ZX_OK);
    EXPECT_EQ(out.key, expected);  // one producer: FIFO, none lost, none twice
  }
  producer.join();
  zx_port_packet_t out;
  EXPECT_EQ(zx_port_wait(port.get(), 0, &out), ZX_ERR_TIMED_OUT);
}

}  // namespace
}  // namespace zircon_test
