// The pseudo-random bytes the echo client sends: byte `offset` of stream `seed` is a pure
// function of the two, so that the client can regenerate, rather than store, what it sent and
// what it expects back.
#ifndef EXAMPLES_ECHO_SERVER_BYTE_PATTERN_H_
#define EXAMPLES_ECHO_SERVER_BYTE_PATTERN_H_

#include <cstddef>
#include <cstdint>

namespace echo {

// SplitMix64's finalizer: a bijection that scatters nearby inputs far apart.
constexpr uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15u;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

// Stores in `out[0..count)` the bytes at `offset...` of stream `seed`.
inline void FillPattern(uint64_t seed, uint64_t offset, uint8_t* out, size_t count) {
  size_t i = 0;
  while (i < count) {
    const uint64_t at = offset + i;
    const uint64_t word = Mix(seed ^ Mix(at / 8));  // eight bytes per mix
    for (uint64_t byte = at % 8; byte < 8 && i < count; ++byte, ++i) {
      out[i] = static_cast<uint8_t>(word >> (8 * byte));
    }
  }
}

}  // namespace echo

#endif  // EXAMPLES_ECHO_SERVER_BYTE_PATTERN_H_
