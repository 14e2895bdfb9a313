#include "netlink/routes.h"

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include <cstring>
#include <string>

namespace vigil::netlink {

namespace {

void put_address(nlmsghdr* nlh, uint16_t type, const IpAddress& a) {
  mnl_attr_put(nlh, type, a.size(), a.data());
}

// Route types that carry no next hop: the kernel rejects a gateway or device on them.
bool is_nexthop_less(RouteType t) {
  return t == RouteType::Blackhole || t == RouteType::Unreachable || t == RouteType::Prohibit ||
         t == RouteType::Throw;
}

Result<void> change_route(RtnlSocket& sock, const RouteSpec& spec, bool add) {
  const Family fam = spec.destination.address.family();
  if (spec.destination.length > spec.destination.max_length())
    return Error{EINVAL, "route: bad prefix length"};
  if (spec.via && spec.via->family() != fam) return Error{EINVAL, "route: gateway family"};
  if (spec.src && spec.src->family() != fam) return Error{EINVAL, "route: source family"};
  const bool no_nh = is_nexthop_less(spec.type);
  if (no_nh && (spec.via || spec.ifindex))
    return Error{EINVAL, "route: blackhole/unreachable/prohibit/throw take no via or dev"};
  if (add && !no_nh && !spec.via && spec.ifindex <= 0)
    return Error{EINVAL, "route: needs via or dev"};

  RequestBuffer req;
  auto* rtm = static_cast<rtmsg*>(req.start(add ? RTM_NEWROUTE : RTM_DELROUTE,
                                            add ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(rtmsg)));
  nlmsghdr* nlh = req.header();
  rtm->rtm_family = address_family(fam);
  rtm->rtm_dst_len = spec.destination.length;
  rtm->rtm_type = static_cast<uint8_t>(spec.type);
  rtm->rtm_protocol = add ? spec.protocol : RTPROT_UNSPEC;
  // As ip(8): link scope for a directly connected unicast route, universe otherwise; host
  // scope for local routes. Delete matches any scope unless one was given.
  uint8_t scope = RT_SCOPE_UNIVERSE;
  if (spec.scope)
    scope = static_cast<uint8_t>(*spec.scope);
  else if (spec.type == RouteType::Local)
    scope = RT_SCOPE_HOST;
  else if (spec.type == RouteType::Unicast && !spec.via)
    scope = RT_SCOPE_LINK;
  rtm->rtm_scope = (!add && !spec.scope) ? static_cast<uint8_t>(RT_SCOPE_NOWHERE) : scope;
  // Tables above 255 exist only in RTA_TABLE; the header field then says "see attribute".
  rtm->rtm_table =
      spec.table < 256 ? static_cast<uint8_t>(spec.table) : static_cast<uint8_t>(RT_TABLE_UNSPEC);
  mnl_attr_put_u32(nlh, RTA_TABLE, spec.table);
  if (spec.onlink) rtm->rtm_flags |= RTNH_F_ONLINK;
  if (spec.destination.length > 0) put_address(nlh, RTA_DST, spec.destination.network());
  if (spec.via) put_address(nlh, RTA_GATEWAY, *spec.via);
  if (spec.ifindex > 0) mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(spec.ifindex));
  if (spec.src) put_address(nlh, RTA_PREFSRC, *spec.src);
  if (spec.metric) mnl_attr_put_u32(nlh, RTA_PRIORITY, *spec.metric);
  std::string what = std::string(add ? "add" : "delete") + " route " +
                     spec.destination.to_string() +
                     (spec.via ? " via " + spec.via->to_string() : std::string()) + " table " +
                     std::to_string(spec.table);
  return sock.request(nlh, {}, what);
}

Result<void> change_rule(RtnlSocket& sock, const RuleSpec& spec, bool add) {
  for (const auto* p : {&spec.from, &spec.to})
    if (*p && (*p)->address.family() != spec.family) return Error{EINVAL, "rule: address family"};
  if (spec.action == RuleAction::ToTable && spec.table == 0 && add)
    return Error{EINVAL, "rule: needs a table"};
  if (spec.action == RuleAction::Goto && !spec.goto_target)
    return Error{EINVAL, "rule: goto needs a target priority"};

  RequestBuffer req;
  auto* frh = static_cast<fib_rule_hdr*>(req.start(
      add ? RTM_NEWRULE : RTM_DELRULE, add ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(fib_rule_hdr)));
  nlmsghdr* nlh = req.header();
  frh->family = address_family(spec.family);
  frh->action = static_cast<uint8_t>(spec.action);
  if (spec.invert) frh->flags |= FIB_RULE_INVERT;
  if (spec.tos) frh->tos = *spec.tos;
  if (spec.from) {
    frh->src_len = spec.from->length;
    put_address(nlh, FRA_SRC, spec.from->network());
  }
  if (spec.to) {
    frh->dst_len = spec.to->length;
    put_address(nlh, FRA_DST, spec.to->network());
  }
  if (spec.action == RuleAction::ToTable && spec.table) {
    frh->table =
        spec.table < 256 ? static_cast<uint8_t>(spec.table) : static_cast<uint8_t>(RT_TABLE_UNSPEC);
    mnl_attr_put_u32(nlh, FRA_TABLE, spec.table);
  }
  if (spec.goto_target) mnl_attr_put_u32(nlh, FRA_GOTO, *spec.goto_target);
  if (spec.priority) mnl_attr_put_u32(nlh, FRA_PRIORITY, *spec.priority);
  if (spec.fwmark) mnl_attr_put_u32(nlh, FRA_FWMARK, *spec.fwmark);
  if (spec.fwmask) mnl_attr_put_u32(nlh, FRA_FWMASK, *spec.fwmask);
  if (spec.iif) mnl_attr_put_strz(nlh, FRA_IIFNAME, spec.iif->c_str());
  if (spec.oif) mnl_attr_put_strz(nlh, FRA_OIFNAME, spec.oif->c_str());
  std::string what = std::string(add ? "add" : "delete") + " rule" +
                     (spec.from ? " from " + spec.from->to_string() : std::string()) +
                     (spec.to ? " to " + spec.to->to_string() : std::string()) +
                     (spec.table ? " table " + std::to_string(spec.table) : std::string());
  return sock.request(nlh, {}, what);
}

}  // namespace

