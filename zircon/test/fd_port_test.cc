// Fd handles on ports (zx_object_wait_async): readiness packets, level-triggered semantics with
// cached readiness, cancellation, and several ports or objects on one fd.

#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "zircon/test/fd_test_helpers.h"
#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

constexpr uint64_t kKey = 0xfd00fd00u;

// A socket pair with a borrowed handle for `local`, and a port.
struct SocketFixture {
  SocketFixture() {
    NewSocketPair(&local, &peer);
    handle = NewFdHandle(local.get());
    port = NewPort();
  }
  OwnedFd local;
  OwnedFd peer;
  OwnedHandle handle;
  OwnedHandle port;
};

TEST(FdPortTest, WritableIsReportedAtOnce) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_WRITABLE);
  const zx_port_packet_t packet = TakePacket(f.port.get());
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
  EXPECT_EQ(packet.status, ZX_OK);
  EXPECT_EQ(packet.signal.trigger, ZX_LINUX_FD_WRITABLE);
  EXPECT_EQ(packet.signal.observed & ZX_LINUX_FD_WRITABLE, ZX_LINUX_FD_WRITABLE);
  EXPECT_EQ(packet.signal.count, 1u);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
}

TEST(FdPortTest, ReadableOnlyAfterThePeerWrites) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WriteBytes(f.peer.get(), 3);
  const zx_port_packet_t packet = AwaitPacket(f.port.get());
  EXPECT_EQ(packet.key, kKey);
  EXPECT_EQ(packet.signal.observed & ZX_LINUX_FD_READABLE, ZX_LINUX_FD_READABLE);
  EXPECT_EQ(DrainFd(f.local.get()), 3u);
}

TEST(FdPortTest, PeerClosedAfterThePeerCloses) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_PEER_CLOSED);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  f.peer.reset();
  const zx_port_packet_t packet = AwaitPacket(f.port.get());
  EXPECT_EQ(packet.signal.observed & ZX_LINUX_FD_PEER_CLOSED, ZX_LINUX_FD_PEER_CLOSED);
  // Sticky: a new wait completes at once.
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey + 1, ZX_LINUX_FD_PEER_CLOSED);
  EXPECT_EQ(TakePacket(f.port.get()).key, kKey + 1);
}

TEST(FdPortTest, WaitOnAlreadyReadableFdCompletesWithinADeadlineOfZero) {
  SocketFixture f;
  WriteBytes(f.peer.get());
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  zx_port_packet_t packet = {};
  ASSERT_EQ(zx_port_wait(f.port.get(), 0, &packet), ZX_OK);
  EXPECT_EQ(packet.key, kKey);
}

TEST(FdPortTest, AfterTheDataIsReadANewWaitWaitsForMoreData) {
  SocketFixture f;
  WriteBytes(f.peer.get());
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_EQ(TakePacket(f.port.get()).key, kKey);
  EXPECT_EQ(DrainFd(f.local.get()), 1u);

  WaitAsyncOn(f.handle.get(), f.port.get(), kKey + 1, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WriteBytes(f.peer.get());
  EXPECT_EQ(AwaitPacket(f.port.get()).key, kKey + 1);
}

TEST(FdPortTest, UnreadDataCompletesEveryNewWait) {
  SocketFixture f;
  WriteBytes(f.peer.get(), 2);
  for (uint64_t i = 0; i < 3; ++i) {
    WaitAsyncOn(f.handle.get(), f.port.get(), kKey + i, ZX_LINUX_FD_READABLE);
    zx_port_packet_t packet = {};
    ASSERT_EQ(zx_port_wait(f.port.get(), 0, &packet), ZX_OK);
    EXPECT_EQ(packet.key, kKey + i);
  }
}

TEST(FdPortTest, StaleCachedReadinessCompletesAtMostOneWait) {
  SocketFixture f;
  WriteBytes(f.peer.get());
  // A blocking wait refreshes the whole cache: READABLE is now cached, unconsumed.
  EXPECT_NE(SignalsOf(f.handle.get()) & ZX_LINUX_FD_READABLE, 0u);
  EXPECT_EQ(DrainFd(f.local.get()), 1u);  // now stale
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_EQ(TakePacket(f.port.get()).key, kKey);  // from the cache: the documented spurious one
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey + 1, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));  // this one asked Linux
}

TEST(FdPortTest, PipeEndOfFileShowsAsPeerClosed) {
  OwnedFd read_end, write_end;
  NewPipe(&read_end, &write_end);
  OwnedHandle handle = NewFdHandle(read_end.get());
  OwnedHandle port = NewPort();
  WaitAsyncOn(handle.get(), port.get(), kKey, ZX_LINUX_FD_READABLE);
  WriteBytes(write_end.get());
  EXPECT_EQ(AwaitPacket(port.get()).key, kKey);
  EXPECT_EQ(DrainFd(read_end.get()), 1u);

  WaitAsyncOn(handle.get(), port.get(), kKey + 1, ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED);
  EXPECT_TRUE(PortIsEmpty(port.get()));
  write_end.reset();
  const zx_port_packet_t packet = AwaitPacket(port.get());
  EXPECT_EQ(packet.key, kKey + 1);
  EXPECT_EQ(packet.signal.observed & ZX_LINUX_FD_PEER_CLOSED, ZX_LINUX_FD_PEER_CLOSED);
}

TEST(FdPortTest, WaitForReadabilityAloneOnAHungUpEmptyPipeNeverCompletes) {
  OwnedFd read_end, write_end;
  NewPipe(&read_end, &write_end);
  OwnedHandle handle = NewFdHandle(read_end.get());
  OwnedHandle port = NewPort();
  write_end.reset();
  WaitAsyncOn(handle.get(), port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(port.get()));  // Linux reported the hang-up, and only that
  EXPECT_TRUE(PortIsEmpty(port.get()));  // and is not asked again
  EXPECT_NE(SignalsOf(handle.get()) & ZX_LINUX_FD_PEER_CLOSED, 0u);
}

