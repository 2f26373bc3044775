// fsl::FDWaiter: ready events on pipes and sockets, level-triggering, cancellation, bad fds, and
// use on async::TestLoop and on a multi-threaded async::Loop.
#include <lib/async-loop/cpp/loop.h>
#include <lib/async-testing/test_loop.h>
#include <lib/fsl/tasks/fd_waiter.h>
#include <lib/zx/event.h>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// Owns a Linux fd and closes it when destroyed. Thread-compatible.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~OwnedFd() { reset(); }

  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A non-blocking pipe (`fds[0]` reads, `fds[1]` writes) or Unix stream socket pair.
struct FdPair {
  OwnedFd fds[2];
};

FdPair NewPipe() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  FdPair pair;
  pair.fds[0].reset(fds[0]);
  pair.fds[1].reset(fds[1]);
  return pair;
}

FdPair NewSocketPair() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
  FdPair pair;
  pair.fds[0].reset(fds[0]);
  pair.fds[1].reset(fds[1]);
  return pair;
}

void WriteByte(int fd) {
  const char byte = 'x';
  ASSERT_EQ(write(fd, &byte, 1), 1);
}

// Fills `fd`'s send buffer until a write would block.
void FillUntilFull(int fd) {
  std::vector<char> chunk(64 * 1024, 'f');
  while (write(fd, chunk.data(), chunk.size()) > 0) {
  }
  ASSERT_EQ(errno, EAGAIN);
}

// What a waiter's callbacks saw.
struct Outcome {
  int calls = 0;
  zx_status_t status = ZX_ERR_INTERNAL;
  uint32_t events = 0;

  fsl::FDWaiter::Callback Record() {
    return [this](zx_status_t s, uint32_t e) {
      ++calls;
      status = s;
      events = e;
    };
  }
};

// Each test runs on a fresh TestLoop, which is also the thread's default dispatcher.
class FDWaiterTest : public ::testing::Test {
 protected:
  async::TestLoop loop_;
};

TEST_F(FDWaiterTest, PipeBecomingReadableCallsBackWithPollin) {
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));

  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
  WriteByte(pipe.fds[1].get());
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.status, ZX_OK);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLIN));
}

TEST_F(FDWaiterTest, AlreadyReadableFdCompletesAtOnce) {
  FdPair sockets = NewSocketPair();
  WriteByte(sockets.fds[1].get());
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), sockets.fds[0].get(), POLLIN));

  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLIN));
}

TEST_F(FDWaiterTest, WritableSocketCallsBackWithOnlyPollout) {
  FdPair sockets = NewSocketPair();
  fsl::FDWaiter waiter;
  Outcome outcome;
  // Nothing to read: of the two events asked for, only POLLOUT is ready.
  ASSERT_TRUE(waiter.Wait(outcome.Record(), sockets.fds[0].get(), POLLIN | POLLOUT));

  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.status, ZX_OK);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLOUT));
}

TEST_F(FDWaiterTest, FullSocketCallsBackOnceThePeerReads) {
  FdPair sockets = NewSocketPair();
  FillUntilFull(sockets.fds[0].get());
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), sockets.fds[0].get(), POLLOUT));

  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
  std::vector<char> sink(1024 * 1024);
  while (read(sockets.fds[1].get(), sink.data(), sink.size()) > 0) {
  }
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLOUT));
}

TEST_F(FDWaiterTest, PipeWhoseWriterClosedIsReadable) {
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));

  pipe.fds[1].reset();
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLIN));  // a read returns 0 at once
  char byte;
  EXPECT_EQ(read(pipe.fds[0].get(), &byte, 1), 0);
}

TEST_F(FDWaiterTest, HangUpIsReportedAsTheHangUpEventsAskedFor) {
  FdPair sockets = NewSocketPair();
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), sockets.fds[0].get(), POLLIN | POLLRDHUP | POLLHUP));

  sockets.fds[1].reset();
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLIN | POLLRDHUP | POLLHUP));
}

TEST_F(FDWaiterTest, PipeWhoseReaderClosedReportsPollerr) {
  FdPair pipe = NewPipe();
  FillUntilFull(pipe.fds[1].get());
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[1].get(), POLLOUT));

  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
  pipe.fds[0].reset();
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.status, ZX_OK);
  EXPECT_NE(outcome.events & POLLERR, 0u);
}

TEST_F(FDWaiterTest, CancelPreventsTheCallback) {
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));

  waiter.Cancel();
  WriteByte(pipe.fds[1].get());
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
}

TEST_F(FDWaiterTest, CancelIsIdempotentAndTheWaiterWaitsAgain) {
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter;
  waiter.Cancel();  // nothing pending: no-op
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));
  waiter.Cancel();
  waiter.Cancel();

  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));
  WriteByte(pipe.fds[1].get());
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  waiter.Cancel();  // after completion: no-op
}

