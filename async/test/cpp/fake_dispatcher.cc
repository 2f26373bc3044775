// The fake dispatcher of fake_dispatcher.h.

#include "async/test/cpp/fake_dispatcher.h"

namespace async_cpp_test {
namespace {

FakeDispatcher* Fake(async_dispatcher_t* dispatcher) {
  return static_cast<FakeDispatcher*>(dispatcher);
}

zx_status_t Record(async_dispatcher_t* dispatcher, const char* op) {
  Fake(dispatcher)->calls.push_back(op);
  return Fake(dispatcher)->status;
}

zx_time_t Now(async_dispatcher_t* dispatcher) { return Fake(dispatcher)->now; }

zx_status_t BeginWait(async_dispatcher_t* dispatcher, async_wait_t* wait) {
  Fake(dispatcher)->wait = wait;
  return Record(dispatcher, "begin_wait");
}

zx_status_t CancelWait(async_dispatcher_t* dispatcher, async_wait_t* wait) {
  Fake(dispatcher)->wait = wait;
  return Record(dispatcher, "cancel_wait");
}

zx_status_t PostTask(async_dispatcher_t* dispatcher, async_task_t* task) {
  Fake(dispatcher)->task = task;
  return Record(dispatcher, "post_task");
}

zx_status_t CancelTask(async_dispatcher_t* dispatcher, async_task_t* task) {
  Fake(dispatcher)->task = task;
  return Record(dispatcher, "cancel_task");
}

zx_status_t QueuePacket(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                        const zx_packet_user_t* data) {
  Fake(dispatcher)->receiver = receiver;
  Fake(dispatcher)->data = data;
  return Record(dispatcher, "queue_packet");
}

zx_status_t SetGuestBellTrap(async_dispatcher_t* dispatcher, async_guest_bell_trap_t* trap,
                             zx_handle_t guest, zx_vaddr_t addr, size_t length) {
  FakeDispatcher* fake = Fake(dispatcher);
  fake->trap = trap;
  fake->guest = guest;
  fake->addr = addr;
  fake->length = length;
  return Record(dispatcher, "set_guest_bell_trap");
}

zx_status_t BindExceptionPort(async_dispatcher_t* dispatcher, async_exception_t* exception) {
  Fake(dispatcher)->exception = exception;
  return Record(dispatcher, "bind_exception_port");
}

zx_status_t UnbindExceptionPort(async_dispatcher_t* dispatcher, async_exception_t* exception) {
  Fake(dispatcher)->exception = exception;
  return Record(dispatcher, "unbind_exception_port");
}

zx_status_t ResumeFromException(async_dispatcher_t* dispatcher, async_exception_t* exception,
                                zx_handle_t task, uint32_t options) {
  FakeDispatcher* fake = Fake(dispatcher);
  fake->exception = exception;
  fake->resumed_task = task;
  fake->resume_options = options;
  return Record(dispatcher, "resume_from_exception");
}

}  // namespace

FakeDispatcher::FakeDispatcher(async_ops_version_t version)
    : async_dispatcher_t{&ops_},
      ops_{version,
           0,
           {Now, BeginWait, CancelWait, PostTask, CancelTask, QueuePacket, SetGuestBellTrap},
           {BindExceptionPort, UnbindExceptionPort, ResumeFromException}} {}

}  // namespace async_cpp_test
