// Compile-time capabilities of each `zx::` object class, consulted by `zx::object<T>` to reject
// operations an object type cannot support (for example `duplicate()` on a channel) at compile
// time rather than with a runtime status.

#ifndef LIB_ZX_OBJECT_TRAITS_H_
#define LIB_ZX_OBJECT_TRAITS_H_

namespace zx {

class channel;
class eventpair;
class fifo;
class guest;
class interrupt;
class log;
class pmt;
class port;
class socket;
class vmar;
class vmo;

// What handles to objects of type `T` can do:
// - `supports_duplication`: handles carry `ZX_RIGHT_DUPLICATE` by default, so `duplicate()` is
//   offered.
// - `supports_user_signal`: `signal()` may set and clear user signals.
// - `supports_wait`: the object has a signal state, so `wait_one()`, `wait_async()` and
//   `wait_many()` are offered.
// - `has_peer_handle`: the object is one end of a pair, so `signal_peer()` is offered.
//
// The primary template covers objects with every capability but a peer: events, timers, VMOs,
// resources, tasks, plain `zx::handle`s. The specialisations below cover the rest. Classes are
// only named here; nothing requires them to be defined.
template <typename T>
struct object_traits {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = true;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = false;
};

// Channel handles lack `ZX_RIGHT_DUPLICATE` by default.
template <>
struct object_traits<channel> {
  static constexpr bool supports_duplication = false;
  static constexpr bool supports_user_signal = true;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = true;
};

template <>
struct object_traits<eventpair> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = true;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = true;
};

template <>
struct object_traits<fifo> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = true;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = true;
};

template <>
struct object_traits<log> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = true;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = false;
};

template <>
struct object_traits<pmt> {
  static constexpr bool supports_duplication = false;
  static constexpr bool supports_user_signal = false;
  static constexpr bool supports_wait = false;
  static constexpr bool has_peer_handle = false;
};

template <>
struct object_traits<socket> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = true;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = true;
};

// Ports have no signal state: they are read with `zx::port::wait()`, never waited on.
template <>
struct object_traits<port> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = false;
  static constexpr bool supports_wait = false;
  static constexpr bool has_peer_handle = false;
};

template <>
struct object_traits<vmar> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = false;
  static constexpr bool supports_wait = false;
  static constexpr bool has_peer_handle = false;
};

template <>
struct object_traits<interrupt> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = false;
  static constexpr bool supports_wait = true;
  static constexpr bool has_peer_handle = false;
};

template <>
struct object_traits<guest> {
  static constexpr bool supports_duplication = true;
  static constexpr bool supports_user_signal = false;
  static constexpr bool supports_wait = false;
  static constexpr bool has_peer_handle = false;
};

}  // namespace zx

#endif  // LIB_ZX_OBJECT_TRAITS_H_
