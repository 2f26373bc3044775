// The dispatcher operations of a loop: waits, tasks, packets, bell traps and exceptions.
//
// Where Fuchsia's loop aborts on an unexpected kernel status (a bad handle in begin_wait or
// cancel_wait, a bell trap on something that is not a guest), this loop returns the status to
// the caller instead; a null operation is ZX_ERR_INVALID_ARGS. Everything else follows the seed.
#include <lib/async/default.h>
#include <zircon/assert.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/hypervisor.h>

#include <fbl/auto_lock.h>

#include "async-loop/src/loop.h"

namespace {

uint64_t KeyOf(const void* operation) { return reinterpret_cast<uintptr_t>(operation); }

}  // namespace

zx_status_t async_loop::BeginWait(async_wait_t* wait) {
  if (wait == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  fbl::AutoLock lock(&mutex_);
  // Checked under the lock: shutdown's last sweep for pending waits takes it too, so a wait
  // either fails here or is pending when the sweep runs (and is cancelled by it).
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  if (waits_.Contains(wait)) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  // Under the lock, so a thread that takes the completion packet at once finds the wait pending.
  zx_status_t status =
      zx_object_wait_async(wait->object, port_, KeyOf(wait), wait->trigger, ZX_WAIT_ASYNC_ONCE);
  if (status == ZX_OK) {
    waits_.Add(wait);
  }
  return status;
}

zx_status_t async_loop::CancelWait(async_wait_t* wait) {
  if (wait == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  // Allowed in every state: a client may rely on the handler not running after this.
  fbl::AutoLock lock(&mutex_);
  if (!waits_.Contains(wait)) {
    return ZX_ERR_NOT_FOUND;
  }
  // The kernel decides a race with a thread that already took the completion packet: then the
  // packet is gone, this returns NOT_FOUND, and that thread runs the handler.
  zx_status_t status = zx_port_cancel(port_, wait->object, KeyOf(wait));
  if (status == ZX_OK) {
    waits_.Remove(wait);
  }
  return status;
}

zx_status_t async_loop::PostTask(async_task_t* task) {
  if (task == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  // Read before the push: once pushed, the task may run (and be freed) on a loop thread.
  const zx_time_t deadline = task->deadline;
  const zx_status_t status = PushTask(task);
  if (status == ZX_OK) {
    // The loop looks at the inbox before its timer fires, and at the end of a batch (the timer
    // reads as "earlier than everything" meanwhile): only a task due before that moves it.
    if (deadline < armed_deadline_.load(std::memory_order_seq_cst)) {
      fbl::AutoLock lock(&mutex_);
      if (!dispatching_tasks_) {
        RestartTimerLocked();
      }
    }
    return ZX_OK;
  }
  if (status == ZX_ERR_BAD_STATE) {
    return ZX_ERR_BAD_STATE;  // the inbox was closed by shutdown
  }
  // The task's state is not zero: it may be queued already, or it was never zeroed.
  fbl::AutoLock lock(&mutex_);
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  tasks_.DrainInbox();
  if (tasks_.Contains(task) || tasks_.InInbox(task)) {
    return ZX_ERR_ALREADY_EXISTS;  // (InInbox: another thread is pushing it right now)
  }
  // A stale or forged state, not the queue's: post the task, as Fuchsia would.
  if (tasks_.Insert(task) && !dispatching_tasks_) {
    RestartTimerLocked();  // the earliest deadline moved
  }
  return ZX_OK;
}

zx_status_t async_loop::CancelTask(async_task_t* task) {
  if (task == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  // Allowed in every state. The task may be in the inbox, pending or in the due batch.
  fbl::AutoLock lock(&mutex_);
  tasks_.DrainInbox();
  const bool was_earliest = tasks_.IsEarliest(task);
  const zx_time_t deadline = task->deadline;
  // Remove fails for a task the dispatching thread has just claimed: its handler runs.
  if (!tasks_.Remove(task)) {
    return ZX_ERR_NOT_FOUND;
  }
  // As in the seed: move the timer on only if the next task is due strictly later; cancelling
  // the last task leaves the timer to fire once into an empty batch.
  if (was_earliest && !dispatching_tasks_ && tasks_.has_pending() &&
      tasks_.EarliestDeadline() > deadline) {
    RestartTimerLocked();
  }
  return ZX_OK;
}

zx_status_t async_loop::QueuePacket(async_receiver_t* receiver, const zx_packet_user_t* data) {
  if (receiver == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  zx_port_packet_t packet = {};
  packet.key = KeyOf(receiver);
  packet.type = ZX_PKT_TYPE_USER;
  packet.status = ZX_OK;
  if (data != nullptr) {
    packet.user = *data;
  }
  return zx_port_queue(port_, &packet);
}

zx_status_t async_loop::SetGuestBellTrap(async_guest_bell_trap_t* trap, zx_handle_t guest,
                                         zx_vaddr_t addr, size_t length) {
  if (trap == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  return zx_guest_set_trap(guest, ZX_GUEST_TRAP_BELL, addr, length, port_, KeyOf(trap));
}

zx_status_t async_loop::BindExceptionPort(async_exception_t* exception) {
  if (exception == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  fbl::AutoLock lock(&mutex_);
  if (is_shut_down()) {  // under the lock, as in BeginWait
    return ZX_ERR_BAD_STATE;
  }
  if (exceptions_.Contains(exception)) {
    return ZX_ERR_ALREADY_EXISTS;
  }
  zx_status_t status =
      zx_task_bind_exception_port(exception->task, port_, KeyOf(exception), exception->options);
  if (status == ZX_OK) {
    exceptions_.Add(exception);
  }
  return status;
}

zx_status_t async_loop::UnbindExceptionPort(async_exception_t* exception) {
  if (exception == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  // Allowed in every state.
  fbl::AutoLock lock(&mutex_);
  if (!exceptions_.Contains(exception)) {
    return ZX_ERR_NOT_FOUND;
  }
  // Unbinds the slot the exception was bound to: the seed passed options 0 here, which missed
  // debugger bindings; later Fuchsia passes the binding's options, as we do.
  zx_status_t status = zx_task_bind_exception_port(exception->task, ZX_HANDLE_INVALID,
                                                   KeyOf(exception), exception->options);
  if (status == ZX_OK) {
    exceptions_.Remove(exception);
  }
  return status;
}

zx_status_t async_loop::ResumeFromException(async_exception_t* exception, zx_handle_t task,
                                            uint32_t options) {
  if (exception == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (is_shut_down()) {
    return ZX_ERR_BAD_STATE;
  }
  return zx_task_resume_from_exception(task, port_, options);
}
