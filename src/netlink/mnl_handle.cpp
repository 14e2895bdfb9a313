#include "netlink/mnl_handle.h"

#include <sys/socket.h>

#include <cerrno>
#include <string>

namespace vigil::netlink {

Result<MnlHandle> open_mnl(int bus, unsigned groups, std::string_view what, int extra_flags) {
  MnlHandle s(mnl_socket_open2(bus, SOCK_CLOEXEC | extra_flags));
  if (!s) return errno_error(errno, what);
  if (mnl_socket_bind(s.get(), groups, MNL_SOCKET_AUTOPID) < 0)
    return errno_error(errno, "bind " + std::string(what));
  return s;
}

}  // namespace vigil::netlink
