// <zircon/types.h>: the scalar types, signals, object types and small structures of the Zircon
// ABI, plus (through the headers it includes) every status code and right.
//
// Compiles as C11 and C++. Client code relies on this header bringing in <zircon/compiler.h>,
// <zircon/errors.h>, <zircon/limits.h> and <zircon/rights.h>.

#ifndef ZIRCON_TYPES_H_
#define ZIRCON_TYPES_H_

#include <zircon/compiler.h>
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/rights.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __cplusplus
#include <stdatomic.h>
#endif

__BEGIN_CDECLS

// clang-format off

// ---- Handles and statuses ----

// A per-process name for (object, rights). Values are opaque; only ZX_HANDLE_INVALID is fixed.
typedef uint32_t zx_handle_t;
// Never names a handle. Closing it is a no-op; any other use returns ZX_ERR_BAD_HANDLE.
#define ZX_HANDLE_INVALID ((zx_handle_t)0)

// ZX_OK or one of the ZX_ERR_* values of <zircon/errors.h>.
typedef int32_t zx_status_t;

// ---- Time ----

// An absolute time in nanoseconds, on the monotonic clock unless stated otherwise.
typedef int64_t zx_time_t;
// A signed span of time in nanoseconds.
typedef int64_t zx_duration_t;
// A span of time in ticks of the clock behind zx_ticks_get().
typedef uint64_t zx_ticks_t;

// Deadlines that never arrive / have always passed; also the saturation limits of
// <zircon/time.h>.
#define ZX_TIME_INFINITE      INT64_MAX
#define ZX_TIME_INFINITE_PAST INT64_MIN

// Durations from integer counts of units (computed in long long, not saturating).
#define ZX_NSEC(n) ((zx_duration_t)(1LL * (n)))
#define ZX_USEC(n) ((zx_duration_t)(1000LL * (n)))
#define ZX_MSEC(n) ((zx_duration_t)(1000000LL * (n)))
#define ZX_SEC(n)  ((zx_duration_t)(1000000000LL * (n)))
#define ZX_MIN(n)  (ZX_SEC(n) * 60LL)
#define ZX_HOUR(n) (ZX_MIN(n) * 60LL)

// Clock ids for zx_clock_get() and zx_timer_create().
typedef uint32_t zx_clock_t;
#define ZX_CLOCK_MONOTONIC ((zx_clock_t)0)  // time since boot; never goes back
#define ZX_CLOCK_UTC       ((zx_clock_t)1)  // wall-clock time
#define ZX_CLOCK_THREAD    ((zx_clock_t)2)  // CPU time consumed by the calling thread

// ---- Signals ----

// The 32 signal bits of a waitable object. Bits 0-23 are maintained by the object; bits 24-31
// are user signals, set and cleared only through zx_object_signal()/zx_object_signal_peer().
typedef uint32_t zx_signals_t;

#define ZX_SIGNAL_NONE     ((zx_signals_t)0u)
#define ZX_USER_SIGNAL_ALL ((zx_signals_t)0xff000000u)

