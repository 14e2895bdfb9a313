#include "netlink/monitor.h"

#include <linux/rtnetlink.h>

#include <cerrno>
#include <vector>

#include "netlink/addresses.h"
#include "netlink/links.h"

namespace vigil::netlink {

std::optional<MonitorEvent> decode_event(const nlmsghdr* nlh) {
  switch (nlh->nlmsg_type) {
    case RTM_NEWLINK: {
      auto l = parse_link(nlh);
      if (!l) return std::nullopt;
      LinkChanged ev{l->ifindex, l->name, l->is_up(), l->mac, l->flags, *l};
      return ev;
    }
    case RTM_DELLINK: {
      auto l = parse_link(nlh);
      if (!l) return std::nullopt;
      return LinkRemoved{l->ifindex, l->name};
    }
    case RTM_NEWADDR:
    case RTM_DELADDR: {
      auto a = parse_address(nlh);
      if (!a) return std::nullopt;
      if (nlh->nlmsg_type == RTM_NEWADDR) return AddressAdded{a->ifindex, a->prefix, *a};
      return AddressRemoved{a->ifindex, a->prefix, *a};
    }
    default:
      return std::nullopt;
  }
}

Result<LinkMonitor> LinkMonitor::open() {
  auto s = RtnlSocket::open(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR);
  if (!s) return s.error();
  if (auto r = s->set_nonblocking(); !r) return r.error();
  // A larger buffer makes overruns rare when many VIPs change at once; failure is not fatal.
  (void)s->set_receive_buffer(1 << 20);
  return LinkMonitor(std::move(*s));
}

std::vector<MonitorEvent> LinkMonitor::handle_readable() {
  std::vector<MonitorEvent> events;
  std::vector<char> buf(32768);
  bool resync_reported = false;
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_.raw(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        if (!resync_reported) events.emplace_back(ResyncNeeded{});
        resync_reported = true;
        continue;
      }
      break;  // EAGAIN: drained (other errors: nothing more to read now)
    }
    if (n == 0) break;
    mnl_cb_run(
        buf.data(), static_cast<size_t>(n), 0, 0,
        [](const nlmsghdr* nlh, void* data) {
          auto* out = static_cast<std::vector<MonitorEvent>*>(data);
          if (auto ev = decode_event(nlh)) out->push_back(std::move(*ev));
          return MNL_CB_OK;
        },
        &events);
  }
  return events;
}

}  // namespace vigil::netlink
