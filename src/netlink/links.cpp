#include "netlink/links.h"

// <net/if.h> before <linux/if.h>: the other order breaks any later <net/if.h> in the same
// translation unit (unity builds). Its own include block keeps clang-format from reordering it.
#include <net/if.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cstring>
#include <string>

namespace vigil::netlink {

namespace {

struct LinkAttrs {
  const nlattr* tb[IFLA_MAX + 1] = {};
};

int collect_attr(const nlattr* attr, void* data) {
  auto* tb = static_cast<const nlattr**>(data);
  uint16_t type = mnl_attr_get_type(attr);
  if (mnl_attr_type_valid(attr, IFLA_MAX) < 0) return MNL_CB_OK;  // newer kernel attribute
  tb[type] = attr;
  return MNL_CB_OK;
}

std::string info_kind(const nlattr* linkinfo) {
  const nlattr* info[IFLA_INFO_MAX + 1] = {};
  mnl_attr_parse_nested(
      linkinfo,
      [](const nlattr* attr, void* data) {
        auto* tb = static_cast<const nlattr**>(data);
        if (mnl_attr_type_valid(attr, IFLA_INFO_MAX) >= 0) tb[mnl_attr_get_type(attr)] = attr;
        return MNL_CB_OK;
      },
      info);
  if (!info[IFLA_INFO_KIND]) return {};
  return std::string(static_cast<const char*>(mnl_attr_get_payload(info[IFLA_INFO_KIND])),
                     strnlen(static_cast<const char*>(mnl_attr_get_payload(info[IFLA_INFO_KIND])),
                             mnl_attr_get_payload_len(info[IFLA_INFO_KIND])));
}

}  // namespace

std::optional<LinkInfo> parse_link(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) return std::nullopt;
  if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(ifinfomsg))) return std::nullopt;
  const auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  LinkAttrs a;
  mnl_attr_parse(nlh, sizeof(*ifi), collect_attr, a.tb);
  LinkInfo info;
  info.ifindex = ifi->ifi_index;
  info.flags = ifi->ifi_flags;
  if (a.tb[IFLA_IFNAME] && mnl_attr_validate(a.tb[IFLA_IFNAME], MNL_TYPE_STRING) >= 0)
    info.name = mnl_attr_get_str(a.tb[IFLA_IFNAME]);
  if (a.tb[IFLA_OPERSTATE] && mnl_attr_get_payload_len(a.tb[IFLA_OPERSTATE]) >= 1)
    info.oper_state = mnl_attr_get_u8(a.tb[IFLA_OPERSTATE]);
  if (a.tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(a.tb[IFLA_ADDRESS]) == 6) {
    MacAddress m;
    std::memcpy(m.bytes.data(), mnl_attr_get_payload(a.tb[IFLA_ADDRESS]), 6);
    info.mac = m;
  }
  if (a.tb[IFLA_LINK] && mnl_attr_get_payload_len(a.tb[IFLA_LINK]) >= 4)
    info.parent_ifindex = static_cast<int>(mnl_attr_get_u32(a.tb[IFLA_LINK]));
  if (a.tb[IFLA_MTU] && mnl_attr_get_payload_len(a.tb[IFLA_MTU]) >= 4)
    info.mtu = mnl_attr_get_u32(a.tb[IFLA_MTU]);
  if (a.tb[IFLA_LINKINFO]) info.kind = info_kind(a.tb[IFLA_LINKINFO]);
  return info;
}

static Result<LinkInfo> get_link_impl(RtnlSocket& sock, int ifindex, std::string_view name) {
  RequestBuffer req;
  auto* ifi = static_cast<ifinfomsg*>(req.start(RTM_GETLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  std::string what;
  if (ifindex == 0) {
    if (name.empty() || name.size() >= IFNAMSIZ) return Error{EINVAL, "bad interface name"};
    mnl_attr_put_strz(req.header(), IFLA_IFNAME, std::string(name).c_str());
    what = "get link " + std::string(name);
  } else {
    what = "get link #" + std::to_string(ifindex);
  }
  std::optional<LinkInfo> found;
  auto r = sock.request(
      req.header(),
      [&](const nlmsghdr* nlh) {
        if (auto l = parse_link(nlh)) found = std::move(*l);
        return MNL_CB_OK;
      },
      what);
  if (!r) return r.error();
  if (!found) return Error{ENODEV, what + ": no answer"};
  return std::move(*found);
}

Result<LinkInfo> get_link(RtnlSocket& sock, int ifindex) {
  if (ifindex <= 0) return Error{EINVAL, "get link: bad ifindex"};
  return get_link_impl(sock, ifindex, {});
}

Result<LinkInfo> get_link(RtnlSocket& sock, std::string_view name) {
  return get_link_impl(sock, 0, name);
}

Result<std::vector<LinkInfo>> list_links(RtnlSocket& sock) {
  RequestBuffer req;
  auto* ifi = static_cast<ifinfomsg*>(req.start(RTM_GETLINK, NLM_F_DUMP, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  std::vector<LinkInfo> links;
  auto r = sock.request(
      req.header(),
      [&](const nlmsghdr* nlh) {
        if (auto l = parse_link(nlh)) links.push_back(std::move(*l));
        return MNL_CB_OK;
      },
      "list links");
  if (!r) return r.error();
  return links;
}

Result<void> set_link_up(RtnlSocket& sock, int ifindex, bool up) {
  RequestBuffer req;
  auto* ifi = static_cast<ifinfomsg*>(req.start(RTM_NEWLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  ifi->ifi_change = IFF_UP;
  ifi->ifi_flags = up ? IFF_UP : 0;
  return sock.request(req.header(), {},
                      std::string("set link #") + std::to_string(ifindex) + (up ? " up" : " down"));
}

Result<void> delete_link(RtnlSocket& sock, int ifindex) {
  RequestBuffer req;
  auto* ifi = static_cast<ifinfomsg*>(req.start(RTM_DELLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  return sock.request(req.header(), {}, "delete link #" + std::to_string(ifindex));
}

}  // namespace vigil::netlink
