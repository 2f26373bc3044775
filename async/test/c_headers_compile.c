// Builds every lib/async C header as C11, the way C clients use them: operation records set up
// with positional initializers, and a dispatcher written in C with a positional operations table.
// Layout checks are static; AsyncCHeadersRunChecks() is called from ops_test.cc's C-headers test
// so that the wrappers are also called from C.

#include <lib/async/default.h>
#include <lib/async/dispatcher.h>
#include <lib/async/exception.h>
#include <lib/async/receiver.h>
#include <lib/async/task.h>
#include <lib/async/time.h>
#include <lib/async/trap.h>
#include <lib/async/wait.h>

#include <stddef.h>

#ifdef __cplusplus
#error "c_headers_compile.c must be compiled as C"
#endif

// The interface's layout, which binaries built against Fuchsia's headers rely on.
_Static_assert(ASYNC_OPS_V1 == 1 && ASYNC_OPS_V2 == 2, "");
_Static_assert(sizeof(async_state_t) == 2 * sizeof(uintptr_t), "");
_Static_assert(sizeof(async_dispatcher_t) == sizeof(void*), "");
_Static_assert(offsetof(async_ops_t, v1) == 8, "");
_Static_assert(offsetof(async_ops_t, v2) == 8 + 7 * sizeof(void*), "");
_Static_assert(sizeof(async_ops_t) == 8 + 10 * sizeof(void*), "");
_Static_assert(offsetof(async_ops_t, v1.set_guest_bell_trap) == 8 + 6 * sizeof(void*), "");
_Static_assert(offsetof(async_ops_t, v2.resume_from_exception) == 8 + 9 * sizeof(void*), "");
_Static_assert(offsetof(async_task_t, handler) == sizeof(async_state_t), "");
_Static_assert(offsetof(async_task_t, deadline) == sizeof(async_state_t) + sizeof(void*), "");
_Static_assert(offsetof(async_wait_t, object) == sizeof(async_state_t) + sizeof(void*), "");
_Static_assert(offsetof(async_wait_t, trigger) == offsetof(async_wait_t, object) + 4, "");
_Static_assert(offsetof(async_exception_t, task) == sizeof(async_state_t) + sizeof(void*), "");
_Static_assert(offsetof(async_exception_t, options) == offsetof(async_exception_t, task) + 4, "");
_Static_assert(sizeof(async_receiver_t) == sizeof(async_state_t) + sizeof(void*), "");
_Static_assert(sizeof(async_guest_bell_trap_t) == sizeof(async_state_t) + sizeof(void*), "");

// Handlers of every kind, with the exact handler types.
static void TaskHandler(async_dispatcher_t* dispatcher, async_task_t* task, zx_status_t status) {
  (void)dispatcher;
  (void)task;
  (void)status;
}
static void WaitHandler(async_dispatcher_t* dispatcher, async_wait_t* wait, zx_status_t status,
                        const zx_packet_signal_t* signal) {
  (void)dispatcher;
  (void)wait;
  (void)status;
  (void)signal;
}
static void ReceiverHandler(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                            zx_status_t status, const zx_packet_user_t* data) {
  (void)dispatcher;
  (void)receiver;
  (void)status;
  (void)data;
}
static void ExceptionHandler(async_dispatcher_t* dispatcher, async_exception_t* exception,
                             zx_status_t status, const zx_port_packet_t* report) {
  (void)dispatcher;
  (void)exception;
  (void)status;
  (void)report;
}
static void TrapHandler(async_dispatcher_t* dispatcher, async_guest_bell_trap_t* trap,
                        zx_status_t status, const zx_packet_guest_bell_t* bell) {
  (void)dispatcher;
  (void)trap;
  (void)status;
  (void)bell;
}

// A version 1 dispatcher written in C: it counts calls, reports a fixed time and refuses every
// operation, as the interface allows.
typedef struct {
  async_dispatcher_t dispatcher;  // first, so that the dispatcher pointer is the struct's
  int calls;
} CountingDispatcher;

