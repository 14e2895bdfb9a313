// A unix socket address from a name as configuration and environment give it.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <string_view>

namespace vigil {

// `name` is a path, or "@name" for a name in the abstract namespace (systemd's convention,
// e.g. in NOTIFY_SOCKET). Fills `sa` and the length to pass with it; false when `name` is
// empty or does not fit.
bool unix_address(std::string_view name, sockaddr_un& sa, socklen_t& len);

// The same for a socket whose file's permissions decide who may connect (the control socket):
// `path` always names a file, a leading '@' included.
bool unix_path_address(std::string_view path, sockaddr_un& sa, socklen_t& len);

}  // namespace vigil
