// The wait objects of <lib/async/cpp/wait.h>.

#include <lib/async/cpp/wait.h>
#include <zircon/assert.h>

#include <utility>

namespace async {

WaitBase::WaitBase(zx_handle_t object, zx_signals_t trigger, async_wait_handler_t* handler)
    : wait_{ASYNC_STATE_INIT, handler, object, trigger} {}

WaitBase::~WaitBase() {
  if (dispatcher_ != nullptr) {
    // Single-threaded use means the handler cannot be running now, so the wait must be pending.
    zx_status_t status = async_cancel_wait(dispatcher_, &wait_);
    ZX_ASSERT_MSG(status == ZX_OK, "destroying a pending wait: cancel failed, status=%d", status);
  }
}

zx_status_t WaitBase::Begin(async_dispatcher_t* dispatcher) {
  if (dispatcher_ != nullptr) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  // Recorded before beginning: the handler may run (on another thread) before begin returns.
  dispatcher_ = dispatcher;
  zx_status_t status = async_begin_wait(dispatcher, &wait_);
  if (status != ZX_OK) {
    dispatcher_ = nullptr;
  }
  return status;
}

zx_status_t WaitBase::Cancel() {
  if (dispatcher_ == nullptr) {
    return ZX_ERR_NOT_FOUND;
  }
  async_dispatcher_t* dispatcher = dispatcher_;
  dispatcher_ = nullptr;
  return async_cancel_wait(dispatcher, &wait_);
}

Wait::Wait(zx_handle_t object, zx_signals_t trigger, Handler handler)
    : WaitBase(object, trigger, &Wait::CallHandler), handler_(std::move(handler)) {}

Wait::~Wait() = default;

void Wait::CallHandler(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                       const zx_packet_signal_t* signal) noexcept {
  Wait* self = Dispatch<Wait>(wait);
  // The handler may destroy `self`: nothing here touches it after the call.
  self->handler_(dispatcher, self, status, signal);
}

WaitOnce::WaitOnce(zx_handle_t object, zx_signals_t trigger)
    : WaitBase(object, trigger, &WaitOnce::CallHandler) {}

WaitOnce::~WaitOnce() = default;

zx_status_t WaitOnce::Begin(async_dispatcher_t* dispatcher, Handler handler) {
  if (is_pending()) {
    return ZX_ERR_ALREADY_EXISTS;  // keep the pending wait's handler
  }
  handler_ = std::move(handler);
  zx_status_t status = WaitBase::Begin(dispatcher);
  if (status != ZX_OK) {
    handler_ = nullptr;
  }
  return status;
}

void WaitOnce::CallHandler(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                           const zx_packet_signal_t* signal) noexcept {
  WaitOnce* self = Dispatch<WaitOnce>(wait);
  // Moved to this frame first, so the handler may destroy `self` (or begin it again with a new
  // handler) while it runs; it is destroyed here after the call.
  Handler handler = std::move(self->handler_);
  self->handler_ = nullptr;
  handler(dispatcher, self, status, signal);
}

}  // namespace async
