// <zircon/syscalls/hypervisor.h>: guest trap kinds and vCPU state structures.
//
// Types and constants only; the trap call is zx_guest_set_trap() in <zircon/syscalls.h>.

#ifndef ZIRCON_SYSCALLS_HYPERVISOR_H_
#define ZIRCON_SYSCALLS_HYPERVISOR_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// clang-format off

// zx_guest_set_trap() kinds.
typedef uint32_t zx_guest_trap_t;
// Guest writes to the range queue ZX_PKT_TYPE_GUEST_BELL packets; the vCPU keeps running.
#define ZX_GUEST_TRAP_BELL ((zx_guest_trap_t)0u)
// Guest accesses to the range stop the vCPU with a ZX_PKT_TYPE_GUEST_MEM packet.
#define ZX_GUEST_TRAP_MEM  ((zx_guest_trap_t)1u)
// Guest accesses to the I/O-port range stop the vCPU with a ZX_PKT_TYPE_GUEST_IO packet.
#define ZX_GUEST_TRAP_IO   ((zx_guest_trap_t)2u)

// Kinds of vCPU state for zx_vcpu_read_state()/zx_vcpu_write_state().
typedef uint32_t zx_vcpu_t;
#define ZX_VCPU_STATE ((zx_vcpu_t)0u)  // zx_vcpu_state_t
#define ZX_VCPU_IO    ((zx_vcpu_t)1u)  // zx_vcpu_io_t

// clang-format on

// The general-purpose registers of a vCPU.
typedef struct zx_vcpu_state {
#if defined(__aarch64__)
  uint64_t x[31];
  uint64_t sp;
  uint32_t cpsr;  // only the user-controllable NZCV bits
#elif defined(__x86_64__)
  uint64_t rax;
  uint64_t rcx;
  uint64_t rdx;
  uint64_t rbx;
  uint64_t rsp;
  uint64_t rbp;
  uint64_t rsi;
  uint64_t rdi;
  uint64_t r8;
  uint64_t r9;
  uint64_t r10;
  uint64_t r11;
  uint64_t r12;
  uint64_t r13;
  uint64_t r14;
  uint64_t r15;
  uint64_t rflags;  // only the user-controllable low 32 bits
#else
  // Linux: other architectures have no Zircon layout.
  uint64_t reserved;
#endif
} zx_vcpu_state_t;

// The result of a trapped I/O-port read, written back with ZX_VCPU_IO.
typedef struct zx_vcpu_io {
  uint8_t access_size;
  union {
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint8_t data[4];
  };
} zx_vcpu_io_t;

__END_CDECLS

#endif  // ZIRCON_SYSCALLS_HYPERVISOR_H_
