#include "lb/nft/route_device.h"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink/links.h"
#include "netlink/rtnl_socket.h"

namespace vigil::lb::nft {

std::optional<std::string> route_device(const IpAddress& address) {
  auto sock = netlink::RtnlSocket::open();
  if (!sock) return std::nullopt;
  netlink::RequestBuffer req;
  auto* rtm = static_cast<rtmsg*>(req.start(RTM_GETROUTE, 0, sizeof(rtmsg)));
  rtm->rtm_family = address.is_v4() ? AF_INET : AF_INET6;
  rtm->rtm_dst_len = address.is_v4() ? 32 : 128;
  mnl_attr_put(req.header(), RTA_DST, address.size(), address.data());
  int oif = 0;
  auto r = sock->request(
      req.header(),
      [&](const nlmsghdr* nlh) {
        if (nlh->nlmsg_type != RTM_NEWROUTE) return MNL_CB_OK;
        mnl_attr_parse(
            nlh, sizeof(rtmsg),
            [](const nlattr* a, void* data) {
              if (mnl_attr_get_type(a) == RTA_OIF) *static_cast<int*>(data) = mnl_attr_get_u32(a);
              return MNL_CB_OK;
            },
            &oif);
        return MNL_CB_OK;
      },
      "route get");
  if (!r || oif == 0) return std::nullopt;
  auto link = netlink::get_link(*sock, oif);
  if (!link) return std::nullopt;
  return link->name;
}

}  // namespace vigil::lb::nft
