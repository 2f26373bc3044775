// zx_object_wait_one and zx_object_wait_many on fd handles: they poll(2) the fds, see current
// readiness, and end with ZX_ERR_CANCELED when the handle is closed from another thread.

#include <zircon/linux/fd.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "zircon/test/fd_test_helpers.h"
#include "zircon/test/test_helpers.h"

namespace zircon_test {
namespace {

TEST(FdWaitTest, WaitOneOnAReadableFdReturnsAtOnce) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle handle = NewFdHandle(local.get());
  WriteBytes(peer.get());
  zx_signals_t observed = 0;
  ASSERT_EQ(zx_object_wait_one(handle.get(), ZX_LINUX_FD_READABLE, 0, &observed), ZX_OK);
  EXPECT_EQ(observed & (ZX_LINUX_FD_READABLE | ZX_LINUX_FD_WRITABLE),
            ZX_LINUX_FD_READABLE | ZX_LINUX_FD_WRITABLE);
}

TEST(FdWaitTest, WaitOneTimesOutWhenNothingArrives) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle handle = NewFdHandle(local.get());
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(handle.get(), ZX_LINUX_FD_READABLE, 0, &observed), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(observed & ZX_LINUX_FD_READABLE, 0u);
  EXPECT_EQ(zx_object_wait_one(handle.get(), ZX_LINUX_FD_READABLE, zx_deadline_after(ZX_MSEC(2)),
                               &observed),
            ZX_ERR_TIMED_OUT);
}

TEST(FdWaitTest, WaitOneWakesWhenAnotherThreadWrites) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle handle = NewFdHandle(local.get());
  std::thread writer([&] { WriteBytes(peer.get()); });
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(handle.get(), ZX_LINUX_FD_READABLE, GenerousDeadline(), &observed),
            ZX_OK);
  writer.join();
  EXPECT_NE(observed & ZX_LINUX_FD_READABLE, 0u);
}

TEST(FdWaitTest, ObservedSignalsFollowTheFd) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle handle = NewFdHandle(local.get());
  EXPECT_EQ(SignalsOf(handle.get()), ZX_LINUX_FD_WRITABLE);
  WriteBytes(peer.get());
  EXPECT_EQ(SignalsOf(handle.get()), ZX_LINUX_FD_READABLE | ZX_LINUX_FD_WRITABLE);
  EXPECT_EQ(DrainFd(local.get()), 1u);
  EXPECT_EQ(SignalsOf(handle.get()), ZX_LINUX_FD_WRITABLE);
  peer.reset();
  EXPECT_EQ(SignalsOf(handle.get()) & ZX_LINUX_FD_PEER_CLOSED, ZX_LINUX_FD_PEER_CLOSED);
}

TEST(FdWaitTest, WaitOneSeesPipeEndOfFileAsPeerClosed) {
  OwnedFd read_end, write_end;
  NewPipe(&read_end, &write_end);
  OwnedHandle handle = NewFdHandle(read_end.get());
  std::thread closer([&] { write_end.reset(); });
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(handle.get(), ZX_LINUX_FD_READABLE | ZX_LINUX_FD_PEER_CLOSED,
                               GenerousDeadline(), &observed),
            ZX_OK);
  closer.join();
  EXPECT_NE(observed & ZX_LINUX_FD_PEER_CLOSED, 0u);
}

TEST(FdWaitTest, UserSignalEndsAWaitOneOnAnFd) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle handle = NewFdHandle(local.get());
  std::thread signaller(
      [&] { EXPECT_EQ(zx_object_signal(handle.get(), 0u, ZX_USER_SIGNAL_2), ZX_OK); });
  zx_signals_t observed = 0;
  EXPECT_EQ(zx_object_wait_one(handle.get(), ZX_USER_SIGNAL_2 | ZX_LINUX_FD_READABLE,
                               GenerousDeadline(), &observed),
            ZX_OK);
  signaller.join();
  EXPECT_NE(observed & ZX_USER_SIGNAL_2, 0u);
}

TEST(FdWaitTest, ClosingTheHandleFromAnotherThreadCancelsTheWait) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  for (int attempt = 1; attempt <= 1000; ++attempt) {
    const zx_handle_t value = NewFdHandle(local.get()).release();
    std::atomic<bool> started{false};
    zx_status_t status = ZX_ERR_INTERNAL;
    zx_signals_t observed = 0;
    std::thread waiter([&] {
      started.store(true, std::memory_order_release);  // pairs with the acquire load below
      status = zx_object_wait_one(value, ZX_LINUX_FD_READABLE, GenerousDeadline(), &observed);
    });
    while (!started.load(std::memory_order_acquire)) {
      std::this_thread::yield();
    }
    for (int i = 0; i < 10 * attempt; ++i) {
      std::this_thread::yield();
    }
    EXPECT_EQ(zx_handle_close(value), ZX_OK);
    waiter.join();
    if (status == ZX_ERR_CANCELED) {
      EXPECT_NE(observed & ZX_SIGNAL_HANDLE_CLOSED, 0u);
      return;
    }
    ASSERT_EQ(status, ZX_ERR_BAD_HANDLE);  // the close won the race: try again
  }
  ADD_FAILURE() << "no wait was ever cancelled by the close";
}

TEST(FdWaitTest, WaitManyMixesFdsAndOtherObjects) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle fd_handle = NewFdHandle(local.get());
  OwnedHandle event = NewEvent();
  zx_wait_item_t items[2] = {{fd_handle.get(), ZX_LINUX_FD_READABLE, 0u},
                             {event.get(), ZX_EVENT_SIGNALED, 0u}};
  EXPECT_EQ(zx_object_wait_many(items, 2, 0), ZX_ERR_TIMED_OUT);
  EXPECT_EQ(items[0].pending, ZX_LINUX_FD_WRITABLE);

  std::thread signaller(
      [&] { EXPECT_EQ(zx_object_signal(event.get(), 0u, ZX_EVENT_SIGNALED), ZX_OK); });
  EXPECT_EQ(zx_object_wait_many(items, 2, GenerousDeadline()), ZX_OK);
  signaller.join();
  EXPECT_NE(items[1].pending & ZX_EVENT_SIGNALED, 0u);

  ASSERT_EQ(zx_object_signal(event.get(), ZX_EVENT_SIGNALED, 0u), ZX_OK);
  std::thread writer([&] { WriteBytes(peer.get()); });
  EXPECT_EQ(zx_object_wait_many(items, 2, GenerousDeadline()), ZX_OK);
  writer.join();
  EXPECT_NE(items[0].pending & ZX_LINUX_FD_READABLE, 0u);
}

TEST(FdWaitTest, WaitOneAndAPortWaitBothHearOfOneReport) {
  OwnedFd local, peer;
  NewSocketPair(&local, &peer);
  OwnedHandle handle = NewFdHandle(local.get());
  OwnedHandle port = NewPort();
  WaitAsyncOn(handle.get(), port.get(), 7u, ZX_LINUX_FD_READABLE);
  WriteBytes(peer.get());
  zx_signals_t observed = 0;
  ASSERT_EQ(zx_object_wait_one(handle.get(), ZX_LINUX_FD_READABLE, GenerousDeadline(), &observed),
            ZX_OK);
  EXPECT_EQ(TakePacket(port.get()).key, 7u);  // the poll(2) result reached the port's wait too
}

}  // namespace
}  // namespace zircon_test
