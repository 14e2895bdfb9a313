#include "base/unix_address.h"

#include <cstddef>
#include <cstring>

namespace vigil {

namespace {

bool fill(std::string_view name, bool abstract, sockaddr_un& sa, socklen_t& len) {
  sa = {};
  sa.sun_family = AF_UNIX;
  if (name.empty() || name.size() >= sizeof(sa.sun_path)) return false;
  std::memcpy(sa.sun_path, name.data(), name.size());
  len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  if (abstract)
    sa.sun_path[0] = '\0';  // no terminating NUL: the length says where the name ends
  else
    ++len;  // a path's terminating NUL
  return true;
}

}  // namespace

bool unix_address(std::string_view name, sockaddr_un& sa, socklen_t& len) {
  return fill(name, !name.empty() && name[0] == '@', sa, len);
}

bool unix_path_address(std::string_view path, sockaddr_un& sa, socklen_t& len) {
  return fill(path, false, sa, len);
}

}  // namespace vigil
