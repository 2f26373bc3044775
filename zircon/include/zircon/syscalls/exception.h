// <zircon/syscalls/exception.h>: exception kinds, exception reports, and the options of the
// exception-port calls (zx_task_bind_exception_port(), zx_task_resume_from_exception()).
//
// Types and constants only. An exception arrives at a port as a packet whose `type` is one of the
// ZX_EXCP_* values below and whose payload (`zx_packet_exception_t`) names the process and thread;
// the architectural details (`zx_exception_report_t`) are read with zx_object_get_info(thread,
// ZX_INFO_THREAD_EXCEPTION_REPORT, ...) while the thread waits for an answer.

#ifndef ZIRCON_SYSCALLS_EXCEPTION_H_
#define ZIRCON_SYSCALLS_EXCEPTION_H_

#include <zircon/compiler.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// clang-format off

// Set in the exception number for synthetic exceptions (raised by the kernel, not the CPU).
#define ZX_EXCP_SYNTH ((uint8_t)0x80)

// Architectural exceptions. Further detail is in the report's `context.arch`.
#define ZX_EXCP_GENERAL               ZX_PKT_TYPE_EXCEPTION(0)  // 0x008: none of the below
#define ZX_EXCP_FATAL_PAGE_FAULT      ZX_PKT_TYPE_EXCEPTION(1)  // 0x108: unmapped or protected access
#define ZX_EXCP_UNDEFINED_INSTRUCTION ZX_PKT_TYPE_EXCEPTION(2)  // 0x208
#define ZX_EXCP_SW_BREAKPOINT         ZX_PKT_TYPE_EXCEPTION(3)  // 0x308
#define ZX_EXCP_HW_BREAKPOINT         ZX_PKT_TYPE_EXCEPTION(4)  // 0x408
#define ZX_EXCP_UNALIGNED_ACCESS      ZX_PKT_TYPE_EXCEPTION(5)  // 0x508

// Synthetic exceptions.
// 0x8008: a thread is starting; sent only to a process's debugger port.
#define ZX_EXCP_THREAD_STARTING  ZX_PKT_TYPE_EXCEPTION(ZX_EXCP_SYNTH | 0)
// 0x8108: a thread is exiting (its state can still be read); debugger port only.
#define ZX_EXCP_THREAD_EXITING   ZX_PKT_TYPE_EXCEPTION(ZX_EXCP_SYNTH | 1)
// 0x8208: a syscall violated a job policy whose action is "raise an exception".
#define ZX_EXCP_POLICY_ERROR     ZX_PKT_TYPE_EXCEPTION(ZX_EXCP_SYNTH | 2)
// 0x8308: a process is starting; sent only to a job's debugger port.
#define ZX_EXCP_PROCESS_STARTING ZX_PKT_TYPE_EXCEPTION(ZX_EXCP_SYNTH | 3)

// clang-format on

// The kind of an exception: one of the ZX_EXCP_* values (a port packet type).
typedef uint32_t zx_excp_type_t;

// Nonzero if exception type `excp` is architectural, zero if it is synthetic.
#define ZX_EXCP_IS_ARCH(excp) \
  (((excp) & (ZX_PKT_TYPE_EXCEPTION(ZX_EXCP_SYNTH) & ~ZX_PKT_TYPE_MASK)) == 0)

// x86-64 detail of an architectural exception.
typedef struct zx_x86_64_exc_data {
  uint64_t vector;
  uint64_t err_code;
  uint64_t cr2;  // faulting address of a page fault
} zx_x86_64_exc_data_t;

// arm64 detail of an architectural exception.
typedef struct zx_arm64_exc_data {
  uint32_t esr;
  uint64_t far;  // faulting address
} zx_arm64_exc_data_t;

// Exception detail that the thread's registers do not already hold (like Linux's siginfo).
typedef struct zx_exception_context {
  struct {
    union {
      zx_x86_64_exc_data_t x86_64;
      zx_arm64_exc_data_t arm_64;
    } u;
  } arch;
} zx_exception_context_t;

// The header common to every exception report.
typedef struct zx_exception_header {
  uint32_t size;        // size in bytes of the whole report, this header included
  zx_excp_type_t type;  // a ZX_EXCP_* value
} zx_exception_header_t;

// The report returned by ZX_INFO_THREAD_EXCEPTION_REPORT.
typedef struct zx_exception_report {
  zx_exception_header_t header;
  zx_exception_context_t context;
} zx_exception_report_t;

// clang-format off

// zx_task_resume_from_exception() option: do not resume the thread; pass the exception to the
// next port in the search order (debugger, thread, process, then jobs up to the root).
// Option 0 resumes the thread at the faulting instruction.
#define ZX_RESUME_TRY_NEXT ((uint32_t)2)

// zx_task_bind_exception_port() option: bind (or unbind) the process's or job's debugger port
// instead of its ordinary exception port.
#define ZX_EXCEPTION_PORT_DEBUGGER ((uint32_t)1)

// The kind of port a thread in ZX_THREAD_STATE_BLOCKED_EXCEPTION waits on, as reported in
// zx_info_thread_t::wait_exception_port_type (<zircon/syscalls/object.h>).
#define ZX_EXCEPTION_PORT_TYPE_NONE         ((uint32_t)0u)
#define ZX_EXCEPTION_PORT_TYPE_DEBUGGER     ((uint32_t)1u)
#define ZX_EXCEPTION_PORT_TYPE_THREAD       ((uint32_t)2u)
#define ZX_EXCEPTION_PORT_TYPE_PROCESS      ((uint32_t)3u)
#define ZX_EXCEPTION_PORT_TYPE_JOB          ((uint32_t)4u)
#define ZX_EXCEPTION_PORT_TYPE_JOB_DEBUGGER ((uint32_t)5u)

// clang-format on

__END_CDECLS

#endif  // ZIRCON_SYSCALLS_EXCEPTION_H_
