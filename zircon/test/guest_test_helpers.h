// Helpers for tests that run a real KVM guest: a guest image assembled here as x86 real-mode
// bytes, and the guest and vCPU that run it. Built on the public C calls only.
#ifndef ZIRCON_TEST_GUEST_TEST_HELPERS_H_
#define ZIRCON_TEST_GUEST_TEST_HELPERS_H_

#include <zircon/linux/guest.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/hypervisor.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

namespace zircon_test {

// Whether this machine lets us run KVM guests.
inline bool HaveKvm() { return access("/dev/kvm", R_OK | W_OK) == 0; }

// Skips the current test where there is no /dev/kvm.
#define SKIP_WITHOUT_KVM()                                                   \
  do {                                                                       \
    if (!::zircon_test::HaveKvm()) {                                         \
      GTEST_SKIP() << "no /dev/kvm: guests need KVM, which this host lacks"; \
    }                                                                        \
  } while (0)

// Where the guest image is loaded and the vCPU starts (CS = 0x100, IP = 0).
inline constexpr zx_gpaddr_t kGuestEntry = 0x1000;
// The data segment the images below write through: DS = 0x1000, so offset x is address
// 0x10000 + x.
inline constexpr zx_gpaddr_t kGuestDataBase = 0x10000;

// x86 16-bit real-mode instructions, appended to an image.
class GuestImage {
 public:
  // mov bx, segment; mov ds, bx
  GuestImage& LoadDataSegment(uint16_t segment) {
    return Bytes({0xBB, Lo(segment), Hi(segment), 0x8E, 0xDB});
  }
  // mov al, value
  GuestImage& MovAl(uint8_t value) { return Bytes({0xB0, value}); }
  // mov [offset], al
  GuestImage& StoreAl(uint16_t offset) { return Bytes({0xA2, Lo(offset), Hi(offset)}); }
  // inc al
  GuestImage& IncAl() { return Bytes({0xFE, 0xC0}); }
  // out port, al
  GuestImage& OutAl(uint8_t port) { return Bytes({0xE6, port}); }
  // in al, port
  GuestImage& InAl(uint8_t port) { return Bytes({0xE4, port}); }
  // hlt
  GuestImage& Halt() { return Bytes({0xF4}); }
  // Writes al to offsets 0, 1, 2, ... (wrapping at 64 KiB) of the data segment `count` times:
  //   xor bx, bx; mov ecx, count; next: mov [bx], al; inc bx; dec ecx; jnz next
  GuestImage& StoreLoop(uint32_t count) {
    Bytes({0x31, 0xDB, 0x66, 0xB9});
    for (int shift = 0; shift < 32; shift += 8) {
      bytes_.push_back(static_cast<uint8_t>(count >> shift));
    }
    return Bytes({0x88, 0x07, 0x43, 0x66, 0x49, 0x75, 0xF9});
  }

  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  static uint8_t Lo(uint16_t value) { return static_cast<uint8_t>(value); }
  static uint8_t Hi(uint16_t value) { return static_cast<uint8_t>(value >> 8); }
  GuestImage& Bytes(std::initializer_list<uint8_t> bytes) {
    bytes_.insert(bytes_.end(), bytes);
    return *this;
  }

  std::vector<uint8_t> bytes_;
};

// A guest with `image` loaded at kGuestEntry and one vCPU entering there. Owns both handles.
class TestGuest {
 public:
  TestGuest() = default;
  TestGuest(const TestGuest&) = delete;
  TestGuest& operator=(const TestGuest&) = delete;
  ~TestGuest() {
    CloseVcpu();
    CloseGuest();
  }

  // Creates the guest and vCPU; fails the test (fatally) if it cannot.
  void Create(const GuestImage& image) {
    zx_handle_t vmar = ZX_HANDLE_INVALID;
    ASSERT_EQ(zx_guest_create(ZX_HANDLE_INVALID, 0, &guest_, &vmar), ZX_OK);
    EXPECT_EQ(vmar, ZX_HANDLE_INVALID);
    void* memory = nullptr;
    size_t size = 0;
    ASSERT_EQ(zx_linux_guest_memory(guest_, &memory, &size), ZX_OK);
    ASSERT_EQ(size, ZX_LINUX_GUEST_MEMORY_SIZE);
    memory_ = static_cast<uint8_t*>(memory);
    memcpy(memory_ + kGuestEntry, image.bytes().data(), image.bytes().size());
    ASSERT_EQ(zx_vcpu_create(guest_, 0, kGuestEntry, &vcpu_), ZX_OK);
  }

  zx_handle_t guest() const { return guest_; }
  zx_handle_t vcpu() const { return vcpu_; }
  uint8_t* memory() const { return memory_; }

  void CloseVcpu() {
    if (vcpu_ != ZX_HANDLE_INVALID) {
      EXPECT_EQ(zx_handle_close(vcpu_), ZX_OK);
      vcpu_ = ZX_HANDLE_INVALID;
    }
  }
  void CloseGuest() {
    if (guest_ != ZX_HANDLE_INVALID) {
      EXPECT_EQ(zx_handle_close(guest_), ZX_OK);
      guest_ = ZX_HANDLE_INVALID;
    }
  }

 private:
  zx_handle_t guest_ = ZX_HANDLE_INVALID;
  zx_handle_t vcpu_ = ZX_HANDLE_INVALID;
  uint8_t* memory_ = nullptr;
};

}  // namespace zircon_test

#endif  // ZIRCON_TEST_GUEST_TEST_HELPERS_H_
