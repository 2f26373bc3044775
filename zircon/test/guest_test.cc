// Guests, vCPUs and guest traps on KVM: a real-mode guest image rings bells and touches traps.
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/hypervisor.h>
#include <zircon/syscalls/port.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include <gtest/gtest.h>

#include "zircon/test/guest_test_helpers.h"
#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr zx_gpaddr_t kPage = 4096;
constexpr uint64_t kKey = 0x6B6579;

OwnedHandle MakePort() {
  OwnedHandle port;
  EXPECT_EQ(zx_port_create(0, port.reset_and_get_address()), ZX_OK);
  return port;
}

// Runs the vCPU to its HLT.
void RunToHalt(zx_handle_t vcpu) {
  zx_port_packet_t packet;
  EXPECT_EQ(zx_vcpu_resume(vcpu, &packet), ZX_ERR_STOP);
}

TEST(GuestTest, CreateRefusesOptionsAndNullOutputs) {
  SKIP_WITHOUT_KVM();
  zx_handle_t guest = ZX_HANDLE_INVALID;
  zx_handle_t vmar = ZX_HANDLE_INVALID;
  EXPECT_EQ(zx_guest_create(ZX_HANDLE_INVALID, 1, &guest, &vmar), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_create(ZX_HANDLE_INVALID, 0, nullptr, &vmar), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_create(ZX_HANDLE_INVALID, 0, &guest, nullptr), ZX_ERR_INVALID_ARGS);
}

TEST(GuestTest, HandlesHaveTheirTypesAndDefaultRights) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage().Halt()));
  zx_info_handle_basic_t info;
  ASSERT_EQ(zx_object_get_info(guest.guest(), ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr,
                               nullptr),
            ZX_OK);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_GUEST);
  EXPECT_EQ(info.rights, ZX_DEFAULT_GUEST_RIGHTS);
  ASSERT_EQ(
      zx_object_get_info(guest.vcpu(), ZX_INFO_HANDLE_BASIC, &info, sizeof(info), nullptr, nullptr),
      ZX_OK);
  EXPECT_EQ(info.type, ZX_OBJ_TYPE_VCPU);
  EXPECT_EQ(info.rights, ZX_DEFAULT_VCPU_RIGHTS);
}

TEST(GuestTest, VcpuCallsCheckTheirHandles) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage().Halt()));
  OwnedHandle port = MakePort();
  zx_handle_t vcpu = ZX_HANDLE_INVALID;
  zx_port_packet_t packet;
  zx_vcpu_state_t state = {};
  // No other object type holds the rights these calls need, so rights fail first.
  EXPECT_EQ(zx_vcpu_create(port.get(), 0, kGuestEntry, &vcpu), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_vcpu_create(guest.vcpu(), 0, kGuestEntry, &vcpu), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_vcpu_create(guest.guest(), 1, kGuestEntry, &vcpu), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_vcpu_create(guest.guest(), 0, kGuestEntry + 1, &vcpu), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_vcpu_resume(port.get(), &packet), ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_vcpu_write_state(port.get(), ZX_VCPU_STATE, &state, sizeof(state)),
            ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_vcpu_resume(guest.vcpu(), nullptr), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_vcpu_read_state(guest.guest(), ZX_VCPU_STATE, &state, sizeof(state)),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_vcpu_read_state(guest.vcpu(), ZX_VCPU_STATE, &state, sizeof(state) - 1),
            ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_vcpu_read_state(guest.vcpu(), ZX_VCPU_IO, &state, sizeof(state)),
            ZX_ERR_INVALID_ARGS);
  zx_vcpu_io_t io = {};
  io.access_size = 1;
  EXPECT_EQ(zx_vcpu_write_state(guest.vcpu(), ZX_VCPU_IO, &io, sizeof(io)), ZX_ERR_BAD_STATE);
  void* memory = nullptr;
  size_t size = 0;
  EXPECT_EQ(zx_linux_guest_memory(port.get(), &memory, &size), ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_linux_guest_memory(guest.guest(), nullptr, &size), ZX_ERR_INVALID_ARGS);
}

