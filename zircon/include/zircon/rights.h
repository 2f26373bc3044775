// <zircon/rights.h>: handle rights, their usual groups, and the rights a new handle starts with.
//
// A right is one bit of `zx_rights_t`; each syscall names the rights it needs (see
// <zircon/syscalls.h>). A handle's rights never grow: duplicating or replacing a handle can
// only keep or drop rights.

#ifndef ZIRCON_RIGHTS_H_
#define ZIRCON_RIGHTS_H_

#include <zircon/compiler.h>

#include <stdint.h>

__BEGIN_CDECLS

// A set of rights, one bit per right.
typedef uint32_t zx_rights_t;

// clang-format off

#define ZX_RIGHT_NONE             ((zx_rights_t)0u)
#define ZX_RIGHT_DUPLICATE        ((zx_rights_t)1u << 0)   // zx_handle_duplicate()
#define ZX_RIGHT_TRANSFER         ((zx_rights_t)1u << 1)   // send the handle over a channel
#define ZX_RIGHT_READ             ((zx_rights_t)1u << 2)   // read data, wait on a port
#define ZX_RIGHT_WRITE            ((zx_rights_t)1u << 3)   // write data, queue to a port, set a timer
#define ZX_RIGHT_EXECUTE          ((zx_rights_t)1u << 4)
#define ZX_RIGHT_MAP              ((zx_rights_t)1u << 5)
#define ZX_RIGHT_GET_PROPERTY     ((zx_rights_t)1u << 6)
#define ZX_RIGHT_SET_PROPERTY     ((zx_rights_t)1u << 7)
#define ZX_RIGHT_ENUMERATE        ((zx_rights_t)1u << 8)   // zx_object_get_child()
#define ZX_RIGHT_DESTROY          ((zx_rights_t)1u << 9)   // zx_task_kill()
#define ZX_RIGHT_SET_POLICY       ((zx_rights_t)1u << 10)
#define ZX_RIGHT_GET_POLICY       ((zx_rights_t)1u << 11)
#define ZX_RIGHT_SIGNAL           ((zx_rights_t)1u << 12)  // zx_object_signal()
#define ZX_RIGHT_SIGNAL_PEER      ((zx_rights_t)1u << 13)  // zx_object_signal_peer()
#define ZX_RIGHT_WAIT             ((zx_rights_t)1u << 14)  // zx_object_wait_{one,many,async}()
#define ZX_RIGHT_INSPECT          ((zx_rights_t)1u << 15)  // zx_object_get_info()
#define ZX_RIGHT_MANAGE_JOB       ((zx_rights_t)1u << 16)
#define ZX_RIGHT_MANAGE_PROCESS   ((zx_rights_t)1u << 17)
#define ZX_RIGHT_MANAGE_THREAD    ((zx_rights_t)1u << 18)
#define ZX_RIGHT_APPLY_PROFILE    ((zx_rights_t)1u << 19)
// Not a right: asks zx_handle_duplicate()/zx_handle_replace() to keep the current rights.
#define ZX_RIGHT_SAME_RIGHTS      ((zx_rights_t)1u << 31)

// Groups of rights that usually go together.
#define ZX_RIGHTS_BASIC    (ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT)
#define ZX_RIGHTS_IO       (ZX_RIGHT_READ | ZX_RIGHT_WRITE)
#define ZX_RIGHTS_PROPERTY (ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY)
#define ZX_RIGHTS_POLICY   (ZX_RIGHT_GET_POLICY | ZX_RIGHT_SET_POLICY)

// The rights of the handle(s) returned by each object's create call. The value in each comment
// is the computed result, checked by zircon/test/c_headers_compile.c.

// zx_event_create(): 0xD003.
#define ZX_DEFAULT_EVENT_RIGHTS     (ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL)

// zx_eventpair_create(): 0xF003.
#define ZX_DEFAULT_EVENTPAIR_RIGHTS (ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER)

// zx_channel_create(): 0xF00E. Channel handles cannot be duplicated.
#define ZX_DEFAULT_CHANNEL_RIGHTS \
    ((ZX_RIGHTS_BASIC & (~ZX_RIGHT_DUPLICATE)) | ZX_RIGHTS_IO | ZX_RIGHT_SIGNAL | \
     ZX_RIGHT_SIGNAL_PEER)

// zx_port_create(): 0x800F. Ports cannot be waited on.
#define ZX_DEFAULT_PORT_RIGHTS      ((ZX_RIGHTS_BASIC & (~ZX_RIGHT_WAIT)) | ZX_RIGHTS_IO)

// zx_timer_create(): 0xD00B.
#define ZX_DEFAULT_TIMER_RIGHTS     (ZX_RIGHTS_BASIC | ZX_RIGHT_WRITE | ZX_RIGHT_SIGNAL)
// The era's misspelt name of ZX_DEFAULT_TIMER_RIGHTS, kept for code that still uses it.
#define ZX_DEFAULT_TIMERS_RIGHTS    ZX_DEFAULT_TIMER_RIGHTS

// zx_socket_create(): 0xF0CF.
#define ZX_DEFAULT_SOCKET_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY | \
     ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER)

// zx_fifo_create(): 0xF00F.
#define ZX_DEFAULT_FIFO_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER)

// zx_guest_create(): 0x2800B.
#define ZX_DEFAULT_GUEST_RIGHTS \
    (ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WRITE | ZX_RIGHT_INSPECT | \
     ZX_RIGHT_MANAGE_PROCESS)

// zx_vcpu_create(): 0xD01F.
#define ZX_DEFAULT_VCPU_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_EXECUTE | ZX_RIGHT_SIGNAL)

// zx_thread_create(): 0x4D2CF.
#define ZX_DEFAULT_THREAD_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHT_DESTROY | ZX_RIGHT_SIGNAL | \
     ZX_RIGHT_MANAGE_THREAD)

// zx_process_create(): 0x6D3CF.
#define ZX_DEFAULT_PROCESS_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHT_ENUMERATE | \
     ZX_RIGHT_DESTROY | ZX_RIGHT_SIGNAL | ZX_RIGHT_MANAGE_PROCESS | ZX_RIGHT_MANAGE_THREAD)

// zx_job_create(): 0x3DFCF.
#define ZX_DEFAULT_JOB_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHTS_POLICY | \
     ZX_RIGHT_ENUMERATE | ZX_RIGHT_DESTROY | ZX_RIGHT_SIGNAL | ZX_RIGHT_MANAGE_JOB | \
     ZX_RIGHT_MANAGE_PROCESS)

// zx_vmo_create(): 0xD0FF.
#define ZX_DEFAULT_VMO_RIGHTS \
    (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHT_EXECUTE | ZX_RIGHT_MAP | \
     ZX_RIGHT_SIGNAL)

// zx_vmar_allocate(): 0x8003.
#define ZX_DEFAULT_VMAR_RIGHTS      (ZX_RIGHTS_BASIC & (~ZX_RIGHT_WAIT))

// clang-format on

__END_CDECLS

#endif  // ZIRCON_RIGHTS_H_
