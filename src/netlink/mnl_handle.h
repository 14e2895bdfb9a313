// An owned libmnl socket, opened and bound in one step: the part every netlink client here
// (nf_tables elements, IPVS generic netlink) shares.
#pragma once

#include <libmnl/libmnl.h>

#include <memory>
#include <string_view>

#include "netlink/result.h"

namespace vigil::netlink {

struct MnlCloser {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlHandle = std::unique_ptr<mnl_socket, MnlCloser>;

// Opens a `bus` socket (NETLINK_*, close-on-exec plus `extra_flags`) bound to `groups` with a
// kernel-assigned port id; errors name `what` ("generic netlink socket").
Result<MnlHandle> open_mnl(int bus, unsigned groups, std::string_view what, int extra_flags = 0);

}  // namespace vigil::netlink
