// A tiny dispatcher for the wrapper tests: it records what each operation received, returns a
// status the test chooses, and lets the test call the handlers itself.

#ifndef ASYNC_TEST_CPP_FAKE_DISPATCHER_H_
#define ASYNC_TEST_CPP_FAKE_DISPATCHER_H_

#include <lib/async/dispatcher.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/trap.h>
#include <lib/async/wait.h>

#include <string>
#include <vector>

namespace async_cpp_test {

// Records every operation; each returns `status` (ZX_OK unless the test sets it). Nothing is
// ever delivered unless the test calls a handler. A version 1 table has no exception operations,
// so the lib/async wrappers answer ZX_ERR_NOT_SUPPORTED for them. Thread-compatible.
class FakeDispatcher : public async_dispatcher_t {
 public:
  explicit FakeDispatcher(async_ops_version_t version = ASYNC_OPS_V2);
  FakeDispatcher(const FakeDispatcher&) = delete;
  FakeDispatcher& operator=(const FakeDispatcher&) = delete;

  zx_time_t now = 1000;        // what async_now() returns
  zx_status_t status = ZX_OK;  // what every other operation returns

  std::vector<std::string> calls;  // the operations called, in order, e.g. "post_task"

  // The arguments of the last call of each kind.
  async_task_t* task = nullptr;
  async_wait_t* wait = nullptr;
  async_receiver_t* receiver = nullptr;
  const zx_packet_user_t* data = nullptr;
  async_guest_bell_trap_t* trap = nullptr;
  zx_handle_t guest = ZX_HANDLE_INVALID;
  zx_vaddr_t addr = 0;
  size_t length = 0;
  async_exception_t* exception = nullptr;
  zx_handle_t resumed_task = ZX_HANDLE_INVALID;
  uint32_t resume_options = 0;

 private:
  async_ops_t ops_;
};

}  // namespace async_cpp_test

#endif  // ASYNC_TEST_CPP_FAKE_DISPATCHER_H_