// Generic bit names; not for direct use (use the object-specific names below).
#define __ZX_OBJECT_SIGNAL_ALL    ((zx_signals_t)0x00ffffffu)
#define __ZX_OBJECT_READABLE      ((zx_signals_t)1u << 0)
#define __ZX_OBJECT_WRITABLE      ((zx_signals_t)1u << 1)
#define __ZX_OBJECT_PEER_CLOSED   ((zx_signals_t)1u << 2)
#define __ZX_OBJECT_SIGNALED      ((zx_signals_t)1u << 3)
#define __ZX_OBJECT_SIGNAL_4      ((zx_signals_t)1u << 4)
#define __ZX_OBJECT_SIGNAL_5      ((zx_signals_t)1u << 5)
#define __ZX_OBJECT_SIGNAL_6      ((zx_signals_t)1u << 6)
#define __ZX_OBJECT_SIGNAL_7      ((zx_signals_t)1u << 7)
#define __ZX_OBJECT_SIGNAL_8      ((zx_signals_t)1u << 8)
#define __ZX_OBJECT_SIGNAL_9      ((zx_signals_t)1u << 9)
#define __ZX_OBJECT_SIGNAL_10     ((zx_signals_t)1u << 10)
#define __ZX_OBJECT_SIGNAL_11     ((zx_signals_t)1u << 11)
#define __ZX_OBJECT_SIGNAL_12     ((zx_signals_t)1u << 12)
#define __ZX_OBJECT_SIGNAL_13     ((zx_signals_t)1u << 13)
#define __ZX_OBJECT_SIGNAL_14     ((zx_signals_t)1u << 14)
#define __ZX_OBJECT_SIGNAL_15     ((zx_signals_t)1u << 15)
#define __ZX_OBJECT_SIGNAL_16     ((zx_signals_t)1u << 16)
#define __ZX_OBJECT_SIGNAL_17     ((zx_signals_t)1u << 17)
#define __ZX_OBJECT_SIGNAL_18     ((zx_signals_t)1u << 18)
#define __ZX_OBJECT_SIGNAL_19     ((zx_signals_t)1u << 19)
#define __ZX_OBJECT_SIGNAL_20     ((zx_signals_t)1u << 20)
#define __ZX_OBJECT_SIGNAL_21     ((zx_signals_t)1u << 21)
#define __ZX_OBJECT_SIGNAL_22     ((zx_signals_t)1u << 22)
#define __ZX_OBJECT_HANDLE_CLOSED ((zx_signals_t)1u << 23)

// User signals, free for the application's own protocol.
#define ZX_USER_SIGNAL_0 ((zx_signals_t)1u << 24)
#define ZX_USER_SIGNAL_1 ((zx_signals_t)1u << 25)
#define ZX_USER_SIGNAL_2 ((zx_signals_t)1u << 26)
#define ZX_USER_SIGNAL_3 ((zx_signals_t)1u << 27)
#define ZX_USER_SIGNAL_4 ((zx_signals_t)1u << 28)
#define ZX_USER_SIGNAL_5 ((zx_signals_t)1u << 29)
#define ZX_USER_SIGNAL_6 ((zx_signals_t)1u << 30)
#define ZX_USER_SIGNAL_7 ((zx_signals_t)1u << 31)

// Synthetic: reported only by zx_object_wait_one()/zx_object_wait_many() when the waited handle
// was closed during the wait. Never part of an object's state.
#define ZX_SIGNAL_HANDLE_CLOSED __ZX_OBJECT_HANDLE_CLOSED

// Event.
#define ZX_EVENT_SIGNALED    __ZX_OBJECT_SIGNALED
#define ZX_EVENT_SIGNAL_MASK (ZX_USER_SIGNAL_ALL | __ZX_OBJECT_SIGNALED)

// Event pair.
#define ZX_EVENTPAIR_SIGNALED    __ZX_OBJECT_SIGNALED
#define ZX_EVENTPAIR_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED
#define ZX_EVENTPAIR_SIGNAL_MASK \
  (ZX_USER_SIGNAL_ALL | __ZX_OBJECT_SIGNALED | __ZX_OBJECT_PEER_CLOSED)

// Channel.
#define ZX_CHANNEL_READABLE    __ZX_OBJECT_READABLE
#define ZX_CHANNEL_WRITABLE    __ZX_OBJECT_WRITABLE
#define ZX_CHANNEL_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED

// Socket.
#define ZX_SOCKET_READABLE            __ZX_OBJECT_READABLE
#define ZX_SOCKET_WRITABLE            __ZX_OBJECT_WRITABLE
#define ZX_SOCKET_PEER_CLOSED         __ZX_OBJECT_PEER_CLOSED
#define ZX_SOCKET_PEER_WRITE_DISABLED __ZX_OBJECT_SIGNAL_4
#define ZX_SOCKET_WRITE_DISABLED      __ZX_OBJECT_SIGNAL_5
#define ZX_SOCKET_CONTROL_READABLE    __ZX_OBJECT_SIGNAL_6
#define ZX_SOCKET_CONTROL_WRITABLE    __ZX_OBJECT_SIGNAL_7
#define ZX_SOCKET_ACCEPT              __ZX_OBJECT_SIGNAL_8
#define ZX_SOCKET_SHARE               __ZX_OBJECT_SIGNAL_9
#define ZX_SOCKET_READ_THRESHOLD      __ZX_OBJECT_SIGNAL_10
#define ZX_SOCKET_WRITE_THRESHOLD     __ZX_OBJECT_SIGNAL_11
// Deprecated name of ZX_SOCKET_PEER_WRITE_DISABLED.
#define ZX_SOCKET_READ_DISABLED       ZX_SOCKET_PEER_WRITE_DISABLED

