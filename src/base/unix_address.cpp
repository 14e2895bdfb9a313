#include "base/unix_address.h"

#include <cstddef>
#include <cstring>

namespace vigil {

bool unix_address(std::string_view name, sockaddr_un& sa, socklen_t& len) {
  sa = {};
  sa.sun_family = AF_UNIX;
  if (name.empty() || name.size() >= sizeof(sa.sun_path)) return false;
  std::memcpy(sa.sun_path, name.data(), name.size());
  len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  if (name[0] == '@')
    sa.sun_path[0] = '\0';  // abstract: no terminating NUL, the length says where it ends
  else
    ++len;  // a path's terminating NUL
  return true;
}

}  // namespace vigil