TEST(GuestTest, HaltStopsResumeAndRegistersRoundTrip) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  // Stores the al it was given at 0x11000, then halts.
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreAl(0x1000).Halt()));
  zx_vcpu_state_t state = {};
  ASSERT_EQ(zx_vcpu_read_state(guest.vcpu(), ZX_VCPU_STATE, &state, sizeof(state)), ZX_OK);
  state.rax = 0x5A;
  state.r15 = 0x1234567890;
  ASSERT_EQ(zx_vcpu_write_state(guest.vcpu(), ZX_VCPU_STATE, &state, sizeof(state)), ZX_OK);
  RunToHalt(guest.vcpu());
  EXPECT_EQ(guest.memory()[0x11000], 0x5A);
  ASSERT_EQ(zx_vcpu_read_state(guest.vcpu(), ZX_VCPU_STATE, &state, sizeof(state)), ZX_OK);
  EXPECT_EQ(state.rbx, 0x1000u);
  EXPECT_EQ(state.r15, 0x1234567890u);
}

TEST(GuestTest, EachBellWriteQueuesOnePacketAndOtherWritesNone) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage()
                                           .LoadDataSegment(0x1000)
                                           .MovAl(7)
                                           .StoreAl(0x0000)  // bell at 0x10000
                                           .IncAl()
                                           .StoreAl(0x0FFF)  // bell at 0x10FFF
                                           .IncAl()
                                           .StoreAl(0x1000)  // memory at 0x11000: no bell
                                           .StoreAl(0x0010)  // bell at 0x10010
                                           .Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(
      zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, kPage, port.get(), kKey),
      ZX_OK);
  RunToHalt(guest.vcpu());
  EXPECT_EQ(guest.memory()[0x11000], 9);
  for (zx_gpaddr_t addr : {kGuestDataBase, kGuestDataBase + 0xFFF, kGuestDataBase + 0x10}) {
    zx_port_packet_t packet;
    ASSERT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_OK);
    EXPECT_EQ(packet.key, kKey);
    EXPECT_EQ(packet.type, ZX_PKT_TYPE_GUEST_BELL);
    EXPECT_EQ(packet.status, ZX_OK);
    EXPECT_EQ(packet.guest_bell.addr, addr);
    EXPECT_EQ(packet.guest_bell.reserved0, 0u);
  }
  zx_port_packet_t packet;
  EXPECT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_ERR_TIMED_OUT);
}

TEST(GuestTest, MemTrapStopsResumeWithAPacket) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreAl(0x2004).Halt()));
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_MEM, kGuestDataBase + 0x2000, kPage,
                              ZX_HANDLE_INVALID, kKey),
            ZX_OK);
  zx_port_packet_t packet;
  ASSERT_EQ(zx_vcpu_resume(guest.vcpu(), &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_GUEST_MEM);
  EXPECT_EQ(packet.guest_mem.addr, kGuestDataBase + 0x2004);
  RunToHalt(guest.vcpu());
}

TEST(GuestTest, IoTrapStopsResumeAndInputTakesTheWrittenValue) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage()
                                           .LoadDataSegment(0x1000)
                                           .MovAl(0x33)
                                           .OutAl(0x80)
                                           .InAl(0x81)
                                           .StoreAl(0x1000)
                                           .Halt()));
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_IO, 0x80, 2, ZX_HANDLE_INVALID, kKey),
            ZX_OK);
  zx_port_packet_t packet;
  ASSERT_EQ(zx_vcpu_resume(guest.vcpu(), &packet), ZX_OK);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_GUEST_IO);
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.guest_io.port, 0x80);
  EXPECT_EQ(packet.guest_io.access_size, 1);
  EXPECT_FALSE(packet.guest_io.input);
  EXPECT_EQ(packet.guest_io.u8, 0x33);
  ASSERT_EQ(zx_vcpu_resume(guest.vcpu(), &packet), ZX_OK);
  EXPECT_EQ(packet.guest_io.port, 0x81);
  EXPECT_TRUE(packet.guest_io.input);
  zx_vcpu_io_t io = {};
  io.access_size = 1;
  io.u8 = 0x77;
  ASSERT_EQ(zx_vcpu_write_state(guest.vcpu(), ZX_VCPU_IO, &io, sizeof(io)), ZX_OK);
  RunToHalt(guest.vcpu());
  EXPECT_EQ(guest.memory()[0x11000], 0x77);
}

