// The process's handle table: handle values to (object, rights).
#ifndef ZIRCON_SRC_KERNEL_HANDLE_TABLE_H_
#define ZIRCON_SRC_KERNEL_HANDLE_TABLE_H_

#include <zircon/types.h>

#include <atomic>
#include <cstdint>

#include "zircon/src/kernel/handle.h"
#include "zircon/src/kernel/mutex.h"
#include "zircon/src/kernel/object.h"

namespace zircon::kernel {

// A looked-up handle: a reference to its object and the handle's rights.
struct HandleInfo {
  RefPtr<Object> object;
  zx_rights_t rights = 0;
};

// Maps handle values to objects. Look-up is lock-free; adding and removing take a short lock on
// the free list. Thread-safe.
//
// A handle value encodes a slot index and the slot's generation, with the two low bits set (as
// Zircon's values have), so ZX_HANDLE_INVALID is never a value. A closed value stays invalid:
// its slot's generation moves on, and slots are reused first-freed-first only once many are free.
class HandleTable {
 public:
  // Slots in the table; beyond this Add returns ZX_ERR_NO_RESOURCES.
  static constexpr uint32_t kIndexBits = 21;
  static constexpr uint32_t kMaxHandles = 1u << kIndexBits;

  // The process's table.
  static HandleTable& Get();

  // Installs `handle` and returns its value in `*out`.
  // Returns ZX_ERR_NO_RESOURCES if the table is full (`handle` is then dropped).
  [[nodiscard]] zx_status_t Add(Handle handle, zx_handle_t* out);

  // Looks up `value`. Returns ZX_ERR_BAD_HANDLE if it names no live handle.
  [[nodiscard]] zx_status_t Lookup(zx_handle_t value, HandleInfo* out);

  // Takes `value` out of the table (cancelling the waits made through it). Returns
  // ZX_ERR_BAD_HANDLE if it names no live handle.
  [[nodiscard]] zx_status_t Remove(zx_handle_t value, Handle* out);

  // Whether `value` names a live handle that is not being closed.
  bool IsLive(zx_handle_t value);

 private:
  struct Slot;
  HandleTable() = default;

  Slot* SlotOrNull(zx_handle_t value);
  template <typename Next>
  Slot* UpdateLiveSlot(zx_handle_t value, Next next);
  // The slot at `index`, which must have been handed out.
  Slot& SlotAt(uint32_t index);
  [[nodiscard]] zx_status_t AllocateSlot(uint32_t* out_index, uint32_t* out_generation)
      __TA_EXCLUDES(free_list_lock_);
  void FreeSlot(uint32_t index) __TA_EXCLUDES(free_list_lock_);

  static constexpr uint32_t kChunkBits = 12;
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kChunkCount = kMaxHandles / kChunkSize;

  std::atomic<Slot*> chunks_[kChunkCount] = {};

  Mutex free_list_lock_;
  uint32_t slots_in_use_ __TA_GUARDED(free_list_lock_) = 0;  // slots ever handed out
  uint32_t free_head_ __TA_GUARDED(free_list_lock_) = 0;     // index + 1; 0: empty
  uint32_t free_tail_ __TA_GUARDED(free_list_lock_) = 0;
  uint32_t free_count_ __TA_GUARDED(free_list_lock_) = 0;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_HANDLE_TABLE_H_
