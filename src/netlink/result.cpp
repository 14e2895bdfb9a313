#include "netlink/result.h"

#include <cstring>
#include <string_view>

namespace vigil::netlink {

Error errno_error(int err, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(err);
  return Error{err, std::move(msg)};
}

}  // namespace vigil::netlink
