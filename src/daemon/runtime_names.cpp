#include "daemon/runtime_names.h"

#include "control/server.h"

namespace vigil::daemon {

std::string control_socket_path(const Options& options, const conf::Config& config) {
  return !options.control_socket.empty()
             ? options.control_socket
             : config.global.vigil_control_socket.value_or(control::kDefaultControlSocket);
}

std::string worker_socket_path(const std::string& public_path, const std::string& worker) {
  return public_path + "." + worker;
}

std::string runtime_features() {
  return "vrrp vrrp-v2 vrrp-v3 ipv4 ipv6 unicast track_script track_file track_interface "
         "sync_group notify checkers lvs-nft";
}

}  // namespace vigil::daemon
