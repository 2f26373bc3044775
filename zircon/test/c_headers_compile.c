// Builds every public Zircon header as C11, and uses their constants, types and inline functions
// so that they are really compiled. Layout and value checks are static; CHeadersRunChecks() is
// called from headers_test.cc so that the C inline functions also run.

#include <zircon/assert.h>
#include <zircon/compiler.h>
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/listnode.h>
#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/hypervisor.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/time.h>
#include <zircon/types.h>

#include <stddef.h>
#include <threads.h>

#ifdef __cplusplus
#error "c_headers_compile.c must be compiled as C"
#endif

// Statuses.
_Static_assert(ZX_OK == 0, "");
_Static_assert(ZX_ERR_INTERNAL == -1, "");
_Static_assert(ZX_ERR_BAD_HANDLE == -11, "");
_Static_assert(ZX_ERR_SHOULD_WAIT == -22, "");
_Static_assert(ZX_ERR_ACCESS_DENIED == -30, "");
_Static_assert(ZX_ERR_CONNECTION_ABORTED == -76, "");

// Rights and the computed default rights.
_Static_assert(ZX_RIGHTS_BASIC == 0xC003, "");
_Static_assert(ZX_RIGHTS_IO == 0xC, "");
_Static_assert(ZX_RIGHT_SAME_RIGHTS == 0x80000000u, "");
_Static_assert(ZX_DEFAULT_EVENT_RIGHTS == 0xD003, "");
_Static_assert(ZX_DEFAULT_EVENTPAIR_RIGHTS == 0xF003, "");
_Static_assert(ZX_DEFAULT_CHANNEL_RIGHTS == 0xF00E, "");
_Static_assert(ZX_DEFAULT_PORT_RIGHTS == 0x800F, "");
_Static_assert(ZX_DEFAULT_TIMER_RIGHTS == 0xD00B, "");
_Static_assert(ZX_DEFAULT_SOCKET_RIGHTS == 0xF0CF, "");
_Static_assert(ZX_DEFAULT_FIFO_RIGHTS == 0xF00F, "");
_Static_assert(ZX_DEFAULT_GUEST_RIGHTS == 0x2800B, "");
_Static_assert(ZX_DEFAULT_VCPU_RIGHTS == 0xD01F, "");
_Static_assert(ZX_DEFAULT_THREAD_RIGHTS == 0x4D2CF, "");
_Static_assert(ZX_DEFAULT_PROCESS_RIGHTS == 0x6D3CF, "");
_Static_assert(ZX_DEFAULT_JOB_RIGHTS == 0x3DFCF, "");
_Static_assert(ZX_DEFAULT_VMO_RIGHTS == 0xD0FF, "");
_Static_assert(ZX_DEFAULT_VMAR_RIGHTS == 0x8003, "");

// Types, time units and signals.
_Static_assert(sizeof(zx_handle_t) == 4 && sizeof(zx_koid_t) == 8, "");
_Static_assert(ZX_HOUR(1) == 3600000000000LL, "");
_Static_assert(ZX_MSEC(2) == 2000000, "");
_Static_assert(ZX_USER_SIGNAL_0 == 0x01000000u && ZX_USER_SIGNAL_7 == 0x80000000u, "");
_Static_assert(ZX_SIGNAL_HANDLE_CLOSED == 0x00800000u, "");
_Static_assert(ZX_EVENTPAIR_SIGNAL_MASK == 0xFF00000Cu, "");
_Static_assert(ZX_SOCKET_WRITE_THRESHOLD == 0x800u, "");
_Static_assert(ZX_OBJ_TYPE_TIMER == 22 && ZX_OBJ_TYPE_LAST == 29, "");
_Static_assert(sizeof(zx_wait_item_t) == 12 && sizeof(zx_handle_info_t) == 16, "");

// Packets.
_Static_assert(sizeof(zx_port_packet_t) == 48, "");
_Static_assert(offsetof(zx_port_packet_t, type) == 8, "");
_Static_assert(offsetof(zx_port_packet_t, status) == 12, "");
_Static_assert(offsetof(zx_port_packet_t, signal) == 16, "");
_Static_assert(offsetof(zx_packet_signal_t, count) == 8, "");
_Static_assert(offsetof(zx_packet_guest_vcpu_t, type) == 16, "");
_Static_assert(ZX_PKT_TYPE_EXCEPTION(1) == 0x108, "");
_Static_assert(ZX_PKT_IS_EXCEPTION(ZX_EXCP_THREAD_EXITING), "");
_Static_assert(!ZX_PKT_IS_EXCEPTION(ZX_PKT_TYPE_SIGNAL_ONE), "");
_Static_assert(ZX_PKT_IS_PAGE_REQUEST(9), "");