Result<void> add_route(RtnlSocket& sock, const RouteSpec& spec) {
  return change_route(sock, spec, true);
}
Result<void> del_route(RtnlSocket& sock, const RouteSpec& spec) {
  return change_route(sock, spec, false);
}
Result<void> add_rule(RtnlSocket& sock, const RuleSpec& spec) {
  return change_rule(sock, spec, true);
}
Result<void> del_rule(RtnlSocket& sock, const RuleSpec& spec) {
  return change_rule(sock, spec, false);
}

}  // namespace vigil::netlink

namespace vigil::netlink {

namespace {

std::optional<IpAddress> attr_ip(const nlattr* a) {
  if (!a) return std::nullopt;
  size_t len = mnl_attr_get_payload_len(a);
  if (len == 4) {
    in_addr v{};
    std::memcpy(&v, mnl_attr_get_payload(a), 4);
    return IpAddress::v4(v);
  }
  if (len == 16) {
    in6_addr v{};
    std::memcpy(&v, mnl_attr_get_payload(a), 16);
    return IpAddress::v6(v);
  }
  return std::nullopt;
}

template <size_t N>
void parse_attrs(const nlmsghdr* nlh, size_t hdr, const nlattr* (&tb)[N]) {
  struct Ctx {
    const nlattr** tb;
    size_t max;
  } ctx{tb, N - 1};
  mnl_attr_parse(
      nlh, hdr,
      [](const nlattr* attr, void* data) {
        auto* c = static_cast<Ctx*>(data);
        if (mnl_attr_type_valid(attr, static_cast<uint16_t>(c->max)) >= 0)
          c->tb[mnl_attr_get_type(attr)] = attr;
        return MNL_CB_OK;
      },
      &ctx);
}

uint32_t u32_or(const nlattr* a, uint32_t dflt) {
  return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : dflt;
}

IpAddress zero_of(Family f) {
  return f == Family::V4 ? IpAddress::v4(in_addr{}) : IpAddress::v6(in6_addr{});
}

}  // namespace

Result<std::vector<RouteInfo>> list_routes(RtnlSocket& sock, Family family, uint32_t table) {
  RequestBuffer req;
  auto* rtm = static_cast<rtmsg*>(req.start(RTM_GETROUTE, NLM_F_DUMP, sizeof(rtmsg)));
  rtm->rtm_family = address_family(family);
  std::vector<RouteInfo> out;
  auto r = sock.request(
      req.header(),
      [&](const nlmsghdr* nlh) {
        if (nlh->nlmsg_type != RTM_NEWROUTE) return MNL_CB_OK;
        const auto* m = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
        if (m->rtm_family != address_family(family)) return MNL_CB_OK;
        const nlattr* tb[RTA_MAX + 1] = {};
        parse_attrs(nlh, sizeof(*m), tb);
        RouteInfo info;
        info.type = static_cast<RouteType>(m->rtm_type);
        info.table = u32_or(tb[RTA_TABLE], m->rtm_table);
        if (table && info.table != table) return MNL_CB_OK;
        auto dst = attr_ip(tb[RTA_DST]);
        info.destination = IpPrefix{dst ? *dst : zero_of(family), m->rtm_dst_len};
        info.via = attr_ip(tb[RTA_GATEWAY]);
        info.src = attr_ip(tb[RTA_PREFSRC]);
        info.ifindex = static_cast<int>(u32_or(tb[RTA_OIF], 0));
        if (tb[RTA_PRIORITY]) info.metric = u32_or(tb[RTA_PRIORITY], 0);
        info.scope = static_cast<Scope>(m->rtm_scope);
        info.protocol = m->rtm_protocol;
        out.push_back(std::move(info));
        return MNL_CB_OK;
      },
      "list routes");
  if (!r) return r.error();
  return out;
}

Result<std::vector<RuleInfo>> list_rules(RtnlSocket& sock, Family family) {
  RequestBuffer req;
  auto* frh = static_cast<fib_rule_hdr*>(req.start(RTM_GETRULE, NLM_F_DUMP, sizeof(fib_rule_hdr)));
  frh->family = address_family(family);
  std::vector<RuleInfo> out;
  auto r = sock.request(
      req.header(),
      [&](const nlmsghdr* nlh) {
        if (nlh->nlmsg_type != RTM_NEWRULE) return MNL_CB_OK;
        const auto* h = static_cast<const fib_rule_hdr*>(mnl_nlmsg_get_payload(nlh));
        const nlattr* tb[FRA_MAX + 1] = {};
        parse_attrs(nlh, sizeof(*h), tb);
        RuleInfo info;
        info.family = family;
        info.invert = (h->flags & FIB_RULE_INVERT) != 0;
        info.action = static_cast<RuleAction>(h->action);
        info.table = u32_or(tb[FRA_TABLE], h->table);
        if (auto a = attr_ip(tb[FRA_SRC])) info.from = IpPrefix{*a, h->src_len};
        if (auto a = attr_ip(tb[FRA_DST])) info.to = IpPrefix{*a, h->dst_len};
        if (tb[FRA_PRIORITY]) info.priority = u32_or(tb[FRA_PRIORITY], 0);
        if (tb[FRA_FWMARK]) info.fwmark = u32_or(tb[FRA_FWMARK], 0);
        if (tb[FRA_FWMASK]) info.fwmask = u32_or(tb[FRA_FWMASK], 0);
        out.push_back(std::move(info));
        return MNL_CB_OK;
      },
      "list rules");
  if (!r) return r.error();
  return out;
}

}  // namespace vigil::netlink
