// <lib/async/receiver.h>: receivers, handlers that a dispatcher runs for user packets queued to
// them.
//
// Compiles as C11 and as C++.

#ifndef LIB_ASYNC_RECEIVER_H_
#define LIB_ASYNC_RECEIVER_H_

#include <lib/async/dispatcher.h>

__BEGIN_CDECLS

// Receives one packet.
//
// `status` is ZX_OK when a packet arrived; `data` then holds its payload and is valid only
// during the call. For any other status `data` is NULL.
typedef void(async_receiver_handler_t)(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                                       zx_status_t status, const zx_packet_user_t* data);

// A receiver of user packets, and its handler.
//
// Queued packets cannot be canceled, so the client keeps the record alive and unchanged until
// every packet queued to it has been delivered or the dispatcher has shut down. Several packets
// for the same receiver may be handled at the same time on different threads.
struct async_receiver {
  // Owned by the dispatcher; zero it with `ASYNC_STATE_INIT` before the first use.
  async_state_t state;

  // Called once for every packet delivered.
  async_receiver_handler_t* handler;
};

// Queues a packet for `receiver` on `dispatcher`. The dispatcher calls the receiver's handler
// once for it, with a copy of `*data`, or with 32 zero bytes when `data` is NULL.
//
// Packets are delivered in the order they were queued (though handlers on different threads
// may then run concurrently) and cannot be canceled. A packet still queued when the dispatcher
// shuts down may be dropped without a call. `data` is copied; `receiver` is borrowed (see
// `struct async_receiver`). Thread-safe.
//
// Returns ZX_OK if the packet was queued.
// Returns ZX_ERR_BAD_STATE if the dispatcher is shutting down.
// Returns ZX_ERR_NOT_SUPPORTED if the dispatcher does not support packets.
// Other statuses are possible when the dispatcher cannot queue the packet, e.g.
// ZX_ERR_SHOULD_WAIT from a full port.
zx_status_t async_queue_packet(async_dispatcher_t* dispatcher, async_receiver_t* receiver,
                               const zx_packet_user_t* data) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // LIB_ASYNC_RECEIVER_H_
