// Handle table.
//
// Each slot has one atomic word: the live handle value in the high 32 bits (0 when free), a
// "closing" bit, and a count of look-ups in progress. A look-up increments the count only while
// the word still holds its value and is not closing, reads the object and rights, takes a
// reference, and decrements. A removal sets "closing", waits for the count to drain (look-ups
// hold it for a few instructions), then takes the object out. So an object is never freed under
// a look-up, and no look-up ever takes a lock.
#include "zircon/src/kernel/handle_table.h"

#include <new>

#include <sched.h>

namespace zircon::kernel {
namespace {

constexpr uint64_t kClosingBit = 1ull << 31;
constexpr uint64_t kReadersMask = kClosingBit - 1;
constexpr uint32_t kFixedBits = 0x3;  // low bits of every handle value
constexpr uint32_t kGenerationShift = 2 + HandleTable::kIndexBits;
constexpr uint32_t kGenerationMask = (1u << (32 - kGenerationShift)) - 1;

// Slots are reused only when this many are free, so a closed value stays invalid for at least
// this many closes times the generations a slot cycles through (512).
constexpr uint32_t kMinFreeSlotsBeforeReuse = 1024;

uint32_t IndexOf(zx_handle_t value) { return (value >> 2) & (HandleTable::kMaxHandles - 1); }

zx_handle_t MakeValue(uint32_t index, uint32_t generation) {
  return ((generation & kGenerationMask) << kGenerationShift) | (index << 2) | kFixedBits;
}

}  // namespace

struct HandleTable::Slot {
  std::atomic<uint64_t> word{0};
  Object* object = nullptr;  // one reference, owned while the slot is live
  zx_rights_t rights = 0;
  uint32_t generation = 0;  // guarded by free_list_lock_
  uint32_t next_free = 0;   // index + 1 of the next free slot; guarded by free_list_lock_
};

HandleTable& HandleTable::Get() {
  // Never destroyed: handles may be used from static destructors and detached threads.
  static HandleTable* table = new HandleTable();
  return *table;
}

HandleTable::Slot* HandleTable::SlotOrNull(zx_handle_t value) {
  if ((value & kFixedBits) != kFixedBits) {
    return nullptr;
  }
  const uint32_t index = IndexOf(value);
  // acquire: pairs with the release store that publishes a new chunk.
  Slot* chunk = chunks_[index >> kChunkBits].load(std::memory_order_acquire);
  return chunk == nullptr ? nullptr : &chunk[index & (kChunkSize - 1)];
}

HandleTable::Slot& HandleTable::SlotAt(uint32_t index) {
  return chunks_[index >> kChunkBits].load(std::memory_order_acquire)[index & (kChunkSize - 1)];
}

zx_status_t HandleTable::AllocateSlot(uint32_t* out_index, uint32_t* out_generation) {
  MutexLock lock(&free_list_lock_);
  if (free_count_ > kMinFreeSlotsBeforeReuse || (slots_in_use_ == kMaxHandles && free_count_)) {
    const uint32_t index = free_head_ - 1;
    Slot& slot = SlotAt(index);
    free_head_ = slot.next_free;
    if (free_head_ == 0) {
      free_tail_ = 0;
    }
    --free_count_;
    *out_index = index;
    *out_generation = slot.generation;
    return ZX_OK;
  }
  if (slots_in_use_ == kMaxHandles) {
    return ZX_ERR_NO_RESOURCES;
  }
  const uint32_t index = slots_in_use_;
  std::atomic<Slot*>& chunk = chunks_[index >> kChunkBits];
  if (chunk.load(std::memory_order_relaxed) == nullptr) {
    Slot* slots = new (std::nothrow) Slot[kChunkSize];
    if (slots == nullptr) {
      return ZX_ERR_NO_MEMORY;
    }
    for (uint32_t i = 0; i < kChunkSize; ++i) {
      slots[i].generation = 1;
    }
    // release: look-ups that find the chunk see its initialised slots.
    chunk.store(slots, std::memory_order_release);
  }
  ++slots_in_use_;
  *out_index = index;
  *out_generation = SlotAt(index).generation;
  return ZX_OK;
}

void HandleTable::FreeSlot(uint32_t index) {
  MutexLock lock(&free_list_lock_);
  Slot& slot = SlotAt(index);
  ++slot.generation;
  slot.next_free = 0;
  if (free_tail_ == 0) {
    free_head_ = index + 1;
  } else {
    SlotAt(free_tail_ - 1).next_free = index + 1;
  }
  free_tail_ = index + 1;
  ++free_count_;
}

zx_status_t HandleTable::Add(Handle handle, zx_handle_t* out) {
  uint32_t index;
  uint32_t generation;
  zx_status_t status = AllocateSlot(&index, &generation);
  if (status != ZX_OK) {
    return status;
  }
  Slot& slot = SlotAt(index);
  const zx_handle_t value = MakeValue(index, generation);
  slot.rights = handle.rights();
  slot.object = handle.release().leak_ref();
  // release: pairs with the acquire in Lookup/Remove, publishing object and rights.
  slot.word.store(static_cast<uint64_t>(value) << 32, std::memory_order_release);
  *out = value;
  return ZX_OK;
}

// Finds the slot of the live handle `value` and applies `next(word)` to its word atomically,
// unless the handle is being closed. Returns null if `value` names no live handle.
template <typename Next>
HandleTable::Slot* HandleTable::UpdateLiveSlot(zx_handle_t value, Next next) {
  Slot* slot = SlotOrNull(value);
  if (slot == nullptr) {
    return nullptr;
  }
  uint64_t word = slot->word.load(std::memory_order_acquire);
  do {
    if ((word >> 32) != value || (word & kClosingBit) != 0) {
      return nullptr;
    }
    // acquire on success: pairs with the release store in Add that published the slot.
  } while (!slot->word.compare_exchange_weak(word, next(word), std::memory_order_acq_rel,
                                             std::memory_order_acquire));
  return slot;
}

zx_status_t HandleTable::Lookup(zx_handle_t value, HandleInfo* out) {
  Slot* slot = UpdateLiveSlot(value, [](uint64_t word) { return word + 1; });  // one more reader
  if (slot == nullptr) {
    return ZX_ERR_BAD_HANDLE;
  }
  out->object = RefPtr<Object>(slot->object);
  out->rights = slot->rights;
  // release: our reads of the slot happen before Remove, which waits for this, reuses it.
  slot->word.fetch_sub(1, std::memory_order_release);
  return ZX_OK;
}

bool HandleTable::IsLive(zx_handle_t value) {
  Slot* slot = SlotOrNull(value);
  if (slot == nullptr) {
    return false;
  }
  const uint64_t word = slot->word.load(std::memory_order_acquire);
  return (word >> 32) == value && (word & kClosingBit) == 0;
}

zx_status_t HandleTable::Remove(zx_handle_t value, Handle* out) {
  Slot* slot = UpdateLiveSlot(value, [](uint64_t word) { return word | kClosingBit; });
  if (slot == nullptr) {
    return ZX_ERR_BAD_HANDLE;
  }
  // acquire: pairs with the release decrement of each look-up still reading the slot.
  while ((slot->word.load(std::memory_order_acquire) & kReadersMask) != 0) {
    sched_yield();
  }
  Object* object = slot->object;
  const zx_rights_t rights = slot->rights;
  slot->object = nullptr;
  slot->rights = 0;
  slot->word.store(0, std::memory_order_release);
  FreeSlot(IndexOf(value));

  // The value is dead from here: waits made through it go, and cannot be added any more.
  object->CancelByHandle(value);
  *out = Handle(AdoptRef(object), rights);
  return ZX_OK;
}

}  // namespace zircon::kernel