TEST(GuestTest, SetTrapErrors) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage().Halt()));
  const zx_handle_t g = guest.guest();
  OwnedHandle port = MakePort();
  const zx_handle_t p = port.get();
  OwnedHandle channel;  // an object with ZX_RIGHT_WRITE that is neither a guest nor a port
  OwnedHandle peer;
  ASSERT_EQ(zx_channel_create(0, channel.reset_and_get_address(), peer.reset_and_get_address()),
            ZX_OK);

  // Handles.
  EXPECT_EQ(zx_guest_set_trap(ZX_HANDLE_INVALID, ZX_GUEST_TRAP_BELL, 0, kPage, p, 0),
            ZX_ERR_BAD_HANDLE);
  EXPECT_EQ(zx_guest_set_trap(channel.get(), ZX_GUEST_TRAP_BELL, 0, kPage, p, 0),
            ZX_ERR_WRONG_TYPE);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 0, kPage, channel.get(), 0),
            ZX_ERR_WRONG_TYPE);
  OwnedHandle read_only_guest;
  ASSERT_EQ(zx_handle_duplicate(g, ZX_RIGHT_INSPECT, read_only_guest.reset_and_get_address()),
            ZX_OK);
  EXPECT_EQ(zx_guest_set_trap(read_only_guest.get(), ZX_GUEST_TRAP_BELL, 0, kPage, p, 0),
            ZX_ERR_ACCESS_DENIED);
  OwnedHandle read_only_port;
  ASSERT_EQ(zx_handle_duplicate(p, ZX_RIGHT_READ, read_only_port.reset_and_get_address()), ZX_OK);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 0, kPage, read_only_port.get(), 0),
            ZX_ERR_ACCESS_DENIED);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 0, kPage, 0x7FFFFFF3, 0), ZX_ERR_BAD_HANDLE);

  // Kinds and ports.
  EXPECT_EQ(zx_guest_set_trap(g, 3, 0, kPage, ZX_HANDLE_INVALID, 0), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 0, kPage, ZX_HANDLE_INVALID, 0),
            ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_MEM, 0, kPage, p, 0), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_IO, 0, 1, p, 0), ZX_ERR_INVALID_ARGS);

  // Ranges.
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 0, 0, p, 0), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 1, kPage, p, 0), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, 0, kPage + 1, p, 0), ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_MEM, kPage, 1, ZX_HANDLE_INVALID, 0),
            ZX_ERR_INVALID_ARGS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, UINT64_MAX - kPage + 1, 2 * kPage, p, 0),
            ZX_ERR_OUT_OF_RANGE);

  // Overlaps: BELL and MEM share one space, IO has its own.
  const zx_gpaddr_t base = 0x100000;
  ASSERT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, base, 2 * kPage, p, 1), ZX_OK);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, base, kPage, p, 2), ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_MEM, base, kPage, ZX_HANDLE_INVALID, 2),
            ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, base + kPage, kPage, p, 2),
            ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, base - kPage, 2 * kPage, p, 2),
            ZX_ERR_ALREADY_EXISTS);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, base - kPage, kPage, p, 2), ZX_OK);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_MEM, base + 2 * kPage, kPage, ZX_HANDLE_INVALID, 2),
            ZX_OK);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_IO, base, kPage, ZX_HANDLE_INVALID, 2), ZX_OK);
  EXPECT_EQ(zx_guest_set_trap(g, ZX_GUEST_TRAP_IO, base + 1, 1, ZX_HANDLE_INVALID, 2),
            ZX_ERR_ALREADY_EXISTS);
  // Beyond guest memory is fine too.
  EXPECT_EQ(
      zx_guest_set_trap(g, ZX_GUEST_TRAP_BELL, ZX_LINUX_GUEST_MEMORY_SIZE + kPage, kPage, p, 3),
      ZX_OK);
}

