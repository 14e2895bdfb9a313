// A NETLINK_ROUTE socket over libmnl, for requests (dump or ack) and for event groups.
#pragma once

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "netlink/mnl_handle.h"
#include "netlink/result.h"

namespace vigil::netlink {

// Builds one request message in an owned buffer (mnl_nlmsg_put_header + extra header).
class RequestBuffer {
 public:
  RequestBuffer();
  // Starts a message of `type` with `flags` (NLM_F_REQUEST is added) and reserves `extra`
  // bytes of family header, returned zeroed.
  void* start(uint16_t type, uint16_t flags, size_t extra);
  nlmsghdr* header() { return nlh_; }

 private:
  std::vector<char> buf_;
  nlmsghdr* nlh_ = nullptr;
};

class RtnlSocket {
 public:
  // Opens and binds; `groups` is a bitmask of RTMGRP_* (0 for a request socket). Extra
  // groups above 32 can be added with add_membership().
  static Result<RtnlSocket> open(unsigned groups = 0);

  RtnlSocket(RtnlSocket&&) noexcept = default;
  RtnlSocket& operator=(RtnlSocket&&) noexcept = default;

  int fd() const;
  uint32_t portid() const { return portid_; }
  mnl_socket* raw() const { return sock_.get(); }

  Result<void> add_membership(unsigned group);
  Result<void> set_nonblocking();
  Result<void> set_receive_buffer(int bytes);

  // Sends `nlh` (sequence number assigned here; NLM_F_ACK added unless it is a dump) and
  // feeds every answer to `handler` (may be empty) until the kernel's DONE/ACK. A NLMSG_ERROR
  // becomes an Error with the kernel's errno and text, prefixed by `what`.
  Result<void> request(nlmsghdr* nlh, const MessageHandler& handler, std::string_view what);

 private:
  explicit RtnlSocket(MnlHandle s);

  MnlHandle sock_;
  uint32_t portid_ = 0;
  uint32_t seq_ = 0;
};

}  // namespace vigil::netlink
