// <zircon/syscalls/port.h>: port packets and the options of the calls that produce them.
//
// A port is a thread-safe FIFO of `zx_port_packet_t`. Packets arrive from zx_port_queue() (user
// packets), from zx_object_wait_async() (signal packets), from exception ports and from guest
// traps; zx_port_wait() takes them out one at a time.
//
// Field order and sizes are ABI: every payload is exactly 32 bytes and `zx_port_packet_t` is
// 48 bytes, checked below, and client code fills them with positional and designated initializers.

#ifndef ZIRCON_SYSCALLS_PORT_H_
#define ZIRCON_SYSCALLS_PORT_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// clang-format off

// zx_object_wait_async() options.
#define ZX_WAIT_ASYNC_ONCE      ((uint32_t)0u)  // one packet, then the wait is gone
#define ZX_WAIT_ASYNC_REPEATING ((uint32_t)1u)  // a packet on every matching state change

// zx_port_create() options.
#define ZX_PORT_BIND_TO_INTERRUPT ((uint32_t)(0x1u << 0))

// Packet types: the low 8 bits of `zx_port_packet_t::type`.
#define ZX_PKT_TYPE_USER         ((uint8_t)0x00u)  // zx_port_queue(); payload `user`
#define ZX_PKT_TYPE_SIGNAL_ONE   ((uint8_t)0x01u)  // ZX_WAIT_ASYNC_ONCE; payload `signal`
#define ZX_PKT_TYPE_SIGNAL_REP   ((uint8_t)0x02u)  // ZX_WAIT_ASYNC_REPEATING; payload `signal`
#define ZX_PKT_TYPE_GUEST_BELL   ((uint8_t)0x03u)  // ZX_GUEST_TRAP_BELL; payload `guest_bell`
#define ZX_PKT_TYPE_GUEST_MEM    ((uint8_t)0x04u)  // payload `guest_mem`
#define ZX_PKT_TYPE_GUEST_IO     ((uint8_t)0x05u)  // payload `guest_io`
#define ZX_PKT_TYPE_GUEST_VCPU   ((uint8_t)0x06u)  // payload `guest_vcpu`
#define ZX_PKT_TYPE_INTERRUPT    ((uint8_t)0x07u)  // payload `interrupt`
#define ZX_PKT_TYPE_PAGE_REQUEST ((uint8_t)0x09u)  // payload `page_request`
// Exception packets carry the exception kind `n` (see ZX_EXCP_* in <zircon/syscalls/exception.h>)
// in bits 8-15; payload `exception`.
#define ZX_PKT_TYPE_EXCEPTION(n) ((uint32_t)(0x08u | (((n) & 0xFFu) << 8)))

#define ZX_PKT_TYPE_MASK ((uint32_t)0x000000FFu)

// Packet-type predicates on a `zx_port_packet_t::type` value.
#define ZX_PKT_IS_USER(type)         ((type) == ZX_PKT_TYPE_USER)
#define ZX_PKT_IS_SIGNAL_ONE(type)   ((type) == ZX_PKT_TYPE_SIGNAL_ONE)
#define ZX_PKT_IS_SIGNAL_REP(type)   ((type) == ZX_PKT_TYPE_SIGNAL_REP)
#define ZX_PKT_IS_GUEST_BELL(type)   ((type) == ZX_PKT_TYPE_GUEST_BELL)
#define ZX_PKT_IS_GUEST_MEM(type)    ((type) == ZX_PKT_TYPE_GUEST_MEM)
#define ZX_PKT_IS_GUEST_IO(type)     ((type) == ZX_PKT_TYPE_GUEST_IO)
#define ZX_PKT_IS_GUEST_VCPU(type)   ((type) == ZX_PKT_TYPE_GUEST_VCPU)
#define ZX_PKT_IS_INTERRUPT(type)    ((type) == ZX_PKT_TYPE_INTERRUPT)
#define ZX_PKT_IS_PAGE_REQUEST(type) ((type) == ZX_PKT_TYPE_PAGE_REQUEST)
#define ZX_PKT_IS_EXCEPTION(type)    (((type) & ZX_PKT_TYPE_MASK) == ZX_PKT_TYPE_EXCEPTION(0))

// zx_packet_guest_vcpu_t::type.
#define ZX_PKT_GUEST_VCPU_INTERRUPT ((uint8_t)0)
#define ZX_PKT_GUEST_VCPU_STARTUP   ((uint8_t)1)

// zx_packet_page_request_t::command.
#define ZX_PAGER_VMO_READ     ((uint16_t)0)
#define ZX_PAGER_VMO_COMPLETE ((uint16_t)1)

// clang-format on

// ZX_PKT_TYPE_USER: 32 bytes chosen by the queuer, delivered unchanged.
typedef union zx_packet_user {
  uint64_t u64[4];
  uint32_t u32[8];
  uint16_t u16[16];
  uint8_t c8[32];
} zx_packet_user_t;

