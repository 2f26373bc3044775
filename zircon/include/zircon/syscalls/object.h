// <zircon/syscalls/object.h>: the topics of zx_object_get_info() and the records they return.
//
// Types and constants only. A record is returned only for the topics portloop implements (see
// zx_object_get_info() in <zircon/syscalls.h>); the rest are listed so that code naming them
// compiles.

#ifndef ZIRCON_SYSCALLS_OBJECT_H_
#define ZIRCON_SYSCALLS_OBJECT_H_

#include <zircon/compiler.h>
#include <zircon/syscalls/exception.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// clang-format off

// Topics of zx_object_get_info(); the comment names what the buffer receives.
typedef uint32_t zx_object_info_topic_t;
#define ZX_INFO_NONE                    ((zx_object_info_topic_t)0u)
#define ZX_INFO_HANDLE_VALID            ((zx_object_info_topic_t)1u)   // nothing; checks the handle
#define ZX_INFO_HANDLE_BASIC            ((zx_object_info_topic_t)2u)   // zx_info_handle_basic_t[1]
#define ZX_INFO_PROCESS                 ((zx_object_info_topic_t)3u)   // zx_info_process_t[1]
#define ZX_INFO_PROCESS_THREADS         ((zx_object_info_topic_t)4u)   // zx_koid_t[n]
#define ZX_INFO_VMAR                    ((zx_object_info_topic_t)7u)   // zx_info_vmar_t[1]
#define ZX_INFO_JOB_CHILDREN            ((zx_object_info_topic_t)8u)   // zx_koid_t[n]
#define ZX_INFO_JOB_PROCESSES           ((zx_object_info_topic_t)9u)   // zx_koid_t[n]
#define ZX_INFO_THREAD                  ((zx_object_info_topic_t)10u)  // zx_info_thread_t[1]
#define ZX_INFO_THREAD_EXCEPTION_REPORT ((zx_object_info_topic_t)11u)  // zx_exception_report_t[1]
#define ZX_INFO_TASK_STATS              ((zx_object_info_topic_t)12u)  // zx_info_task_stats_t[1]
#define ZX_INFO_PROCESS_MAPS            ((zx_object_info_topic_t)13u)
#define ZX_INFO_PROCESS_VMOS            ((zx_object_info_topic_t)14u)
#define ZX_INFO_THREAD_STATS            ((zx_object_info_topic_t)15u)  // zx_info_thread_stats_t[1]
#define ZX_INFO_CPU_STATS               ((zx_object_info_topic_t)16u)
#define ZX_INFO_KMEM_STATS              ((zx_object_info_topic_t)17u)
#define ZX_INFO_RESOURCE                ((zx_object_info_topic_t)18u)
#define ZX_INFO_HANDLE_COUNT            ((zx_object_info_topic_t)19u)  // zx_info_handle_count_t[1]
#define ZX_INFO_BTI                     ((zx_object_info_topic_t)20u)
#define ZX_INFO_PROCESS_HANDLE_STATS    ((zx_object_info_topic_t)21u)
#define ZX_INFO_SOCKET                  ((zx_object_info_topic_t)22u)
#define ZX_INFO_VMO                     ((zx_object_info_topic_t)23u)

// Properties of an object, in zx_info_handle_basic_t::props.
typedef uint32_t zx_obj_props_t;
#define ZX_OBJ_PROP_NONE     ((zx_obj_props_t)0u)
#define ZX_OBJ_PROP_WAITABLE ((zx_obj_props_t)1u)  // the object has signals and can be waited on

// clang-format on

// ZX_INFO_HANDLE_BASIC: what a handle names.
typedef struct zx_info_handle_basic {
  zx_koid_t koid;          // the object's kernel object id
  zx_rights_t rights;      // the rights of this handle
  zx_obj_type_t type;      // a ZX_OBJ_TYPE_* value
  zx_koid_t related_koid;  // the peer's koid (channel, event pair) or 0; never changes
  zx_obj_props_t props;    // ZX_OBJ_PROP_WAITABLE or ZX_OBJ_PROP_NONE
} zx_info_handle_basic_t;

