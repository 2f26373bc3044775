// Behaviour of the small pieces behind the public headers: status names, saturating time
// arithmetic, the intrusive list, assertions and named threads. c_headers_compile.c holds the
// compile-time checks of the headers as C.

#include <zircon/assert.h>
#include <zircon/errors.h>
#include <zircon/listnode.h>
#include <zircon/status.h>
#include <zircon/time.h>
#include <zircon/types.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <pthread.h>
#include <threads.h>

extern "C" int CHeadersRunChecks(void);

namespace {

// The time functions are usable in constant expressions from C++.
static_assert(zx_time_add_duration(ZX_TIME_INFINITE, 1) == ZX_TIME_INFINITE);
static_assert(zx_time_add_duration(ZX_TIME_INFINITE_PAST, -1) == ZX_TIME_INFINITE_PAST);
static_assert(zx_duration_mul_int64(INT64_MIN, -1) == ZX_TIME_INFINITE);
static_assert(zx_time_sub_time(ZX_SEC(3), ZX_SEC(1)) == ZX_SEC(2));

TEST(CHeadersTest, InlineFunctionsBehaveWhenCompiledAsC) { EXPECT_EQ(CHeadersRunChecks(), 0); }

TEST(StatusStringTest, EveryStatusMapsToItsMacroName) {
  const std::vector<std::pair<zx_status_t, std::string>> kNames = {
      {ZX_OK, "ZX_OK"},
      {ZX_ERR_INTERNAL, "ZX_ERR_INTERNAL"},
      {ZX_ERR_NOT_SUPPORTED, "ZX_ERR_NOT_SUPPORTED"},
      {ZX_ERR_NO_RESOURCES, "ZX_ERR_NO_RESOURCES"},
      {ZX_ERR_NO_MEMORY, "ZX_ERR_NO_MEMORY"},
      {ZX_ERR_INTERNAL_INTR_RETRY, "ZX_ERR_INTERNAL_INTR_RETRY"},
      {ZX_ERR_INVALID_ARGS, "ZX_ERR_INVALID_ARGS"},
      {ZX_ERR_BAD_HANDLE, "ZX_ERR_BAD_HANDLE"},
      {ZX_ERR_WRONG_TYPE, "ZX_ERR_WRONG_TYPE"},
      {ZX_ERR_BAD_SYSCALL, "ZX_ERR_BAD_SYSCALL"},
      {ZX_ERR_OUT_OF_RANGE, "ZX_ERR_OUT_OF_RANGE"},
      {ZX_ERR_BUFFER_TOO_SMALL, "ZX_ERR_BUFFER_TOO_SMALL"},
      {ZX_ERR_BAD_STATE, "ZX_ERR_BAD_STATE"},
      {ZX_ERR_TIMED_OUT, "ZX_ERR_TIMED_OUT"},
      {ZX_ERR_SHOULD_WAIT, "ZX_ERR_SHOULD_WAIT"},
      {ZX_ERR_CANCELED, "ZX_ERR_CANCELED"},
      {ZX_ERR_PEER_CLOSED, "ZX_ERR_PEER_CLOSED"},
      {ZX_ERR_NOT_FOUND, "ZX_ERR_NOT_FOUND"},
      {ZX_ERR_ALREADY_EXISTS, "ZX_ERR_ALREADY_EXISTS"},
      {ZX_ERR_ALREADY_BOUND, "ZX_ERR_ALREADY_BOUND"},
      {ZX_ERR_UNAVAILABLE, "ZX_ERR_UNAVAILABLE"},
      {ZX_ERR_ACCESS_DENIED, "ZX_ERR_ACCESS_DENIED"},
      {ZX_ERR_IO, "ZX_ERR_IO"},
      {ZX_ERR_IO_REFUSED, "ZX_ERR_IO_REFUSED"},
      {ZX_ERR_IO_DATA_INTEGRITY, "ZX_ERR_IO_DATA_INTEGRITY"},
      {ZX_ERR_IO_DATA_LOSS, "ZX_ERR_IO_DATA_LOSS"},
      {ZX_ERR_IO_NOT_PRESENT, "ZX_ERR_IO_NOT_PRESENT"},
      {ZX_ERR_IO_OVERRUN, "ZX_ERR_IO_OVERRUN"},
      {ZX_ERR_IO_MISSED_DEADLINE, "ZX_ERR_IO_MISSED_DEADLINE"},
      {ZX_ERR_IO_INVALID, "ZX_ERR_IO_INVALID"},
      {ZX_ERR_BAD_PATH, "ZX_ERR_BAD_PATH"},
      {ZX_ERR_NOT_DIR, "ZX_ERR_NOT_DIR"},
      {ZX_ERR_NOT_FILE, "ZX_ERR_NOT_FILE"},
      {ZX_ERR_FILE_BIG, "ZX_ERR_FILE_BIG"},
      {ZX_ERR_NO_SPACE, "ZX_ERR_NO_SPACE"},
      {ZX_ERR_NOT_EMPTY, "ZX_ERR_NOT_EMPTY"},
      {ZX_ERR_STOP, "ZX_ERR_STOP"},
      {ZX_ERR_NEXT, "ZX_ERR_NEXT"},
      {ZX_ERR_ASYNC, "ZX_ERR_ASYNC"},
      {ZX_ERR_PROTOCOL_NOT_SUPPORTED, "ZX_ERR_PROTOCOL_NOT_SUPPORTED"},
      {ZX_ERR_ADDRESS_UNREACHABLE, "ZX_ERR_ADDRESS_UNREACHABLE"},
      {ZX_ERR_ADDRESS_IN_USE, "ZX_ERR_ADDRESS_IN_USE"},
      {ZX_ERR_NOT_CONNECTED, "ZX_ERR_NOT_CONNECTED"},
      {ZX_ERR_CONNECTION_REFUSED, "ZX_ERR_CONNECTION_REFUSED"},
      {ZX_ERR_CONNECTION_RESET, "ZX_ERR_CONNECTION_RESET"},
      {ZX_ERR_CONNECTION_ABORTED, "ZX_ERR_CONNECTION_ABORTED"},
  };
  for (const auto& [status, name] : kNames) {
    EXPECT_EQ(zx_status_get_string(status), name) << "status " << status;
  }
}

TEST(StatusStringTest, UnusedValuesAreUnknown) {
  for (const zx_status_t status : {-5, -7, -29, -77, 1, INT32_MIN}) {
    EXPECT_STREQ(zx_status_get_string(status), "(UNKNOWN)") << "status " << status;
  }
}

TEST(TimeTest, ArithmeticSaturatesInBothDirections) {
  EXPECT_EQ(zx_time_add_duration(ZX_TIME_INFINITE - 5, 10), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_time_add_duration(ZX_TIME_INFINITE_PAST + 5, -10), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_time_sub_duration(ZX_TIME_INFINITE - 5, -10), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_time_sub_duration(ZX_TIME_INFINITE_PAST + 5, 10), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_time_sub_time(ZX_TIME_INFINITE, -1), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_time_sub_time(ZX_TIME_INFINITE_PAST, 1), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_duration_add_duration(ZX_TIME_INFINITE, ZX_SEC(1)), ZX_TIME_INFINITE);
  EXPECT_EQ(zx_duration_sub_duration(ZX_TIME_INFINITE_PAST, ZX_SEC(1)), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_duration_mul_int64(ZX_HOUR(1), -INT64_MAX), ZX_TIME_INFINITE_PAST);
  EXPECT_EQ(zx_duration_mul_int64(-ZX_HOUR(1), -INT64_MAX), ZX_TIME_INFINITE);
}

TEST(TimeTest, ArithmeticIsExactWithoutOverflow) {
  EXPECT_EQ(zx_time_add_duration(ZX_SEC(1), -ZX_MSEC(1)), ZX_MSEC(999));
  EXPECT_EQ(zx_time_sub_duration(ZX_SEC(1), ZX_MSEC(1)), ZX_MSEC(999));
  EXPECT_EQ(zx_time_sub_time(ZX_SEC(1), ZX_SEC(3)), -ZX_SEC(2));
  EXPECT_EQ(zx_duration_add_duration(ZX_MIN(1), ZX_SEC(1)), ZX_SEC(61));
  EXPECT_EQ(zx_duration_sub_duration(ZX_MIN(1), ZX_SEC(1)), ZX_SEC(59));
  EXPECT_EQ(zx_duration_mul_int64(ZX_MSEC(3), -2), -ZX_MSEC(6));
}

struct Entry {
  int value;
  list_node_t node = LIST_INITIAL_CLEARED_VALUE;
};

std::vector<int> Values(list_node_t* list) {
  std::vector<int> values;
  Entry* entry = nullptr;
  list_for_every_entry(list, entry, Entry, node) { values.push_back(entry->value); }
  return values;
}

TEST(ListNodeTest, InsertionsKeepTheirOrder) {
  list_node_t list = LIST_INITIAL_VALUE(list);
  Entry a{1}, b{2}, c{3}, d{4};
  list_add_tail(&list, &c.node);
  list_add_head(&list, &a.node);
  list_add_after(&a.node, &b.node);
  list_add_before(&list, &d.node);  // before the head: last
  EXPECT_EQ(Values(&list), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(list_length(&list), 4u);
  EXPECT_EQ(list_peek_head_type(&list, Entry, node), &a);
  EXPECT_EQ(list_peek_tail_type(&list, Entry, node), &d);
  EXPECT_EQ(list_next_type(&list, &b.node, Entry, node), &c);
  EXPECT_EQ(list_next(&list, &d.node), nullptr);
  EXPECT_EQ(list_prev(&list, &a.node), nullptr);
  EXPECT_EQ(list_next_wrap_type(&list, &d.node, Entry, node), &a);
}

TEST(ListNodeTest, DeleteClearsTheNodeSoItIsInNoList) {
  list_node_t list;
  list_initialize(&list);
  Entry a{1};
  EXPECT_FALSE(list_in_list(&a.node));
  list_add_tail(&list, &a.node);
  EXPECT_TRUE(list_in_list(&a.node));
  list_delete(&a.node);
  EXPECT_FALSE(list_in_list(&a.node));
  EXPECT_EQ(a.node.prev, nullptr);
  EXPECT_EQ(a.node.next, nullptr);
  EXPECT_TRUE(list_is_empty(&list));
}

TEST(ListNodeTest, RemovalsFromBothEndsAndSafeIteration) {
  list_node_t list = LIST_INITIAL_VALUE(list);
  Entry entries[5] = {{0}, {1}, {2}, {3}, {4}};
  for (Entry& entry : entries) {
    list_add_tail(&list, &entry.node);
  }
  EXPECT_EQ(list_remove_head_type(&list, Entry, node), &entries[0]);
  EXPECT_EQ(list_remove_tail_type(&list, Entry, node), &entries[4]);
  Entry* entry = nullptr;
  Entry* next = nullptr;
  list_for_every_entry_safe(&list, entry, next, Entry, node) {
    if (entry->value % 2 == 1) {
      list_delete(&entry->node);
    }
  }
  EXPECT_EQ(Values(&list), (std::vector<int>{2}));
  EXPECT_EQ(list_remove_head(&list), &entries[2].node);
  EXPECT_EQ(list_remove_head(&list), nullptr);
  EXPECT_EQ(list_remove_tail_type(&list, Entry, node), nullptr);
}

TEST(ListNodeTest, SpliceMovesEveryElement) {
  list_node_t from = LIST_INITIAL_VALUE(from);
  list_node_t to = LIST_INITIAL_VALUE(to);
  Entry a{1}, b{2}, c{3};
  list_add_tail(&to, &a.node);
  list_add_tail(&from, &b.node);
  list_add_tail(&from, &c.node);
  list_splice_after(&from, &a.node);
  EXPECT_TRUE(list_is_empty(&from));
  EXPECT_EQ(Values(&to), (std::vector<int>{1, 2, 3}));
  list_node_t moved;
  list_move(&to, &moved);
  EXPECT_TRUE(list_is_empty(&to));
  EXPECT_EQ(Values(&moved), (std::vector<int>{1, 2, 3}));
}

TEST(AssertDeathTest, FailedAssertPrintsLocationConditionAndMessage) {
  const int value = 1;
  EXPECT_DEATH(ZX_ASSERT_MSG(value == 2, "value=%d", value),
               "ASSERT FAILED at \\(.*headers_test.cc:[0-9]+\\): value == 2\nvalue=1");
  EXPECT_DEATH(ZX_ASSERT(value == 3), "ASSERT FAILED.*value == 3");
  EXPECT_DEATH(ZX_PANIC("panic %s", "now"), "panic now");
}

TEST(AssertDeathTest, DebugAssertFollowsNdebug) {
  const int value = 1;
#if ZX_DEBUG_ASSERT_IMPLEMENTED
  EXPECT_DEATH(ZX_DEBUG_ASSERT(value == 2), "DEBUG ASSERT FAILED.*value == 2");
#else
  ZX_DEBUG_ASSERT(value == 2);  // not checked
#endif
  ZX_ASSERT(value == 1);  // a true condition does nothing
}

// Records the calling thread's name into the std::string that `arg` points to.
int RecordThreadName(void* arg) {
  char name[16] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof(name)) != 0) {
    return 1;
  }
  *static_cast<std::string*>(arg) = name;
  return 7;
}

TEST(ThreadNameTest, ThreadRunsUnderItsNameTruncatedTo15Bytes) {
  std::string name;
  thrd_t thread;
  ASSERT_EQ(thrd_create_with_name(&thread, RecordThreadName, &name, "short-name"), thrd_success);
  int result = 0;
  ASSERT_EQ(thrd_join(thread, &result), thrd_success);
  EXPECT_EQ(result, 7);
  EXPECT_EQ(name, "short-name");

  ASSERT_EQ(
      thrd_create_with_name(&thread, RecordThreadName, &name, "a-thread-name-of-31-characters!"),
      thrd_success);
  ASSERT_EQ(thrd_join(thread, &result), thrd_success);
  EXPECT_EQ(name, "a-thread-name-o");
}

TEST(ThreadNameTest, NullNameStartsAThreadToo) {
  std::string name;
  thrd_t thread;
  ASSERT_EQ(thrd_create_with_name(&thread, RecordThreadName, &name, nullptr), thrd_success);
  int result = 0;
  ASSERT_EQ(thrd_join(thread, &result), thrd_success);
  EXPECT_EQ(result, 7);
}

}  // namespace
