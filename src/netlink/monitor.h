// Kernel link and address events (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR),
// decoded into values. Loop-agnostic: watch fd() for readability and call handle_readable().
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "netlink/result.h"
#include "netlink/rtnl_socket.h"
#include "netlink/types.h"

namespace vigil::netlink {

// RTM_NEWLINK: a link appeared or its flags/state/name/MAC changed.
struct LinkChanged {
  int ifindex = 0;
  std::string name;
  bool up = false;  // LinkInfo::is_up(): IFF_UP and carrier (oper state)
  std::optional<MacAddress> mac;
  unsigned flags = 0;
  LinkInfo link;  // everything decoded
};
struct LinkRemoved {
  int ifindex = 0;
  std::string name;
};
struct AddressAdded {
  int ifindex = 0;
  IpPrefix prefix;
  AddressInfo info;
};
struct AddressRemoved {
  int ifindex = 0;
  IpPrefix prefix;
  AddressInfo info;
};
// The kernel dropped events (ENOBUFS): the caller must re-dump links and addresses.
struct ResyncNeeded {};

using MonitorEvent =
    std::variant<LinkChanged, LinkRemoved, AddressAdded, AddressRemoved, ResyncNeeded>;

class LinkMonitor {
 public:
  // Subscribes a non-blocking socket to the three groups. Open it before dumping the initial
  // state, so nothing between the dump and the subscription is lost.
  static Result<LinkMonitor> open();

  int fd() const { return sock_.fd(); }
  // Reads every pending message without blocking and returns the decoded events in order.
  // A kernel overrun yields one ResyncNeeded (further events may follow).
  std::vector<MonitorEvent> handle_readable();

 private:
  explicit LinkMonitor(RtnlSocket s) : sock_(std::move(s)) {}
  RtnlSocket sock_;
};

// Decodes one notification; nullopt for messages the monitor does not report.
std::optional<MonitorEvent> decode_event(const nlmsghdr* nlh);

}  // namespace vigil::netlink