// ZX_INFO_HANDLE_COUNT: how many handles refer to the object.
typedef struct zx_info_handle_count {
  uint32_t handle_count;
} zx_info_handle_count_t;

// ZX_INFO_PROCESS: the life-cycle state of a process.
typedef struct zx_info_process {
  int64_t return_code;     // valid only when `exited`
  bool started;            // the process has ever run
  bool exited;             // the process has ended and `return_code` is set
  bool debugger_attached;  // a debugger exception port is bound
} zx_info_process_t;

// A thread's state: a ZX_THREAD_STATE_* value.
typedef uint32_t zx_thread_state_t;

// ZX_INFO_THREAD: what a thread is doing.
typedef struct zx_info_thread {
  zx_thread_state_t state;
  // When `state` is ZX_THREAD_STATE_BLOCKED_EXCEPTION, the kind of port the exception waits on
  // (a ZX_EXCEPTION_PORT_TYPE_* value of <zircon/syscalls/exception.h>); otherwise
  // ZX_EXCEPTION_PORT_TYPE_NONE.
  uint32_t wait_exception_port_type;
} zx_info_thread_t;

// ZX_INFO_THREAD_STATS: CPU time used by a thread.
typedef struct zx_info_thread_stats {
  zx_duration_t total_runtime;
} zx_info_thread_stats_t;

// ZX_INFO_TASK_STATS: memory used by a task (sizes in bytes).
typedef struct zx_info_task_stats {
  size_t mem_mapped_bytes;
  size_t mem_private_bytes;
  size_t mem_shared_bytes;
  size_t mem_scaled_shared_bytes;
} zx_info_task_stats_t;

// ZX_INFO_VMAR: the range covered by a VMAR.
typedef struct zx_info_vmar {
  uintptr_t base;
  size_t len;
} zx_info_vmar_t;

// clang-format off

// Basic thread states (zx_info_thread_t::state).
#define ZX_THREAD_STATE_NEW       ((zx_thread_state_t)0x0000u)
#define ZX_THREAD_STATE_RUNNING   ((zx_thread_state_t)0x0001u)
#define ZX_THREAD_STATE_SUSPENDED ((zx_thread_state_t)0x0002u)
// Never reported alone: a blocked thread reports one of the ZX_THREAD_STATE_BLOCKED_* below.
#define ZX_THREAD_STATE_BLOCKED   ((zx_thread_state_t)0x0003u)
#define ZX_THREAD_STATE_DYING     ((zx_thread_state_t)0x0004u)
#define ZX_THREAD_STATE_DEAD      ((zx_thread_state_t)0x0005u)

// Blocked states, with the reason in bits 8-15.
#define ZX_THREAD_STATE_BLOCKED_EXCEPTION ((zx_thread_state_t)0x0103u)
#define ZX_THREAD_STATE_BLOCKED_SLEEPING  ((zx_thread_state_t)0x0203u)
#define ZX_THREAD_STATE_BLOCKED_FUTEX     ((zx_thread_state_t)0x0303u)
#define ZX_THREAD_STATE_BLOCKED_PORT      ((zx_thread_state_t)0x0403u)
#define ZX_THREAD_STATE_BLOCKED_CHANNEL   ((zx_thread_state_t)0x0503u)
#define ZX_THREAD_STATE_BLOCKED_WAIT_ONE  ((zx_thread_state_t)0x0603u)
#define ZX_THREAD_STATE_BLOCKED_WAIT_MANY ((zx_thread_state_t)0x0703u)
#define ZX_THREAD_STATE_BLOCKED_INTERRUPT ((zx_thread_state_t)0x0803u)
#define ZX_THREAD_STATE_BLOCKED_PAGER     ((zx_thread_state_t)0x0903u)

// Reduces a state to its basic state, e.g. any BLOCKED_* to ZX_THREAD_STATE_BLOCKED.
#define ZX_THREAD_STATE_BASIC(n) ((n) & 0xff)

// Properties for zx_object_get_property()/zx_object_set_property().
#define ZX_PROP_NAME ((uint32_t)3u)  // char[ZX_MAX_NAME_LEN]

// clang-format on

__END_CDECLS

#endif  // ZIRCON_SYSCALLS_OBJECT_H_