TEST_F(FDWaiterTest, CancelDestroysTheCallback) {
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter;
  auto token = std::make_shared<int>(0);
  ASSERT_TRUE(waiter.Wait([token](zx_status_t, uint32_t) {}, pipe.fds[0].get(), POLLIN));
  EXPECT_EQ(token.use_count(), 2);

  waiter.Cancel();
  EXPECT_EQ(token.use_count(), 1);
}

TEST_F(FDWaiterTest, DestructionCancelsThePendingWait) {
  FdPair pipe = NewPipe();
  Outcome outcome;
  {
    fsl::FDWaiter waiter;
    ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));
  }
  WriteByte(pipe.fds[1].get());
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
}

TEST_F(FDWaiterTest, SecondWaitWhilePendingReturnsFalseAndKeepsTheFirst) {
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter;
  Outcome first;
  Outcome second;
  ASSERT_TRUE(waiter.Wait(first.Record(), pipe.fds[0].get(), POLLIN));
  EXPECT_FALSE(waiter.Wait(second.Record(), pipe.fds[0].get(), POLLIN));

  WriteByte(pipe.fds[1].get());
  loop_.RunUntilIdle();
  EXPECT_EQ(first.calls, 1);
  EXPECT_EQ(second.calls, 0);
}

TEST_F(FDWaiterTest, NegativeFdReturnsFalse) {
  fsl::FDWaiter waiter;
  Outcome outcome;
  EXPECT_FALSE(waiter.Wait(outcome.Record(), -1, POLLIN));
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
}

TEST_F(FDWaiterTest, ClosedFdReturnsFalse) {
  FdPair pipe = NewPipe();
  const int closed_fd = pipe.fds[0].get();
  pipe.fds[0].reset();
  fsl::FDWaiter waiter;
  Outcome outcome;
  EXPECT_FALSE(waiter.Wait(outcome.Record(), closed_fd, POLLIN));
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
}

TEST_F(FDWaiterTest, RegularFileReturnsFalse) {
  OwnedFd file(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));  // Linux cannot poll it
  ASSERT_GE(file.get(), 0);
  fsl::FDWaiter waiter;
  Outcome outcome;
  EXPECT_FALSE(waiter.Wait(outcome.Record(), file.get(), POLLIN));
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
}

TEST_F(FDWaiterTest, FailedWaitDestroysTheCallbackAndLeavesTheWaiterIdle) {
  fsl::FDWaiter waiter;
  auto token = std::make_shared<int>(0);
  EXPECT_FALSE(waiter.Wait([token](zx_status_t, uint32_t) {}, -1, POLLIN));
  EXPECT_EQ(token.use_count(), 1);

  FdPair sockets = NewSocketPair();
  Outcome outcome;
  EXPECT_TRUE(waiter.Wait(outcome.Record(), sockets.fds[0].get(), POLLOUT));
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
}

TEST_F(FDWaiterTest, AnyPollableFdIsWaitable) {
  OwnedFd event_fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  ASSERT_GE(event_fd.get(), 0);
  fsl::FDWaiter waiter;
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), event_fd.get(), POLLIN));

  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 0);
  const uint64_t one = 1;
  ASSERT_EQ(write(event_fd.get(), &one, sizeof(one)), static_cast<ssize_t>(sizeof(one)));
  loop_.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.events, static_cast<uint32_t>(POLLIN));
}

TEST_F(FDWaiterTest, CallbackMayWaitAgain) {
  FdPair sockets = NewSocketPair();
  fsl::FDWaiter waiter;
  int reads = 0;
  fit::function<void(zx_status_t, uint32_t)> on_readable;
  on_readable = [&](zx_status_t status, uint32_t events) {
    ASSERT_EQ(status, ZX_OK);
    ASSERT_EQ(events, static_cast<uint32_t>(POLLIN));
    char byte;
    ASSERT_EQ(read(sockets.fds[0].get(), &byte, 1), 1);
    if (++reads < 3) {
      ASSERT_TRUE(waiter.Wait([&](zx_status_t s, uint32_t e) { on_readable(s, e); },
                              sockets.fds[0].get(), POLLIN));
      WriteByte(sockets.fds[1].get());
    }
  };
  ASSERT_TRUE(waiter.Wait([&](zx_status_t s, uint32_t e) { on_readable(s, e); },
                          sockets.fds[0].get(), POLLIN));
  WriteByte(sockets.fds[1].get());

  loop_.RunUntilIdle();
  EXPECT_EQ(reads, 3);
}