// ZX_PKT_TYPE_SIGNAL_ONE / ZX_PKT_TYPE_SIGNAL_REP: an async wait matched.
typedef struct zx_packet_signal {
  zx_signals_t trigger;   // the signals the wait asked for
  zx_signals_t observed;  // the object's whole signal state when the packet was queued
  uint64_t count;         // 1, or the number of queued messages for a channel's first packet
  uint64_t reserved0;
  uint64_t reserved1;
} zx_packet_signal_t;

// ZX_PKT_TYPE_EXCEPTION(n): a thread took exception `n` and waits for an answer. The details are
// read with ZX_INFO_THREAD_EXCEPTION_REPORT, not carried here.
typedef struct zx_packet_exception {
  uint64_t pid;  // koid of the faulting thread's process
  uint64_t tid;  // koid of the faulting thread
  uint64_t reserved0;
  uint64_t reserved1;
} zx_packet_exception_t;

// ZX_PKT_TYPE_GUEST_BELL: the guest wrote inside a bell trap.
typedef struct zx_packet_guest_bell {
  zx_gpaddr_t addr;  // guest-physical address written
  uint64_t reserved0;
  uint64_t reserved1;
  uint64_t reserved2;
} zx_packet_guest_bell_t;

// ZX_PKT_TYPE_GUEST_MEM: the guest accessed a memory trap; the layout is per architecture.
typedef struct zx_packet_guest_mem {
  zx_gpaddr_t addr;
#if defined(__aarch64__)
  uint8_t access_size;
  bool sign_extend;
  uint8_t xt;
  bool read;
  uint64_t data;
  uint64_t reserved;
#elif defined(__x86_64__)
// x86 instructions are at most 15 bytes long.
#define X86_MAX_INST_LEN 15u
  uint8_t inst_len;
  uint8_t inst_buf[X86_MAX_INST_LEN];
  uint8_t default_operand_size;
  uint8_t reserved[7];
#else
  // Linux: other architectures have no Zircon layout; the payload is opaque.
  uint64_t reserved[3];
#endif
} zx_packet_guest_mem_t;

// ZX_PKT_TYPE_GUEST_IO: the guest accessed an I/O-port trap (x86).
typedef struct zx_packet_guest_io {
  uint16_t port;
  uint8_t access_size;
  bool input;
  union {
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint8_t data[4];
  };
  uint64_t reserved0;
  uint64_t reserved1;
  uint64_t reserved2;
} zx_packet_guest_io_t;

// ZX_PKT_TYPE_GUEST_VCPU: a vCPU event; `type` is a ZX_PKT_GUEST_VCPU_* value naming the member.
typedef struct zx_packet_guest_vcpu {
  union {
    struct {
      uint64_t mask;
      uint8_t vector;
    } interrupt;
    struct {
      uint64_t id;
      zx_gpaddr_t entry;
    } startup;
  };
  uint8_t type;
  uint64_t reserved;
} zx_packet_guest_vcpu_t;

// ZX_PKT_TYPE_INTERRUPT: an interrupt bound to the port fired.
typedef struct zx_packet_interrupt {
  zx_time_t timestamp;
  uint64_t reserved0;
  uint64_t reserved1;
  uint64_t reserved2;
} zx_packet_interrupt_t;

// ZX_PKT_TYPE_PAGE_REQUEST: a pager-backed VMO needs pages; `command` is a ZX_PAGER_VMO_* value.
typedef struct zx_packet_page_request {
  uint16_t command;
  uint16_t flags;
  uint32_t reserved0;
  uint64_t offset;
  uint64_t length;
  uint64_t reserved1;
} zx_packet_page_request_t;

// One port packet. `type` (a ZX_PKT_TYPE_* value) says which union member is valid; `key` is the
// value given when the source was registered (or by the queuer); `status` is ZX_OK for
// kernel-generated packets and whatever the queuer put there for user packets.
typedef struct zx_port_packet {
  uint64_t key;
  uint32_t type;
  zx_status_t status;
  union {
    zx_packet_user_t user;
    zx_packet_signal_t signal;
    zx_packet_exception_t exception;
    zx_packet_guest_bell_t guest_bell;
    zx_packet_guest_mem_t guest_mem;
    zx_packet_guest_io_t guest_io;
    zx_packet_guest_vcpu_t guest_vcpu;
    zx_packet_interrupt_t interrupt;
    zx_packet_page_request_t page_request;
  };
} zx_port_packet_t;

// Layout checks (local macro, removed again below so that it does not leak to includers).
#ifdef __cplusplus
#define ZX_PORT_STATIC_ASSERT_(cond) static_assert(cond, #cond)
#else
#define ZX_PORT_STATIC_ASSERT_(cond) _Static_assert(cond, #cond)
#endif
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_user_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_signal_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_exception_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_guest_bell_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_guest_mem_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_guest_io_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_guest_vcpu_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_interrupt_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_packet_page_request_t) == 32);
ZX_PORT_STATIC_ASSERT_(sizeof(zx_port_packet_t) == 48);
#undef ZX_PORT_STATIC_ASSERT_

__END_CDECLS

#endif  // ZIRCON_SYSCALLS_PORT_H_
