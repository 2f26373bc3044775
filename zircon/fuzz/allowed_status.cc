#include "zircon/fuzz/allowed_status.h"

#include <zircon/status.h>

#include <cstdio>
#include <cstdlib>

namespace zircon::fuzz {
namespace {

bool g_tracing = false;  // set once, before the first input

}  // namespace

void SetTracing(bool on) { g_tracing = on; }
bool Tracing() { return g_tracing; }

void CheckStatus(const char* call, const StatusSet& allowed, zx_status_t status) {
  if (g_tracing) {
    std::fprintf(stderr, "  %s -> %s\n", call, zx_status_get_string(status));
  }
  if (allowed.Contains(status)) {
    return;
  }
  std::fprintf(stderr, "zx fuzzer: %s returned %s (%d), a status Zircon never returns for it\n",
               call, zx_status_get_string(status), status);
  std::abort();
}

void CheckContract(bool condition, const char* call, const char* message) {
  if (condition) {
    return;
  }
  std::fprintf(stderr, "zx fuzzer: %s broke its contract: %s\n", call, message);
  std::abort();
}

}  // namespace zircon::fuzz