// Exceptions, threads and hypervisor.
_Static_assert(ZX_EXCP_FATAL_PAGE_FAULT == 0x108, "");
_Static_assert(ZX_EXCP_UNALIGNED_ACCESS == 0x508, "");
_Static_assert(ZX_EXCP_THREAD_STARTING == 0x8008, "");
_Static_assert(ZX_EXCP_PROCESS_STARTING == 0x8308, "");
_Static_assert(ZX_EXCP_IS_ARCH(ZX_EXCP_SW_BREAKPOINT), "");
_Static_assert(!ZX_EXCP_IS_ARCH(ZX_EXCP_POLICY_ERROR), "");
_Static_assert(sizeof(zx_exception_report_t) == 32, "");
_Static_assert(ZX_THREAD_STATE_BASIC(ZX_THREAD_STATE_BLOCKED_EXCEPTION) == ZX_THREAD_STATE_BLOCKED,
               "");
_Static_assert(ZX_INFO_THREAD == 10 && ZX_INFO_THREAD_EXCEPTION_REPORT == 11, "");
_Static_assert(sizeof(zx_info_handle_basic_t) == 32, "");
_Static_assert(ZX_GUEST_TRAP_IO == 2 && ZX_VCPU_IO == 1, "");
#if defined(__x86_64__)
_Static_assert(sizeof(zx_vcpu_state_t) == 17 * 8, "");
#endif

int CHeadersRunChecks(void);

// A container for the list checks.
typedef struct Item {
  int value;
  list_node_t node;
} Item;

// Returns the number of failed checks (0 when everything holds).
static int CheckList(void) {
  list_node_t list = LIST_INITIAL_VALUE(list);
  Item a = {1, LIST_INITIAL_CLEARED_VALUE};
  Item b = {2, LIST_INITIAL_CLEARED_VALUE};
  Item c = {3, LIST_INITIAL_CLEARED_VALUE};
  int failures = 0;
  list_add_tail(&list, &b.node);
  list_add_head(&list, &a.node);
  list_add_after(&b.node, &c.node);
  failures += list_length(&list) != 3;

  int expected = 1;
  Item* entry = NULL;
  list_for_every_entry(&list, entry, Item, node) { failures += entry->value != expected++; }
  failures += list_peek_tail_type(&list, Item, node) != &c;
  failures += list_remove_head_type(&list, Item, node) != &a;
  failures += list_in_list(&a.node);
  Item* temp = NULL;
  list_for_every_entry_safe(&list, entry, temp, Item, node) { list_delete(&entry->node); }
  failures += !list_is_empty(&list) || list_peek_head_type(&list, Item, node) != NULL;
  return failures;
}

// Returns the number of failed checks (0 when everything holds).
static int CheckTimeAndPackets(void) {
  int failures = 0;
  failures += zx_time_add_duration(ZX_TIME_INFINITE - 1, ZX_SEC(1)) != ZX_TIME_INFINITE;
  failures += zx_time_sub_duration(ZX_TIME_INFINITE_PAST + 1, 2) != ZX_TIME_INFINITE_PAST;
  failures += zx_time_sub_time(5, 7) != -2;
  failures += zx_duration_add_duration(ZX_MSEC(1), ZX_USEC(1)) != 1001000;
  failures += zx_duration_sub_duration(ZX_TIME_INFINITE_PAST, 1) != ZX_TIME_INFINITE_PAST;
  failures += zx_duration_mul_int64(ZX_HOUR(1), INT64_MAX) != ZX_TIME_INFINITE;
  failures += zx_duration_mul_int64(-ZX_SEC(1), INT64_MAX) != ZX_TIME_INFINITE_PAST;

  // Designated initializers in upstream field order, as client code writes them.
  zx_port_packet_t packet = {
      .key = 7,
      .type = ZX_PKT_TYPE_EXCEPTION(1),
      .status = ZX_OK,
      .exception = {.pid = 10, .tid = 11, .reserved0 = 0, .reserved1 = 0},
  };
  failures += !ZX_PKT_IS_EXCEPTION(packet.type) || packet.exception.tid != 11;
  zx_packet_signal_t signal = {ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0 | ZX_EVENT_SIGNALED, 1, 0, 0};
  zx_packet_user_t user = {.u64 = {1, 2, 3, 4}};
  zx_packet_guest_bell_t bell = {(zx_gpaddr_t)0x1000, 0, 0, 0};
  failures += signal.count != 1 || user.c8[8] != 2 || bell.addr != 0x1000;

  zx_info_thread_t info = {ZX_THREAD_STATE_BLOCKED_EXCEPTION, ZX_EXCEPTION_PORT_TYPE_THREAD};
  failures += info.wait_exception_port_type != 2;
  return failures;
}

int CHeadersRunChecks(void) {
  ZX_ASSERT(ZX_HANDLE_INVALID == 0);
  ZX_DEBUG_ASSERT_MSG(ZX_OK == 0, "status %d", ZX_OK);
  // Referenced, not called: the functions only have to be declared with these types.
  zx_status_t (*close_fn)(zx_handle_t) = zx_handle_close;
  const char* (*status_string)(zx_status_t) = zx_status_get_string;
  int (*create_named)(thrd_t*, thrd_start_t, void*, const char*) = thrd_create_with_name;
  int failures = (close_fn == NULL) + (status_string == NULL) + (create_named == NULL);
  return failures + CheckList() + CheckTimeAndPackets();
}
