// The exception-port receivers of <lib/async/cpp/exception.h>.

#include <lib/async/cpp/exception.h>
#include <zircon/assert.h>

#include <utility>

namespace async {

ExceptionBase::ExceptionBase(zx_handle_t task, uint32_t options, async_exception_handler_t* handler)
    : exception_{ASYNC_STATE_INIT, handler, task, options} {
  ZX_DEBUG_ASSERT(handler != nullptr);
}

ExceptionBase::~ExceptionBase() {
  if (dispatcher_ != nullptr) {
    zx_status_t status = async_unbind_exception_port(dispatcher_, &exception_);
    ZX_ASSERT_MSG(status == ZX_OK, "destroying a bound exception: unbind failed, status=%d",
                  status);
  }
}

zx_status_t ExceptionBase::Bind(async_dispatcher_t* dispatcher) {
  if (dispatcher_ != nullptr) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  // Recorded before binding: a report may reach the handler (on another thread) before bind
  // returns, and the handler may call Resume().
  dispatcher_ = dispatcher;
  zx_status_t status = async_bind_exception_port(dispatcher, &exception_);
  if (status != ZX_OK) {
    dispatcher_ = nullptr;
  }
  return status;
}

zx_status_t ExceptionBase::Unbind() {
  if (dispatcher_ == nullptr) {
    return ZX_ERR_NOT_FOUND;
  }
  async_dispatcher_t* dispatcher = dispatcher_;
  dispatcher_ = nullptr;
  return async_unbind_exception_port(dispatcher, &exception_);
}

zx_status_t ExceptionBase::Resume(zx_handle_t task, uint32_t options) {
  if (dispatcher_ == nullptr) {
    return ZX_ERR_NOT_FOUND;
  }
  return async_resume_from_exception(dispatcher_, &exception_, task, options);
}

Exception::Exception(zx_handle_t task, uint32_t options, Handler handler)
    : ExceptionBase(task, options, &Exception::CallHandler), handler_(std::move(handler)) {}

Exception::~Exception() = default;

void Exception::CallHandler(async_dispatcher_t* dispatcher, async_exception_t* exception,
                            zx_status_t status, const zx_port_packet_t* report) noexcept {
  Exception* self = Dispatch<Exception>(exception);
  self->handler_(dispatcher, self, status, report);
}

}  // namespace async
