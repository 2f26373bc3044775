// <zircon/limits.h>: page size constants.
//
// Linux: Zircon's page is always 4 KiB; these constants keep that value even where the Linux
// kernel uses larger pages, because they describe Zircon's ABI (guest trap alignment, VMO sizes).

#ifndef ZIRCON_LIMITS_H_
#define ZIRCON_LIMITS_H_

#include <stdint.h>

#define ZX_PAGE_SHIFT ((uint32_t)12u)
#define ZX_PAGE_SIZE ((uint32_t)(1u << ZX_PAGE_SHIFT))
#define ZX_PAGE_MASK (ZX_PAGE_SIZE - 1u)

#endif  // ZIRCON_LIMITS_H_