// FIFO.
#define ZX_FIFO_READABLE    __ZX_OBJECT_READABLE
#define ZX_FIFO_WRITABLE    __ZX_OBJECT_WRITABLE
#define ZX_FIFO_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED

// Tasks: jobs, processes and threads.
#define ZX_TASK_TERMINATED    __ZX_OBJECT_SIGNALED
#define ZX_JOB_NO_PROCESSES   __ZX_OBJECT_SIGNALED
#define ZX_JOB_NO_JOBS        __ZX_OBJECT_SIGNAL_4
#define ZX_PROCESS_TERMINATED __ZX_OBJECT_SIGNALED
#define ZX_THREAD_TERMINATED  __ZX_OBJECT_SIGNALED
#define ZX_THREAD_RUNNING     __ZX_OBJECT_SIGNAL_4
#define ZX_THREAD_SUSPENDED   __ZX_OBJECT_SIGNAL_5

// Log.
#define ZX_LOG_READABLE __ZX_OBJECT_READABLE
#define ZX_LOG_WRITABLE __ZX_OBJECT_WRITABLE

// Timer: asserted when the deadline passes, cleared by zx_timer_set()/zx_timer_cancel().
#define ZX_TIMER_SIGNALED __ZX_OBJECT_SIGNALED

// VMO.
#define ZX_VMO_ZERO_CHILDREN __ZX_OBJECT_SIGNALED

// Ports have no signals: they cannot be waited on.

// ---- Kernel object ids ----

// A kernel object id, unique for the life of the system (never reused).
typedef uint64_t zx_koid_t;
#define ZX_KOID_INVALID ((uint64_t)0)
#define ZX_KOID_KERNEL  ((uint64_t)1)

// ---- Channels ----

// The transaction id that zx_channel_call() writes into the first 4 bytes of a message.
typedef uint32_t zx_txid_t;

// Arguments of zx_channel_call(): the message to write and the buffers for the reply.
typedef struct zx_channel_call_args {
  const void* wr_bytes;
  const zx_handle_t* wr_handles;
  void* rd_bytes;
  zx_handle_t* rd_handles;
  uint32_t wr_num_bytes;
  uint32_t wr_num_handles;
  uint32_t rd_num_bytes;
  uint32_t rd_num_handles;
} zx_channel_call_args_t;

// zx_channel_read() option: drop a message that does not fit instead of leaving it queued.
#define ZX_CHANNEL_READ_MAY_DISCARD ((uint32_t)1u)
// Largest message zx_channel_write() accepts.
#define ZX_CHANNEL_MAX_MSG_BYTES    ((uint32_t)65536u)
#define ZX_CHANNEL_MAX_MSG_HANDLES  ((uint32_t)64u)

// ---- Waiting ----

// Largest `count` zx_object_wait_many() accepts.
#define ZX_WAIT_MANY_MAX_ITEMS ((size_t)16)

// One entry of zx_object_wait_many(): wait on `handle` for any of `waitfor`; the call stores the
// object's signal state in `pending`.
typedef struct zx_wait_item {
  zx_handle_t handle;
  zx_signals_t waitfor;
  zx_signals_t pending;
} zx_wait_item_t;

// ---- Addresses and sizes ----

typedef uintptr_t zx_vaddr_t;    // virtual address
typedef uintptr_t zx_paddr_t;    // physical address
typedef uint32_t  zx_paddr32_t;  // physical address below 4 GiB
typedef uintptr_t zx_gpaddr_t;   // guest-physical address (hypervisor)
typedef uint64_t  zx_off_t;      // offset into an object