TEST(FdPortTest, UserSignalCompletesAWaitOnAnFd) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_USER_SIGNAL_1 | ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  ASSERT_EQ(zx_object_signal(f.handle.get(), 0u, ZX_USER_SIGNAL_1), ZX_OK);
  const zx_port_packet_t packet = TakePacket(f.port.get());
  EXPECT_EQ(packet.signal.observed & ZX_USER_SIGNAL_1, ZX_USER_SIGNAL_1);
}

TEST(FdPortTest, ClosingTheHandleCancelsAPendingWait) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));  // the port is now polling the fd
  f.handle.reset();
  WriteBytes(f.peer.get());
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  EXPECT_TRUE(IsOpenFd(f.local.get()));
}

TEST(FdPortTest, ClosingAnAdoptingHandleWithAPendingWaitClosesTheFd) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  const int fd = local.release();
  OwnedHandle handle = NewFdHandle(fd, ZX_LINUX_FD_ADOPT);
  OwnedHandle port = NewPort();
  WaitAsyncOn(handle.get(), port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(port.get()));
  handle.reset();
  EXPECT_FALSE(IsOpenFd(fd));
  EXPECT_TRUE(PortIsEmpty(port.get()));
}

TEST(FdPortTest, PortCancelRemovesAPendingWait) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  ASSERT_EQ(zx_port_cancel(f.port.get(), f.handle.get(), kKey), ZX_OK);
  WriteBytes(f.peer.get());
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey + 1, ZX_LINUX_FD_READABLE);
  EXPECT_EQ(AwaitPacket(f.port.get()).key, kKey + 1);
}

TEST(FdPortTest, RepeatingWaitGetsAPacketPerReportWhileReady) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE, ZX_WAIT_ASYNC_REPEATING);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WriteBytes(f.peer.get());
  EXPECT_EQ(AwaitPacket(f.port.get()).type, ZX_PKT_TYPE_SIGNAL_REP);
  EXPECT_EQ(AwaitPacket(f.port.get()).type, ZX_PKT_TYPE_SIGNAL_REP);  // still unread
  EXPECT_EQ(DrainFd(f.local.get()), 1u);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WriteBytes(f.peer.get());
  EXPECT_EQ(AwaitPacket(f.port.get()).key, kKey);
  ASSERT_EQ(zx_port_cancel(f.port.get(), f.handle.get(), kKey), ZX_OK);
}

TEST(FdPortTest, TwoPortsWaitingOnOneFdBothHearOfIt) {
  SocketFixture f;
  OwnedHandle other_port = NewPort();
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  WaitAsyncOn(f.handle.get(), other_port.get(), kKey + 1, ZX_LINUX_FD_READABLE);
  WriteBytes(f.peer.get());
  EXPECT_EQ(AwaitPacket(f.port.get()).key, kKey);
  EXPECT_EQ(AwaitPacket(other_port.get()).key, kKey + 1);
}

TEST(FdPortTest, TwoObjectsForOneFdShareAPort) {
  SocketFixture f;
  OwnedHandle reader = NewFdHandle(f.local.get());
  OwnedHandle writer = NewFdHandle(f.local.get());
  WaitAsyncOn(reader.get(), f.port.get(), 1u, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WaitAsyncOn(writer.get(), f.port.get(), 2u, ZX_LINUX_FD_WRITABLE);
  EXPECT_EQ(AwaitPacket(f.port.get()).key, 2u);
  WriteBytes(f.peer.get());
  EXPECT_EQ(AwaitPacket(f.port.get()).key, 1u);
  // One object's close leaves the other's registration in place.
  writer.reset();
  EXPECT_EQ(DrainFd(f.local.get()), 1u);
  WaitAsyncOn(reader.get(), f.port.get(), 3u, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  WriteBytes(f.peer.get());
  EXPECT_EQ(AwaitPacket(f.port.get()).key, 3u);
}

TEST(FdPortTest, ClosingThePortFirstThenTheFdHandleIsClean) {
  SocketFixture f;
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
  f.port.reset();
  WriteBytes(f.peer.get());
  // A new port after the old one closed works as usual.
  OwnedHandle port = NewPort();
  WaitAsyncOn(f.handle.get(), port.get(), kKey + 1, ZX_LINUX_FD_READABLE);
  EXPECT_EQ(AwaitPacket(port.get()).key, kKey + 1);
}

TEST(FdPortTest, EventPacketsStillFlowOnAPortThatWatchesFds) {
  SocketFixture f;
  OwnedHandle event = NewEvent();
  WaitAsyncOn(f.handle.get(), f.port.get(), kKey, ZX_LINUX_FD_READABLE);
  WaitAsyncOn(event.get(), f.port.get(), kKey + 1, ZX_EVENT_SIGNALED);
  ASSERT_EQ(zx_object_signal(event.get(), 0u, ZX_EVENT_SIGNALED), ZX_OK);
  EXPECT_EQ(AwaitPacket(f.port.get()).key, kKey + 1);
  const zx_port_packet_t user = UserPacket(kKey + 2);
  ASSERT_EQ(zx_port_queue(f.port.get(), &user), ZX_OK);
  EXPECT_EQ(AwaitPacket(f.port.get()).key, kKey + 2);
  EXPECT_TRUE(PortIsEmpty(f.port.get()));
}

}  // namespace
}  // namespace zircon_test
