#include "netlink/addresses.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <cstring>
#include <string>

namespace vigil::netlink {

namespace {

std::optional<IpAddress> attr_address(const nlattr* a, int af) {
  if (!a) return std::nullopt;
  size_t len = mnl_attr_get_payload_len(a);
  if (af == AF_INET && len == 4) {
    in_addr v{};
    std::memcpy(&v, mnl_attr_get_payload(a), 4);
    return IpAddress::v4(v);
  }
  if (af == AF_INET6 && len == 16) {
    in6_addr v{};
    std::memcpy(&v, mnl_attr_get_payload(a), 16);
    return IpAddress::v6(v);
  }
  return std::nullopt;
}

Result<void> change_address(RtnlSocket& sock, const AddressSpec& spec, bool add) {
  const Family fam = spec.prefix.address.family();
  if (spec.ifindex <= 0) return Error{EINVAL, "address: no interface"};
  if (spec.prefix.length > spec.prefix.max_length()) return Error{EINVAL, "address: bad prefix"};
  RequestBuffer req;
  auto* ifa = static_cast<ifaddrmsg*>(req.start(
      add ? RTM_NEWADDR : RTM_DELADDR, add ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(ifaddrmsg)));
  ifa->ifa_family = static_cast<uint8_t>(address_family(fam));
  ifa->ifa_prefixlen = spec.prefix.length;
  ifa->ifa_scope = static_cast<uint8_t>(spec.scope);
  ifa->ifa_index = static_cast<uint32_t>(spec.ifindex);
  nlmsghdr* nlh = req.header();
  const auto& a = spec.prefix.address;
  mnl_attr_put(nlh, IFA_LOCAL, a.size(), a.data());
  if (spec.peer) {
    if (spec.peer->address.family() != fam) return Error{EINVAL, "address: peer family"};
    ifa->ifa_prefixlen = spec.peer->length;
    mnl_attr_put(nlh, IFA_ADDRESS, spec.peer->address.size(), spec.peer->address.data());
  } else {
    mnl_attr_put(nlh, IFA_ADDRESS, a.size(), a.data());
  }
  if (add) {
    if (spec.broadcast) {
      if (!spec.broadcast->is_v4() || fam != Family::V4)
        return Error{EINVAL, "address: broadcast is IPv4 only"};
      mnl_attr_put(nlh, IFA_BROADCAST, 4, spec.broadcast->data());
    }
    uint32_t flags = 0;
    if (spec.nodad) flags |= IFA_F_NODAD;
    if (spec.noprefixroute) flags |= IFA_F_NOPREFIXROUTE;
    if (spec.home) flags |= IFA_F_HOMEADDRESS;
    if (spec.mngtmpaddr) flags |= IFA_F_MANAGETEMPADDR;
    ifa->ifa_flags = static_cast<uint8_t>(flags & 0xff);
    if (flags) mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
    if (spec.preferred_lft) {
      ifa_cacheinfo ci{};
      ci.ifa_prefered = *spec.preferred_lft;
      ci.ifa_valid = 0xFFFFFFFFu;  // INFINITY_LIFE_TIME
      mnl_attr_put(nlh, IFA_CACHEINFO, sizeof ci, &ci);
    }
  }
  if (spec.label) {
    if (fam != Family::V4) return Error{EINVAL, "address: labels are IPv4 only"};
    if (spec.label->size() >= 16) return Error{EINVAL, "address: label too long"};
    mnl_attr_put_strz(nlh, IFA_LABEL, spec.label->c_str());
  }
  std::string what = std::string(add ? "add" : "delete") + " address " + spec.prefix.to_string() +
                     " on #" + std::to_string(spec.ifindex);
  return sock.request(nlh, {}, what);
}

}  // namespace

std::optional<AddressInfo> parse_address(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR) return std::nullopt;
  if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(ifaddrmsg))) return std::nullopt;
  const auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
  if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) return std::nullopt;
  const nlattr* tb[IFA_MAX + 1] = {};
  mnl_attr_parse(
      nlh, sizeof(*ifa),
      [](const nlattr* attr, void* data) {
        auto* t = static_cast<const nlattr**>(data);
        if (mnl_attr_type_valid(attr, IFA_MAX) >= 0) t[mnl_attr_get_type(attr)] = attr;
        return MNL_CB_OK;
      },
      tb);
  AddressInfo info;
  info.ifindex = static_cast<int>(ifa->ifa_index);
  info.scope = static_cast<Scope>(ifa->ifa_scope);
  info.flags = ifa->ifa_flags;
  if (tb[IFA_FLAGS] && mnl_attr_get_payload_len(tb[IFA_FLAGS]) >= 4)
    info.flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
  auto addr = attr_address(tb[IFA_LOCAL], ifa->ifa_family);
  if (!addr) addr = attr_address(tb[IFA_ADDRESS], ifa->ifa_family);
  if (!addr) return std::nullopt;
  info.prefix = IpPrefix{*addr, ifa->ifa_prefixlen};
  info.broadcast = attr_address(tb[IFA_BROADCAST], ifa->ifa_family);
  if (tb[IFA_LABEL] && mnl_attr_validate(tb[IFA_LABEL], MNL_TYPE_STRING) >= 0)
    info.label = mnl_attr_get_str(tb[IFA_LABEL]);
  return info;
}

Result<void> add_address(RtnlSocket& sock, const AddressSpec& spec) {
  return change_address(sock, spec, true);
}

Result<void> del_address(RtnlSocket& sock, const AddressSpec& spec) {
  return change_address(sock, spec, false);
}

Result<std::vector<AddressInfo>> list_addresses(RtnlSocket& sock, int ifindex,
                                                std::optional<Family> family) {
  RequestBuffer req;
  auto* ifa = static_cast<ifaddrmsg*>(req.start(RTM_GETADDR, NLM_F_DUMP, sizeof(ifaddrmsg)));
  ifa->ifa_family = family ? static_cast<uint8_t>(address_family(*family)) : AF_UNSPEC;
  std::vector<AddressInfo> out;
  auto r = sock.request(
      req.header(),
      [&](const nlmsghdr* nlh) {
        auto a = parse_address(nlh);
        if (a && (ifindex == 0 || a->ifindex == ifindex)) out.push_back(std::move(*a));
        return MNL_CB_OK;
      },
      "list addresses");
  if (!r) return r.error();
  return out;
}

}  // namespace vigil::netlink
