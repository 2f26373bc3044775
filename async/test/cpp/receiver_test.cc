// async::Receiver and async::ReceiverMethod, against a real loop and FakeDispatcher.

#include <lib/async-loop/cpp/loop.h>
#include <lib/async/cpp/receiver.h>

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "async/test/cpp/fake_dispatcher.h"

namespace async_cpp_test {
namespace {

// What a receiver handler was called with, one entry per packet.
struct Packet {
  async_dispatcher_t* dispatcher = nullptr;
  async::ReceiverBase* receiver = nullptr;
  zx_status_t status = ZX_ERR_INTERNAL;
  bool has_data = false;
  uint64_t first_word = 0;
};

void Record(std::vector<Packet>* packets, async_dispatcher_t* dispatcher,
            async::ReceiverBase* receiver, zx_status_t status, const zx_packet_user_t* data) {
  packets->push_back(
      {dispatcher, receiver, status, data != nullptr, data != nullptr ? data->u64[0] : 0u});
}

async::Receiver::Handler Recorder(std::vector<Packet>* packets) {
  return [packets](async_dispatcher_t* dispatcher, async::Receiver* receiver, zx_status_t status,
                   const zx_packet_user_t* data) {
    Record(packets, dispatcher, receiver, status, data);
  };
}

zx_packet_user_t Payload(uint64_t first_word) {
  zx_packet_user_t data = {};
  data.u64[0] = first_word;
  return data;
}

TEST(ReceiverTest, DeliversCopyOfPayloadTakenAtQueueTime) {
  std::vector<Packet> packets;
  async::Receiver receiver(Recorder(&packets));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  zx_packet_user_t data = Payload(41);
  ASSERT_EQ(receiver.QueuePacket(loop.dispatcher(), &data), ZX_OK);
  data.u64[0] = 99;
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);

  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0].dispatcher, loop.dispatcher());
  EXPECT_EQ(packets[0].receiver, &receiver);
  EXPECT_EQ(packets[0].status, ZX_OK);
  EXPECT_TRUE(packets[0].has_data);
  EXPECT_EQ(packets[0].first_word, 41u);
}

TEST(ReceiverTest, NullDataDeliversZeroPayload) {
  std::vector<Packet> packets;
  async::Receiver receiver(Recorder(&packets));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(receiver.QueuePacket(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_TRUE(packets[0].has_data);
  EXPECT_EQ(packets[0].first_word, 0u);
}

TEST(ReceiverTest, QueuePacketForwardsDataPointerAndStatus) {
  FakeDispatcher dispatcher;
  async::Receiver receiver;
  zx_packet_user_t data = Payload(1);

  dispatcher.status = ZX_ERR_SHOULD_WAIT;
  EXPECT_EQ(receiver.QueuePacket(&dispatcher, &data), ZX_ERR_SHOULD_WAIT);
  EXPECT_EQ(dispatcher.data, &data);
  EXPECT_EQ(static_cast<void*>(dispatcher.receiver), static_cast<void*>(&receiver));

  dispatcher.status = ZX_ERR_NOT_SUPPORTED;
  EXPECT_EQ(receiver.QueuePacket(&dispatcher), ZX_ERR_NOT_SUPPORTED);
  EXPECT_EQ(dispatcher.data, nullptr);
}

TEST(ReceiverTest, QueueAfterShutdownReturnsBadState) {
  std::vector<Packet> packets;
  async::Receiver receiver(Recorder(&packets));
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);
  loop.Shutdown();

  EXPECT_EQ(receiver.QueuePacket(loop.dispatcher()), ZX_ERR_BAD_STATE);
  EXPECT_TRUE(packets.empty());
}

TEST(ReceiverTest, SetHandlerReplacesHandler) {
  std::vector<Packet> first;
  std::vector<Packet> second;
  async::Receiver receiver;
  EXPECT_FALSE(receiver.has_handler());
  receiver.set_handler(Recorder(&first));
  receiver.set_handler(Recorder(&second));
  EXPECT_TRUE(receiver.has_handler());
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  ASSERT_EQ(receiver.QueuePacket(loop.dispatcher()), ZX_OK);
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);
  EXPECT_TRUE(first.empty());
  EXPECT_EQ(second.size(), 1u);
}

class Handlers {
 public:
  void OnPacket(async_dispatcher_t* dispatcher, async::ReceiverBase* receiver, zx_status_t status,
                const zx_packet_user_t* data) {
    Record(&packets, dispatcher, receiver, status, data);
  }
  std::vector<Packet> packets;
};

TEST(ReceiverMethodTest, CallsMethodForEachPacketInOrder) {
  Handlers handlers;
  async::ReceiverMethod<Handlers, &Handlers::OnPacket> receiver(&handlers);
  async::Loop loop(&kAsyncLoopConfigNoAttachToThread);

  for (uint64_t i = 1; i <= 3; ++i) {
    zx_packet_user_t data = Payload(i);
    ASSERT_EQ(receiver.QueuePacket(loop.dispatcher(), &data), ZX_OK);
  }
  EXPECT_EQ(loop.RunUntilIdle(), ZX_OK);

  ASSERT_EQ(handlers.packets.size(), 3u);
  for (uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(handlers.packets[i].receiver, &receiver);
    EXPECT_EQ(handlers.packets[i].status, ZX_OK);
    EXPECT_EQ(handlers.packets[i].first_word, i + 1);
  }
}

}  // namespace
}  // namespace async_cpp_test