// Longest object name (thread, process, ...), including the terminating NUL.
#define ZX_MAX_NAME_LEN ((size_t)32u)

// Per-call buffer limits of the kernel's random-number syscalls (zx_cprng_draw() itself loops and
// accepts any size).
#define ZX_CPRNG_DRAW_MAX_LEN        ((size_t)256u)
#define ZX_CPRNG_ADD_ENTROPY_MAX_LEN ((size_t)256u)

// ---- Timers ----

// zx_timer_create() options: in which direction the kernel may move a deadline by its slack.
#define ZX_TIMER_SLACK_CENTER ((uint32_t)0u)  // earlier or later
#define ZX_TIMER_SLACK_EARLY  ((uint32_t)1u)  // only earlier
#define ZX_TIMER_SLACK_LATE   ((uint32_t)2u)  // only later

// ---- Object types ----

// The type of a kernel object, as reported by ZX_INFO_HANDLE_BASIC and zx_handle_info_t.
typedef uint32_t zx_obj_type_t;

#define ZX_OBJ_TYPE_NONE          ((zx_obj_type_t)0u)
#define ZX_OBJ_TYPE_PROCESS       ((zx_obj_type_t)1u)
#define ZX_OBJ_TYPE_THREAD        ((zx_obj_type_t)2u)
#define ZX_OBJ_TYPE_VMO           ((zx_obj_type_t)3u)
#define ZX_OBJ_TYPE_CHANNEL       ((zx_obj_type_t)4u)
#define ZX_OBJ_TYPE_EVENT         ((zx_obj_type_t)5u)
#define ZX_OBJ_TYPE_PORT          ((zx_obj_type_t)6u)
#define ZX_OBJ_TYPE_INTERRUPT     ((zx_obj_type_t)9u)
#define ZX_OBJ_TYPE_PCI_DEVICE    ((zx_obj_type_t)11u)
#define ZX_OBJ_TYPE_LOG           ((zx_obj_type_t)12u)
#define ZX_OBJ_TYPE_SOCKET        ((zx_obj_type_t)14u)
#define ZX_OBJ_TYPE_RESOURCE      ((zx_obj_type_t)15u)
#define ZX_OBJ_TYPE_EVENTPAIR     ((zx_obj_type_t)16u)
#define ZX_OBJ_TYPE_JOB           ((zx_obj_type_t)17u)
#define ZX_OBJ_TYPE_VMAR          ((zx_obj_type_t)18u)
#define ZX_OBJ_TYPE_FIFO          ((zx_obj_type_t)19u)
#define ZX_OBJ_TYPE_GUEST         ((zx_obj_type_t)20u)
#define ZX_OBJ_TYPE_VCPU          ((zx_obj_type_t)21u)
#define ZX_OBJ_TYPE_TIMER         ((zx_obj_type_t)22u)
#define ZX_OBJ_TYPE_IOMMU         ((zx_obj_type_t)23u)
#define ZX_OBJ_TYPE_BTI           ((zx_obj_type_t)24u)
#define ZX_OBJ_TYPE_PROFILE       ((zx_obj_type_t)25u)
#define ZX_OBJ_TYPE_PMT           ((zx_obj_type_t)26u)
#define ZX_OBJ_TYPE_SUSPEND_TOKEN ((zx_obj_type_t)27u)
#define ZX_OBJ_TYPE_PAGER         ((zx_obj_type_t)28u)
#define ZX_OBJ_TYPE_LAST          ((zx_obj_type_t)29u)

// A received handle with its object type and rights, as returned by zx_channel_read_etc().
typedef struct zx_handle_info {
  zx_handle_t handle;
  zx_obj_type_t type;
  zx_rights_t rights;
  uint32_t unused;
} zx_handle_info_t;

// ---- Futexes ----

// The word a futex operation waits on. C sees an atomic int; C++ a plain int (C++ has no
// _Atomic), so C++ code must access it through std::atomic_ref or compiler builtins.
#ifdef __cplusplus
typedef int zx_futex_t;
#else
typedef atomic_int zx_futex_t;
#endif

// clang-format on

__END_CDECLS

#endif  // ZIRCON_TYPES_H_
