// __zx_panic(): the failure path of ZX_PANIC and the ZX_ASSERT family (<zircon/assert.h>).

#include <zircon/assert.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

extern "C" void __zx_panic(const char* fmt, ...) noexcept {
  va_list args;
  va_start(args, fmt);
  vfprintf(stderr, fmt, args);
  va_end(args);
  // stderr is unbuffered, but flush anyway in case a program made it buffered: abort() does not
  // flush stdio streams, and the message is the only trace of the failure.
  fflush(stderr);
  abort();
}
