// async::DispatcherStub: the operations table that turns C calls into virtual calls.
#include <lib/async-testing/dispatcher_stub.h>

namespace async {
namespace {

DispatcherStub* AsStub(async_dispatcher_t* dispatcher) {
  return static_cast<DispatcherStub*>(dispatcher);
}

zx_time_t StubNow(async_dispatcher_t* dispatcher) { return AsStub(dispatcher)->Now().get(); }

zx_status_t StubBeginWait(async_dispatcher_t* dispatcher, async_wait_t* wait) {
  return AsStub(dispatcher)->BeginWait(wait);
}

zx_status_t StubCancelWait(async_dispatcher_t* dispatcher, async_wait_t* wait) {
  return AsStub(dispatcher)->CancelWait(wait);
}

zx_status_t StubPostTask(async_dispatcher_t* dispatcher, async_task_t* task) {
  return AsStub(dispatcher)->PostTask(task);
}

zx_status_t StubCancelTask(async_dispatcher_t* dispatcher, async_task_t* task) {
  return AsStub(dispatcher)->CancelTask(task);
}

zx_status_t StubQueuePacket(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                            const zx_packet_user_t* data) {
  return AsStub(dispatcher)->QueuePacket(receiver, data);
}

zx_status_t StubSetGuestBellTrap(async_dispatcher_t* dispatcher, async_guest_bell_trap_t* trap,
                                 zx_handle_t guest, zx_vaddr_t addr, size_t length) {
  // Borrowed for the call: the unowned wrapper never closes the caller's handle.
  zx::unowned_guest borrowed(guest);
  return AsStub(dispatcher)->SetGuestBellTrap(trap, *borrowed, addr, length);
}

zx_status_t StubBindExceptionPort(async_dispatcher_t* dispatcher, async_exception_t* exception) {
  return AsStub(dispatcher)->BindExceptionPort(exception);
}

zx_status_t StubUnbindExceptionPort(async_dispatcher_t* dispatcher, async_exception_t* exception) {
  return AsStub(dispatcher)->UnbindExceptionPort(exception);
}

zx_status_t StubResumeFromException(async_dispatcher_t* dispatcher, async_exception_t* exception,
                                    zx_handle_t /*task*/, uint32_t options) {
  return AsStub(dispatcher)->ResumeFromException(exception, options);
}

constexpr async_ops_t kStubOps = {
    .version = ASYNC_OPS_V2,
    .reserved = 0,
    .v1 =
        {
            .now = StubNow,
            .begin_wait = StubBeginWait,
            .cancel_wait = StubCancelWait,
            .post_task = StubPostTask,
            .cancel_task = StubCancelTask,
            .queue_packet = StubQueuePacket,
            .set_guest_bell_trap = StubSetGuestBellTrap,
        },
    .v2 =
        {
            .bind_exception_port = StubBindExceptionPort,
            .unbind_exception_port = StubUnbindExceptionPort,
            .resume_from_exception = StubResumeFromException,
        },
};

}  // namespace

DispatcherStub::DispatcherStub() : async_dispatcher_t{&kStubOps} {}

DispatcherStub::~DispatcherStub() = default;

zx::time DispatcherStub::Now() { return zx::time(0); }

zx_status_t DispatcherStub::BeginWait(async_wait_t* /*wait*/) { return ZX_ERR_NOT_SUPPORTED; }

zx_status_t DispatcherStub::CancelWait(async_wait_t* /*wait*/) { return ZX_ERR_NOT_SUPPORTED; }

zx_status_t DispatcherStub::PostTask(async_task_t* /*task*/) { return ZX_ERR_NOT_SUPPORTED; }

zx_status_t DispatcherStub::CancelTask(async_task_t* /*task*/) { return ZX_ERR_NOT_SUPPORTED; }

zx_status_t DispatcherStub::QueuePacket(async_receiver_t* /*receiver*/,
                                        const zx_packet_user_t* /*data*/) {
  return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t DispatcherStub::SetGuestBellTrap(async_guest_bell_trap_t* /*trap*/,
                                             const zx::guest& /*guest*/, zx_vaddr_t /*addr*/,
                                             size_t /*length*/) {
  return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t DispatcherStub::BindExceptionPort(async_exception_t* /*exception*/) {
  return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t DispatcherStub::UnbindExceptionPort(async_exception_t* /*exception*/) {
  return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t DispatcherStub::ResumeFromException(async_exception_t* /*exception*/,
                                                uint32_t /*options*/) {
  return ZX_ERR_NOT_SUPPORTED;
}

}  // namespace async
