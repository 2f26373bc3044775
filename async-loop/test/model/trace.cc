#include "async-loop/test/model/trace.h"

#include <zircon/status.h>
#include <zircon/syscalls/port.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace loop_model {
namespace {

// Lines shown before and after the first difference.
constexpr ptrdiff_t kContextLines = 8;

std::string Hex(uint64_t value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%#" PRIx64, value);
  return text;
}

}  // namespace

std::string StatusLine(Flavor flavor, const Op& op, zx_status_t status) {
  return PrintOp(flavor, op) + " -> " + zx_status_get_string(status);
}

std::string DoneLine(Flavor flavor, const Op& op) { return PrintOp(flavor, op) + " done"; }

std::string RanLine(Flavor flavor, const Op& op, bool ran) {
  return PrintOp(flavor, op) + (ran ? " -> true" : " -> false");
}

std::string SkippedLine(Flavor flavor, const Op& op) {
  return PrintOp(flavor, op) + " skipped: still pending";
}

std::string TaskLine(Flavor flavor, int task, zx_status_t status, int64_t now) {
  std::string line =
      "  task[" + std::to_string(task) + "] handler(" + zx_status_get_string(status) + ")";
  if (flavor == Flavor::kTestLoop) {
    line += " at start + " + std::to_string(now);
  }
  return line;
}

std::string WaitLine(int wait, zx_status_t status, const zx_packet_signal_t* signal) {
  std::string line =
      "  wait[" + std::to_string(wait) + "] handler(" + zx_status_get_string(status) + ", ";
  if (signal == nullptr) {
    return line + "null)";
  }
  return line + "trigger=" + Hex(signal->trigger) + " observed=" + Hex(signal->observed) +
         " count=" + std::to_string(signal->count) + ")";
}

std::string PacketLine(int receiver, zx_status_t status, bool has_data, uint64_t number) {
  return "  receiver[" + std::to_string(receiver) + "] handler(" + zx_status_get_string(status) +
         ", " + (has_data ? "packet #" + std::to_string(number) : std::string("null")) + ")";
}

ptrdiff_t FirstDifference(const Trace& expected, const Trace& actual) {
  const size_t common = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < common; i++) {
    if (expected[i] != actual[i]) {
      return static_cast<ptrdiff_t>(i);
    }
  }
  return expected.size() == actual.size() ? -1 : static_cast<ptrdiff_t>(common);
}

std::string DescribeDifference(const Trace& expected, const Trace& actual) {
  const ptrdiff_t first = FirstDifference(expected, actual);
  if (first < 0) {
    return "the traces are equal\n";
  }
  auto window = [first](const Trace& trace, const char* title) {
    std::string text = std::string(title) + ":\n";
    const ptrdiff_t begin = std::max<ptrdiff_t>(0, first - kContextLines);
    const ptrdiff_t end =
        std::min<ptrdiff_t>(static_cast<ptrdiff_t>(trace.size()), first + kContextLines + 1);
    if (begin > 0) {
      text += "      ...\n";
    }
    for (ptrdiff_t i = begin; i < end; i++) {
      text += (i == first ? "  >> " : "     ") + trace[static_cast<size_t>(i)] + "\n";
    }
    if (first >= static_cast<ptrdiff_t>(trace.size())) {
      text += "  >> (trace ends)\n";
    } else if (end < static_cast<ptrdiff_t>(trace.size())) {
      text += "      ...\n";
    }
    return text;
  };
  return "first difference at line " + std::to_string(first) + "\n" +
         window(expected, "model (expected)") + window(actual, "implementation (actual)");
}

}  // namespace loop_model
