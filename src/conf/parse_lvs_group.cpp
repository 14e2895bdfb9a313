// virtual_server_group: lines of "ADDRESS-or-RANGE [PORT]" and "fwmark N [inet|inet6]".
#include <charconv>

#include "conf/parse_lvs_sections.h"
#include "conf/parse_lvs_util.h"

namespace vigil::conf::lvs_detail {
namespace {

// The last address of prefix p (all host bits set).
IpAddress prefix_last(const IpPrefix& p) {
  IpAddress net = p.network();
  if (net.is_v4()) {
    uint32_t host = p.length >= 32 ? 0 : (0xffffffffu >> p.length);
    return IpAddress::v4_from_host(net.v4_host_order() | host);
  }
  in6_addr a = net.to_in6_addr();
  for (int bit = p.length; bit < 128; ++bit) a.s6_addr[bit / 8] |= uint8_t(0x80u >> (bit % 8));
  return IpAddress::v6(a);
}

// "A-B" where B is either a full address or the last component (decimal for IPv4, hex group
// for IPv6) replacing the end of A.
std::optional<IpAddress> range_end(const IpAddress& first, std::string_view end) {
  if (auto full = IpAddress::parse(end)) return full;
  unsigned v = 0;
  int base = first.is_v4() ? 10 : 16;
  auto [ptr, ec] = std::from_chars(end.data(), end.data() + end.size(), v, base);
  if (end.empty() || ec != std::errc{} || ptr != end.data() + end.size()) return std::nullopt;
  if (first.is_v4()) {
    if (v > 255) return std::nullopt;
    return IpAddress::v4_from_host((first.v4_host_order() & 0xffffff00u) | v);
  }
  if (v > 0xffff) return std::nullopt;
  in6_addr a = first.to_in6_addr();
  a.s6_addr[14] = uint8_t(v >> 8);
  a.s6_addr[15] = uint8_t(v & 0xff);
  return IpAddress::v6(a);
}

void parse_entry(const Node& n, VirtualServerGroup& g, ParseContext& ctx) {
  VirtualServerGroupEntry e;
  e.loc = n.loc();
  if (!ctx.expect_no_block(n)) return;
  if (n.keyword.text == "fwmark") {
    if (!ctx.expect_args(n, 1, 2)) return;
    auto m = u32(ctx, n, 0, 1);
    if (!m) return;
    e.is_fwmark = true;
    e.fwmark = *m;
    if (n.args.size() > 1) {
      e.family = ctx.choice<Family>(n, 1, {{"inet", Family::V4}, {"inet6", Family::V6}});
      if (!e.family) return;
    }
    g.entries.push_back(std::move(e));
    return;
  }
  if (!ctx.expect_args(n, 0, 1)) return;
  const std::string& text = n.keyword.text;
  size_t dash = text.find('-');
  if (dash != std::string::npos) {
    auto first = IpAddress::parse(std::string_view(text).substr(0, dash));
    auto last = first ? range_end(*first, std::string_view(text).substr(dash + 1)) : std::nullopt;
    if (!first || !last || last->family() != first->family()) {
      ctx.diag.error(n.loc(), "`" + text + "` is not an address range (e.g. 192.0.2.1-10)", {},
                     unsigned(text.size()));
      return;
    }
    if (*last < *first) {
      ctx.diag.error(n.loc(), "address range `" + text + "` ends before it starts", {},
                     unsigned(text.size()));
      return;
    }
    e.first = *first;
    e.last = *last;
  } else {
    auto p = IpPrefix::parse(text);
    if (!p) {
      ctx.diag.error(n.loc(),
                     "`" + text + "` in virtual_server_group is not an address, range or fwmark",
                     {}, unsigned(text.size()));
      return;
    }
    e.first = p->network();
    e.last = prefix_last(*p);
    if (p->length == p->max_length()) e.first = e.last = p->address;
  }
  if (!n.args.empty()) {
    auto port = ctx.port(n, 0, true);
    if (!port) return;
    e.port = port;
  }
  g.entries.push_back(std::move(e));
}

}  // namespace

void parse_virtual_server_group(const Node& n, LvsConfig& lvs, ParseContext& ctx) {
  if (!ctx.expect_args(n, 1, 1) || !ctx.expect_block(n)) return;
  VirtualServerGroup g;
  g.name = n.args[0].text;
  g.loc = n.loc();
  for (const Node& child : n.children) parse_entry(child, g, ctx);
  lvs.groups.push_back(std::move(g));
}

}  // namespace vigil::conf::lvs_detail