TEST_F(FDWaiterTest, CallbackMayDestroyTheWaiterAndCloseTheFd) {
  FdPair pipe = NewPipe();
  auto waiter = std::make_unique<fsl::FDWaiter>();
  bool called = false;
  ASSERT_TRUE(waiter->Wait(
      [&](zx_status_t status, uint32_t) {
        EXPECT_EQ(status, ZX_OK);
        pipe.fds[0].reset();  // the waiter let go of the fd before calling back
        waiter.reset();
        called = true;
      },
      pipe.fds[0].get(), POLLIN));

  WriteByte(pipe.fds[1].get());
  loop_.RunUntilIdle();
  EXPECT_TRUE(called);
  EXPECT_EQ(waiter, nullptr);
}

TEST_F(FDWaiterTest, UsesTheDispatcherItWasGiven) {
  async::Loop other(&kAsyncLoopConfigNoAttachToThread);
  FdPair sockets = NewSocketPair();
  fsl::FDWaiter waiter(other.dispatcher());
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), sockets.fds[0].get(), POLLOUT));

  loop_.RunUntilIdle();  // the default dispatcher: not this waiter's
  EXPECT_EQ(outcome.calls, 0);
  other.RunUntilIdle();
  EXPECT_EQ(outcome.calls, 1);
}

TEST(FDWaiterLoopTest, ShutdownCallsBackWithCanceled) {
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  FdPair pipe = NewPipe();
  fsl::FDWaiter waiter(loop.dispatcher());
  Outcome outcome;
  ASSERT_TRUE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));

  loop.Shutdown();
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.status, ZX_ERR_CANCELED);
  EXPECT_EQ(outcome.events, 0u);
  EXPECT_FALSE(waiter.Wait(outcome.Record(), pipe.fds[0].get(), POLLIN));  // shut down
}

// One socket pair whose waiter, from each callback, reads the byte written and writes the next,
// `rounds` times, then counts itself in `finished` and signals `done` if it was the last of
// `pairs`. Its callbacks run on any loop thread; each begins the next round as its last act.
class PingPong {
 public:
  PingPong(async_dispatcher_t* dispatcher, int rounds, int pairs, std::atomic<int>* finished,
           zx::event* done)
      : sockets_(NewSocketPair()),
        waiter_(dispatcher),
        rounds_(rounds),
        pairs_(pairs),
        finished_(finished),
        done_(done) {}

  // Begins the first round; safe from any thread.
  void Start() {
    WaitForByte();
    WriteByte(sockets_.fds[1].get());
  }

  int rounds_done() const { return rounds_done_; }

 private:
  void WaitForByte() {
    ASSERT_TRUE(
        waiter_.Wait([this](zx_status_t status, uint32_t events) { OnByte(status, events); },
                     sockets_.fds[0].get(), POLLIN));
  }

  void OnByte(zx_status_t status, uint32_t events) {
    ASSERT_EQ(status, ZX_OK);
    ASSERT_EQ(events, static_cast<uint32_t>(POLLIN));
    char byte;
    ASSERT_EQ(read(sockets_.fds[0].get(), &byte, 1), 1);
    if (++rounds_done_ < rounds_) {
      Start();
    } else if (finished_->fetch_add(1, std::memory_order_acq_rel) + 1 == pairs_) {
      // acq_rel: the last pair sees every other pair's rounds before signalling the test.
      ASSERT_EQ(done_->signal(0, ZX_USER_SIGNAL_0), ZX_OK);
    }
  }

  FdPair sockets_;
  fsl::FDWaiter waiter_;
  const int rounds_;
  const int pairs_;
  std::atomic<int>* const finished_;
  zx::event* const done_;
  int rounds_done_ = 0;
};

// Ping-pong over many socket pairs at once on a loop with several threads, started while the
// threads already run: the pairs' callbacks run in parallel, each waiting again from its own.
TEST(FDWaiterLoopTest, ManyWaitersOnSeveralLoopThreads) {
  constexpr int kPairs = 64;
  constexpr int kRounds = 50;
  // Declared before the loop, so that they outlive it even when an assertion ends the test.
  std::vector<std::unique_ptr<PingPong>> pairs;
  std::atomic<int> finished{0};
  zx::event done;
  ASSERT_EQ(zx::event::create(0, &done), ZX_OK);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(loop.StartThread("fd-waiter-test"), ZX_OK);
  }
  for (int i = 0; i < kPairs; ++i) {
    pairs.push_back(
        std::make_unique<PingPong>(loop.dispatcher(), kRounds, kPairs, &finished, &done));
    pairs.back()->Start();
  }

  // The deadline only turns a lost wakeup into a failure rather than a hang.
  ASSERT_EQ(done.wait_one(ZX_USER_SIGNAL_0, zx::deadline_after(zx::sec(60)), nullptr), ZX_OK);
  loop.Shutdown();  // joins the threads: every callback has returned
  for (const auto& pair : pairs) {
    EXPECT_EQ(pair->rounds_done(), kRounds);
  }
}

}  // namespace
