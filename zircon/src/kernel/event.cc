#include "zircon/src/kernel/event.h"

#include <new>

namespace zircon::kernel {

RefPtr<Event> Event::Create() {
  Event* event = new (std::nothrow) Event();
  return event == nullptr ? nullptr : AdoptRef(event);
}

}  // namespace zircon::kernel
