// Events and event pairs.
#ifndef ZIRCON_SRC_KERNEL_EVENT_H_
#define ZIRCON_SRC_KERNEL_EVENT_H_

#include <zircon/types.h>

#include "zircon/src/kernel/object.h"
#include "zircon/src/kernel/peered_object.h"

namespace zircon::kernel {

// An event: a signal word that only users change. Thread-safe.
class Event final : public Object {
 public:
  // Returns null if out of memory.
  static RefPtr<Event> Create();

  zx_signals_t user_signal_mask() const final { return ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED; }

 private:
  Event() : Object(ZX_OBJ_TYPE_EVENT, ZX_SIGNAL_NONE) {}
};

// One end of an event pair (create both with CreatePair). Each end signals itself or its peer;
// when the last handle to one end goes, the other gets ZX_EVENTPAIR_PEER_CLOSED for good.
// Thread-safe.
class EventPair final : public PeeredObject<EventPair> {
 public:
  static constexpr zx_signals_t kPeerClosedClear = 0;
  static constexpr zx_signals_t kPeerClosedSet = ZX_EVENTPAIR_PEER_CLOSED;

  zx_signals_t user_signal_mask() const final { return ZX_USER_SIGNAL_ALL | ZX_EVENTPAIR_SIGNALED; }

 private:
  friend class PeeredObject<EventPair>;
  explicit EventPair(RefPtr<PeerLock> lock)
      : PeeredObject(ZX_OBJ_TYPE_EVENTPAIR, ZX_SIGNAL_NONE, std::move(lock)) {}
  void OnZeroHandles() final { DisconnectPeer(); }
};

template <>
struct ObjectTypeOf<Event> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_EVENT;
};
template <>
struct ObjectTypeOf<EventPair> {
  static constexpr zx_obj_type_t value = ZX_OBJ_TYPE_EVENTPAIR;
};

}  // namespace zircon::kernel

#endif  // ZIRCON_SRC_KERNEL_EVENT_H_
