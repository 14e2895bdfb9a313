// A NETLINK_GENERIC socket over libmnl: send one request message, wait for its ACK or error,
// handing each answer message to a callback. Enough for IPVS's request/ACK protocol.
#pragma once

#include <libmnl/libmnl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "netlink/mnl_handle.h"
#include "netlink/result.h"

namespace vigil::lb::ipvs {

class GenlSocket {
 public:
  static netlink::Result<GenlSocket> open();

  uint32_t next_seq() { return ++seq_; }
  // Sends the complete message in `msg` and feeds the answers to `handler` (may be empty)
  // until the ACK; a kernel error becomes an Error "what: strerror".
  netlink::Result<void> request(std::vector<uint8_t> msg,
                                const std::function<void(const nlmsghdr*)>& handler,
                                std::string_view what);
  // Resolves a generic netlink family name to its id; Error with ENOENT when absent.
  netlink::Result<uint16_t> resolve_family(const char* name);

 private:
  explicit GenlSocket(netlink::MnlHandle s);
  netlink::MnlHandle sock_;
  uint32_t seq_ = 0;
};

}  // namespace vigil::lb::ipvs
