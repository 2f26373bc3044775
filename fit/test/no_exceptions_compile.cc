// Compiled with -fno-exceptions, as portloop's libraries are: <lib/fit/function.h> must build
// there, for inline and heap targets alike. Nothing runs; the object file is never linked.

#include <lib/fit/function.h>

#include <memory>

namespace fit_no_exceptions_compile {

int CallEachKind() {
  char big[64] = {};
  fit::function<int(int)> heap = [big](int x) { return x + big[0]; };
  fit::inline_function<int(int)> inline_only = [](int x) { return x; };
  fit::callback<int()> once = [value = std::make_unique<int>(1)] { return *value; };
  fit::closure empty;
  return heap(1) + inline_only(1) + once() + (empty == nullptr ? 0 : 1);
}

}  // namespace fit_no_exceptions_compile
