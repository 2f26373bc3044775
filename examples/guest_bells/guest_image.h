// The guest this example runs: a few x86 real-mode instructions, emitted as bytes, that ring a
// doorbell page `count` times and halt.
#ifndef EXAMPLES_GUEST_BELLS_GUEST_IMAGE_H_
#define EXAMPLES_GUEST_BELLS_GUEST_IMAGE_H_

#include <zircon/types.h>

#include <cstdint>
#include <vector>

namespace guest_bells {

// Where the image is loaded and the vCPU starts.
inline constexpr zx_gpaddr_t kEntry = 0x1000;
// The doorbell range: 64 KiB at 0x10000. Bell i lands at kDoorbell + (i mod 64 KiB).
inline constexpr zx_gpaddr_t kDoorbell = 0x10000;
inline constexpr size_t kDoorbellSize = 0x10000;

// The image: DS = kDoorbell / 16, then `count` byte writes at DS:0, DS:1, ... and HLT.
inline std::vector<uint8_t> DoorbellImage(uint32_t count) {
  std::vector<uint8_t> bytes = {
      0xBB, 0x00, 0x10,  // mov bx, 0x1000
      0x8E, 0xDB,        // mov ds, bx
      0x31, 0xDB,        // xor bx, bx
      0x66, 0xB9,        // mov ecx, count
  };
  for (int shift = 0; shift < 32; shift += 8) {
    bytes.push_back(static_cast<uint8_t>(count >> shift));
  }
  const uint8_t loop[] = {
      0x88, 0x07,  // next: mov [bx], al
      0x43,        // inc bx
      0x66, 0x49,  // dec ecx
      0x75, 0xF9,  // jnz next
      0xF4,        // hlt
  };
  bytes.insert(bytes.end(), std::begin(loop), std::end(loop));
  return bytes;
}

}  // namespace guest_bells

#endif  // EXAMPLES_GUEST_BELLS_GUEST_IMAGE_H_
