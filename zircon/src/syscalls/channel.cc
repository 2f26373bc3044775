// zx_channel_*.
#include "zircon/src/kernel/channel.h"

#include <zircon/syscalls.h>

#include <cstring>
#include <new>

#include "zircon/src/kernel/handle_table.h"
#include "zircon/src/syscalls/lookup.h"

using zircon::kernel::Channel;
using zircon::kernel::Handle;
using zircon::kernel::HandleTable;
using zircon::kernel::Message;
using zircon::kernel::RefPtr;
using zircon::syscalls::LookUp;

extern "C" zx_status_t zx_channel_create(uint32_t options, zx_handle_t* out0,
                                         zx_handle_t* out1) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  if (options != 0 || out0 == nullptr || out1 == nullptr) {
    return ZX_ERR_INVALID_ARGS;
  }
  RefPtr<Channel> end0;
  RefPtr<Channel> end1;
  zx_status_t status = Channel::CreatePair(&end0, &end1);
  if (status != ZX_OK) {
    return status;
  }
  return zircon::syscalls::MakeHandlePair(std::move(end0), std::move(end1),
                                          ZX_DEFAULT_CHANNEL_RIGHTS, out0, out1);
}

namespace {

// Takes every handle of `values` out of the table into `out`: a write consumes them all, whether
// or not it succeeds. Returns the first error: BAD_HANDLE, ACCESS_DENIED (no TRANSFER), or
// NOT_SUPPORTED (a handle to the writing endpoint itself).
zx_status_t TakeHandles(const Channel* channel, const zx_handle_t* values, uint32_t count,
                        std::vector<Handle>* out) {
  zx_status_t result = ZX_OK;
  out->reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Handle handle;
    zx_status_t status = HandleTable::Get().Remove(values[i], &handle);
    if (status == ZX_OK && handle.object().get() == channel) {
      status = ZX_ERR_NOT_SUPPORTED;
    } else if (status == ZX_OK && (handle.rights() & ZX_RIGHT_TRANSFER) == 0) {
      status = ZX_ERR_ACCESS_DENIED;
    }
    if (result == ZX_OK) {
      result = status;
    }
    out->push_back(std::move(handle));
  }
  return result;
}

}  // namespace

extern "C" zx_status_t zx_channel_write(zx_handle_t handle, uint32_t options, const void* bytes,
                                        uint32_t num_bytes, const zx_handle_t* handles,
                                        uint32_t num_handles) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  RefPtr<Channel> channel;
  const zx_status_t channel_status = LookUp<Channel>(handle, ZX_RIGHT_WRITE, &channel);
  Message message;
  const zx_status_t handles_status =
      handles == nullptr ? ZX_OK
                         : TakeHandles(channel.get(), handles, num_handles, &message.handles);
  if (options != 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (num_bytes > ZX_CHANNEL_MAX_MSG_BYTES || num_handles > ZX_CHANNEL_MAX_MSG_HANDLES) {
    return ZX_ERR_OUT_OF_RANGE;
  }
  if ((bytes == nullptr && num_bytes != 0) || (handles == nullptr && num_handles != 0)) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (channel_status != ZX_OK) {
    return channel_status;
  }
  if (handles_status != ZX_OK) {
    return handles_status;
  }
  message.bytes.assign(static_cast<const uint8_t*>(bytes),
                       static_cast<const uint8_t*>(bytes) + num_bytes);
  return channel->Write(std::move(message));
}

namespace {

// Reads one message and installs its handles; `store_handle(i, value, handle)` records each.
template <typename StoreHandle>
zx_status_t ReadMessage(zx_handle_t handle, uint32_t options, void* bytes, uint32_t num_bytes,
                        bool have_handle_buffer, uint32_t num_handles, uint32_t* actual_bytes,
                        uint32_t* actual_handles, StoreHandle store_handle) {
  if ((options & ~ZX_CHANNEL_READ_MAY_DISCARD) != 0) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  RefPtr<Channel> channel;
  zx_status_t status = LookUp<Channel>(handle, ZX_RIGHT_READ, &channel);
  if (status != ZX_OK) {
    return status;
  }
  if ((bytes == nullptr && num_bytes != 0) || (!have_handle_buffer && num_handles != 0)) {
    return ZX_ERR_INVALID_ARGS;
  }
  Message message;
  uint32_t size_bytes = 0;
  uint32_t size_handles = 0;
  status = channel->Read(num_bytes, num_handles, (options & ZX_CHANNEL_READ_MAY_DISCARD) != 0,
                         &message, &size_bytes, &size_handles);
  if (actual_bytes != nullptr && (status == ZX_OK || status == ZX_ERR_BUFFER_TOO_SMALL)) {
    *actual_bytes = size_bytes;
  }
  if (actual_handles != nullptr && (status == ZX_OK || status == ZX_ERR_BUFFER_TOO_SMALL)) {
    *actual_handles = size_handles;
  }
  if (status != ZX_OK) {
    return status;
  }
  if (!message.bytes.empty()) {
    std::memcpy(bytes, message.bytes.data(), message.bytes.size());
  }
  for (uint32_t i = 0; i < message.handles.size(); ++i) {
    const zx_rights_t rights = message.handles[i].rights();
    const zx_obj_type_t type = message.handles[i].object()->type();
    zx_handle_t value = ZX_HANDLE_INVALID;
    zx_status_t add_status = HandleTable::Get().Add(std::move(message.handles[i]), &value);
    if (add_status != ZX_OK && status == ZX_OK) {
      status = add_status;  // the table is full: the rest are closed, as they cannot be kept
    }
    store_handle(i, value, type, rights);
  }
  return status;
}

}  // namespace

extern "C" zx_status_t zx_channel_read(zx_handle_t handle, uint32_t options, void* bytes,
                                       zx_handle_t* handles, uint32_t num_bytes,
                                       uint32_t num_handles, uint32_t* actual_bytes,
                                       uint32_t* actual_handles) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  return ReadMessage(
      handle, options, bytes, num_bytes, handles != nullptr, num_handles, actual_bytes,
      actual_handles,
      [handles](uint32_t i, zx_handle_t value, zx_obj_type_t, zx_rights_t) { handles[i] = value; });
}

extern "C" zx_status_t zx_channel_read_etc(zx_handle_t handle, uint32_t options, void* bytes,
                                           zx_handle_info_t* handles, uint32_t num_bytes,
                                           uint32_t num_handles, uint32_t* actual_bytes,
                                           uint32_t* actual_handles) noexcept {
  zircon::kernel::SyscallScope in_kernel;
  return ReadMessage(
      handle, options, bytes, num_bytes, handles != nullptr, num_handles, actual_bytes,
      actual_handles,
      [handles](uint32_t i, zx_handle_t value, zx_obj_type_t type, zx_rights_t rights) {
        handles[i] = zx_handle_info_t{.handle = value, .type = type, .rights = rights, .unused = 0};
      });
}
