// The fuzzer's input decoder: reads little-endian integers from the front of the input.
#ifndef ZIRCON_FUZZ_BYTE_READER_H_
#define ZIRCON_FUZZ_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

namespace zircon::fuzz {

// Reads an input front to back. Past its end every read returns 0, so any byte string decodes to
// some sequence of calls and a seed file can be written by hand (see README.md).
// Thread-compatible.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // Whether every byte has been read.
  bool empty() const { return offset_ >= size_; }

  uint8_t U8() { return offset_ < size_ ? data_[offset_++] : 0; }

  uint16_t U16() { return static_cast<uint16_t>(Read(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Read(4)); }
  uint64_t U64() { return Read(8); }

  // One byte's low bit.
  bool Bool() { return (U8() & 1) != 0; }

 private:
  uint64_t Read(int bytes) {
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) {
      value |= static_cast<uint64_t>(U8()) << (8 * i);
    }
    return value;
  }

  const uint8_t* const data_;
  const size_t size_;
  size_t offset_ = 0;
};

}  // namespace zircon::fuzz

#endif  // ZIRCON_FUZZ_BYTE_READER_H_