TEST(GuestTest, ManyBellsArriveInOrderWhileTheDrainerIsSlow) {
  SKIP_WITHOUT_KVM();
  constexpr uint32_t kBells = 100000;
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(kBells).Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, 0x10000,
                              port.get(), kKey),
            ZX_OK);
  std::thread vcpu_thread([&] { RunToHalt(guest.vcpu()); });
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < kBells; ++i) {
    if (i < 1000 && i % 100 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let the pool run dry
    }
    zx_port_packet_t packet;
    ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK) << i;
    if (packet.key != kKey || packet.type != ZX_PKT_TYPE_GUEST_BELL ||
        packet.guest_bell.addr != kGuestDataBase + (i & 0xFFFF)) {
      ++wrong;
    }
  }
  vcpu_thread.join();
  EXPECT_EQ(wrong, 0u);
  zx_port_packet_t packet;
  EXPECT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_ERR_TIMED_OUT);
}

TEST(GuestTest, SettingTrapsWhileTheGuestRunsKeepsItRunning) {
  SKIP_WITHOUT_KVM();
  constexpr uint32_t kBells = 30000;
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(kBells).Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, 0x10000,
                              port.get(), kKey),
            ZX_OK);
  std::thread vcpu_thread([&] { RunToHalt(guest.vcpu()); });
  std::thread drainer([&] {
    for (uint32_t i = 0; i < kBells; ++i) {
      zx_port_packet_t packet;
      ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK);
      ASSERT_EQ(packet.guest_bell.addr, kGuestDataBase + (i & 0xFFFF));
    }
  });
  // Each new trap splits the memory slot holding the guest's code or its neighbours, which
  // vanish for a moment while the vCPU runs.
  for (zx_gpaddr_t addr = 0x3000; addr < 0x10000; addr += 2 * kPage) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_EQ(
        zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_MEM, addr, kPage, ZX_HANDLE_INVALID, addr),
        ZX_OK);
  }
  drainer.join();
  vcpu_thread.join();
}

TEST(GuestTest, AFullPoolBlocksTheVcpuUntilAPacketIsTaken) {
  SKIP_WITHOUT_KVM();
  constexpr uint32_t kBells = 300;  // more than a trap's 256 packets
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(kBells).Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, 0x10000,
                              port.get(), kKey),
            ZX_OK);
  std::atomic<bool> halted{false};
  std::thread vcpu_thread([&] {
    RunToHalt(guest.vcpu());
    halted.store(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(halted.load());  // 256 bells queued, the 257th waits
  for (uint32_t i = 0; i < kBells; ++i) {
    zx_port_packet_t packet;
    ASSERT_EQ(zx_port_wait(port.get(), GenerousDeadline(), &packet), ZX_OK);
    EXPECT_EQ(packet.guest_bell.addr, kGuestDataBase + i);
  }
  vcpu_thread.join();
  EXPECT_TRUE(halted.load());
}

TEST(GuestTest, ClosingTheGuestRemovesItsQueuedBells) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(10).Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(
      zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, kPage, port.get(), kKey),
      ZX_OK);
  RunToHalt(guest.vcpu());
  zx_port_packet_t packet;
  ASSERT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_OK);  // one taken, nine left
  guest.CloseGuest();                                      // the vCPU still holds the guest
  ASSERT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_OK);
  guest.CloseVcpu();
  EXPECT_EQ(zx_port_wait(port.get(), 0, &packet), ZX_ERR_TIMED_OUT);
}

TEST(GuestTest, BellsToAClosedPortAreDroppedAndTheGuestRuns) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(1000).Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, 0x10000,
                              port.get(), kKey),
            ZX_OK);
  port.reset();
  RunToHalt(guest.vcpu());
}

TEST(GuestTest, ClosingThePortWakesAVcpuBlockedOnAFullPool) {
  SKIP_WITHOUT_KVM();
  TestGuest guest;
  ASSERT_NO_FATAL_FAILURE(
      guest.Create(GuestImage().LoadDataSegment(0x1000).StoreLoop(1000).Halt()));
  OwnedHandle port = MakePort();
  ASSERT_EQ(zx_guest_set_trap(guest.guest(), ZX_GUEST_TRAP_BELL, kGuestDataBase, 0x10000,
                              port.get(), kKey),
            ZX_OK);
  std::thread vcpu_thread([&] { RunToHalt(guest.vcpu()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  port.reset();
  vcpu_thread.join();
}

}  // namespace
}  // namespace zircon_test
