// <zircon/status.h>: names of status codes, for logs and test failure messages.

#ifndef ZIRCON_STATUS_H_
#define ZIRCON_STATUS_H_

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

// Returns the name of the macro that defines `status` ("ZX_OK", "ZX_ERR_INTERNAL", ...), or
// "(UNKNOWN)" for a value no macro of <zircon/errors.h> defines. The string is static: the caller
// must not free it, and it stays valid for the life of the process. Thread-safe.
const char* zx_status_get_string(zx_status_t status) __ZX_NOEXCEPT;

__END_CDECLS

#endif  // ZIRCON_STATUS_H_