static zx_status_t Refuse(async_dispatcher_t* dispatcher) {
  ((CountingDispatcher*)dispatcher)->calls++;
  return ZX_ERR_NOT_SUPPORTED;
}
static zx_time_t CountingNow(async_dispatcher_t* d) {
  ((CountingDispatcher*)d)->calls++;
  return ZX_SEC(3);
}
static zx_status_t CountingBeginWait(async_dispatcher_t* d, async_wait_t* w) {
  (void)w;
  return Refuse(d);
}
static zx_status_t CountingCancelWait(async_dispatcher_t* d, async_wait_t* w) {
  (void)w;
  return Refuse(d);
}
static zx_status_t CountingPostTask(async_dispatcher_t* d, async_task_t* t) {
  (void)t;
  return Refuse(d);
}
static zx_status_t CountingCancelTask(async_dispatcher_t* d, async_task_t* t) {
  (void)t;
  return Refuse(d);
}
static zx_status_t CountingQueuePacket(async_dispatcher_t* d, async_receiver_t* r,
                                       const zx_packet_user_t* data) {
  (void)r;
  (void)data;
  return Refuse(d);
}
static zx_status_t CountingSetTrap(async_dispatcher_t* d, async_guest_bell_trap_t* t,
                                   zx_handle_t guest, zx_vaddr_t addr, size_t length) {
  (void)t;
  (void)guest;
  (void)addr;
  (void)length;
  return Refuse(d);
}

static const async_ops_t kCountingOps = {
    ASYNC_OPS_V1,
    0,
    {CountingNow, CountingBeginWait, CountingCancelWait, CountingPostTask, CountingCancelTask,
     CountingQueuePacket, CountingSetTrap},
    {NULL, NULL, NULL},
};

// Returns 0 if every check passes, else the line of the first failing one.
int AsyncCHeadersRunChecks(void);
int AsyncCHeadersRunChecks(void) {
  CountingDispatcher counting = {{&kCountingOps}, 0};
  async_dispatcher_t* dispatcher = &counting.dispatcher;

  // Records initialized positionally, as the era's C and C++ clients write them.
  async_task_t task = {{ASYNC_STATE_INIT}, TaskHandler, 0};
  async_wait_t wait = {{ASYNC_STATE_INIT}, WaitHandler, ZX_HANDLE_INVALID, ZX_USER_SIGNAL_0};
  async_receiver_t receiver = {{ASYNC_STATE_INIT}, ReceiverHandler};
  async_exception_t exception = {{ASYNC_STATE_INIT}, ExceptionHandler, ZX_HANDLE_INVALID, 0u};
  async_guest_bell_trap_t trap = {{ASYNC_STATE_INIT}, TrapHandler};
  if (task.state.reserved[0] != 0u || task.state.reserved[1] != 0u || task.deadline != 0) {
    return __LINE__;
  }

  if (async_now(dispatcher) != ZX_SEC(3)) {
    return __LINE__;
  }
  if (async_post_task(dispatcher, &task) != ZX_ERR_NOT_SUPPORTED ||
      async_cancel_task(dispatcher, &task) != ZX_ERR_NOT_SUPPORTED ||
      async_begin_wait(dispatcher, &wait) != ZX_ERR_NOT_SUPPORTED ||
      async_cancel_wait(dispatcher, &wait) != ZX_ERR_NOT_SUPPORTED ||
      async_queue_packet(dispatcher, &receiver, NULL) != ZX_ERR_NOT_SUPPORTED ||
      async_set_guest_bell_trap(dispatcher, &trap, ZX_HANDLE_INVALID, 0, 0) !=
          ZX_ERR_NOT_SUPPORTED) {
    return __LINE__;
  }
  if (counting.calls != 7) {
    return __LINE__;
  }

  // The version 2 wrappers must not read the NULL members of this version 1 table.
  if (async_bind_exception_port(dispatcher, &exception) != ZX_ERR_NOT_SUPPORTED ||
      async_unbind_exception_port(dispatcher, &exception) != ZX_ERR_NOT_SUPPORTED ||
      async_resume_from_exception(dispatcher, &exception, ZX_HANDLE_INVALID, 0) !=
          ZX_ERR_NOT_SUPPORTED) {
    return __LINE__;
  }

  // The default dispatcher, from C.
  async_dispatcher_t* previous = async_get_default_dispatcher();
  async_set_default_dispatcher(dispatcher);
  int default_ok = async_get_default_dispatcher() == dispatcher;
  async_set_default_dispatcher(previous);
  return default_ok ? 0 : __LINE__;
}
