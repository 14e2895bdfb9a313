// Cross-checks of the LVS model that no single keyword handler can make.
#include <map>
#include <set>
#include <tuple>

#include "conf/parse_lvs.h"

#include "conf/model.h"

namespace vigil::conf {
namespace {

std::vector<std::string_view> names_of(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

void unknown_reference(ParseContext& ctx, const SourceLoc& loc, const std::string& what,
                       const std::string& name, const std::vector<std::string>& known) {
  auto s = suggest(name, names_of(known));
  ctx.diag.error(loc, what + " `" + name + "` is not defined",
                 s.empty() ? std::string{} : "did you mean `" + s + "`?");
}

bool is_tunnel(const std::optional<ForwardingMethod>& own, const VirtualServer& vs) {
  const auto& f = own ? own : vs.forwarding;
  return f && f->method == LvsForwarding::Tun;
}

// The address family of a virtual server, when it has one of its own.
std::optional<Family> vs_family(const VirtualServer& vs, const LvsConfig& lvs) {
  if (vs.kind == VirtualServerKind::Address) return vs.address.family();
  if (vs.ip_family) return vs.ip_family;
  if (vs.kind == VirtualServerKind::Group) {
    for (const auto& g : lvs.groups) {
      if (g.name != vs.group) continue;
      for (const auto& e : g.entries)
        if (!e.is_fwmark) return e.first.family();
    }
  }
  return std::nullopt;
}

std::string family_name(Family f) {
  return f == Family::V4 ? "IPv4" : "IPv6";
}

void validate_checker(const HealthChecker& c, const LvsConfig& lvs, const LvsExternalNames& ext,
                      ParseContext& ctx) {
  std::string kw(checker_keyword(c.kind));
  if (const auto* h = std::get_if<HttpCheck>(&c.spec)) {
    if (h->urls.empty()) ctx.diag.error(c.loc, kw + " needs at least one `url { path ... }`");
    for (const auto& u : h->urls) {
      if (u.path.empty()) ctx.diag.error(u.loc, "`url` needs a `path`");
      if (u.regex_min_offset && u.regex_max_offset && *u.regex_max_offset < *u.regex_min_offset)
        ctx.diag.error(u.loc, "`url`: regex_max_offset is smaller than regex_min_offset");
      if (u.regex) {
        std::string why;
        if (!BodyRegex::compile(u.regex_spec(), why))
          ctx.diag.error(u.loc, "`url`: regex `" + *u.regex + "` does not compile: " + why);
      }
    }
  } else if (const auto* m = std::get_if<MiscCheck>(&c.spec)) {
    if (m->path.empty()) ctx.diag.error(c.loc, "MISC_CHECK needs `misc_path`");
  } else if (const auto* u = std::get_if<UdpCheck>(&c.spec)) {
    if (u->min_reply_length > u->max_reply_length)
      ctx.diag.error(c.loc, "UDP_CHECK: min_reply_length " + std::to_string(u->min_reply_length) +
                                " is larger than max_reply_length " +
                                std::to_string(u->max_reply_length));
  } else if (const auto* f = std::get_if<FileCheck>(&c.spec)) {
    if (f->track_file.empty()) {
      ctx.diag.error(c.loc, "FILE_CHECK needs `track_file NAME`");
    } else if (ext.know_track_files) {
      bool found = false;
      for (const auto& t : ext.track_files) found = found || t == f->track_file;
      if (!found) unknown_reference(ctx, c.loc, "track_file", f->track_file, ext.track_files);
    }
  } else if (const auto* b = std::get_if<BfdCheck>(&c.spec)) {
    std::vector<std::string> known;
    for (const auto& i : lvs.bfd) known.push_back(i.name);
    if (b->bfd_instance.empty()) {
      ctx.diag.error(c.loc, "BFD_CHECK needs `name BFD_INSTANCE`");
    } else if (std::find(known.begin(), known.end(), b->bfd_instance) == known.end()) {
      unknown_reference(ctx, c.loc, "bfd_instance", b->bfd_instance, known);
    }
  }
}

void validate_real_server(const VirtualServer& vs, const RealServer& rs,
                          std::optional<Family> family, const LvsConfig& lvs,
                          const LvsExternalNames& ext, ParseContext& ctx) {
  if (family && rs.address.family() != *family && !is_tunnel(rs.forwarding, vs)) {
    ctx.diag.error(rs.loc, "real_server " + rs.address.to_string() + " is " +
                               family_name(rs.address.family()) + " but virtual_server " +
                               vs.label() + " is " + family_name(*family) +
                               " (only tunnelled real servers may differ)");
  }
  if (rs.uthreshold && rs.lthreshold && *rs.lthreshold > *rs.uthreshold)
    ctx.diag.error(rs.loc, "real_server " + rs.address.to_string() + ": lthreshold " +
                               std::to_string(*rs.lthreshold) + " is above uthreshold " +
                               std::to_string(*rs.uthreshold));
  for (const auto& c : rs.checkers) validate_checker(c, lvs, ext, ctx);
}

void validate_virtual_server(const VirtualServer& vs, const LvsConfig& lvs,
                             const LvsExternalNames& ext, ParseContext& ctx) {
  if (vs.kind == VirtualServerKind::Group) {
    std::vector<std::string> known;
    for (const auto& g : lvs.groups) known.push_back(g.name);
    if (std::find(known.begin(), known.end(), vs.group) == known.end())
      unknown_reference(ctx, vs.loc, "virtual_server_group", vs.group, known);
  }
  if (vs.kind == VirtualServerKind::Address) {
    if (vs.ip_family && *vs.ip_family != vs.address.family())
      ctx.diag.error(vs.loc, "virtual_server " + vs.label() + ": ip_family contradicts its " +
                                 family_name(vs.address.family()) + " address");
    if (!vs.port && !vs.persistence_timeout)
      ctx.diag.warning(vs.loc, "virtual_server " + vs.label() +
                                   " has no port; only persistent services may omit it");
  }
  if (vs.kind == VirtualServerKind::Fwmark) {
    // The firewall mark selects the traffic; IPVS fwmark services have no protocol.
    if (vs.protocol)
      ctx.diag.warning(
          vs.loc, "virtual_server " + vs.label() + ": `protocol` is ignored for fwmark services");
  } else if (!vs.protocol) {
    ctx.diag.warning(vs.loc, "virtual_server " + vs.label() +
                                 " sets no `protocol`; keepalived 2.2.7 then uses UDP");
  }
  if (vs.ops && vs.kind != VirtualServerKind::Fwmark && effective_protocol(vs) != LvsProtocol::Udp)
    ctx.diag.warning(vs.loc, "virtual_server " + vs.label() +
                                 ": `ops` (one-packet scheduling) only applies to UDP; ignored");
  auto family = vs_family(vs, lvs);
  if (vs.persistence_granularity && family == Family::V4 && *vs.persistence_granularity > 32)
    ctx.diag.error(vs.loc, "virtual_server " + vs.label() + ": persistence_granularity /" +
                               std::to_string(*vs.persistence_granularity) +
                               " is longer than an IPv4 address");
  if (!vs.sorry_server) {
    if (vs.sorry_server_forwarding)
      ctx.diag.warning(vs.sorry_server_forwarding->loc,
                       "`sorry_server_lvs_method` without a `sorry_server` has no effect");
    if (vs.sorry_server_inhibit)
      ctx.diag.warning(vs.loc, "`sorry_server_inhibit` without a `sorry_server` has no effect");
  } else if (family && vs.sorry_server->address.family() != *family &&
             !is_tunnel(vs.sorry_server_forwarding, vs)) {
    ctx.diag.error(vs.sorry_server->loc,
                   "sorry_server " + vs.sorry_server->address.to_string() + " is " +
                       family_name(vs.sorry_server->address.family()) + " but virtual_server " +
                       vs.label() + " is " + family_name(*family));
  }
  if (vs.real_servers.empty())
    ctx.diag.warning(vs.loc, "virtual_server " + vs.label() + " has no real_server");

  std::map<std::pair<IpAddress, uint16_t>, const RealServer*> seen;
  uint64_t total_weight = 0;
  for (const auto& rs : vs.real_servers) {
    auto [it, fresh] = seen.emplace(std::make_pair(rs.address, rs.port.value_or(0)), &rs);
    if (!fresh) {
      ctx.diag.error(rs.loc, "real_server " + rs.address.to_string() +
                                 (rs.port ? " " + std::to_string(*rs.port) : "") +
                                 " appears twice in virtual_server " + vs.label());
      ctx.diag.note(it->second->loc, "first defined here");
    }
    total_weight += rs.weight;
    validate_real_server(vs, rs, family, lvs, ext, ctx);
  }
  if (!vs.real_servers.empty() && vs.quorum > total_weight)
    ctx.diag.warning(vs.loc, "virtual_server " + vs.label() + ": quorum " +
                                 std::to_string(vs.quorum) +
                                 " exceeds the total weight of its real servers (" +
                                 std::to_string(total_weight) + "), so it is never reached");
  if (vs.hysteresis >= vs.quorum && vs.hysteresis > 0)
    ctx.diag.warning(vs.loc, "virtual_server " + vs.label() + ": hysteresis " +
                                 std::to_string(vs.hysteresis) + " is not below quorum " +
                                 std::to_string(vs.quorum));
}

// Two virtual servers are the same IPVS service when kind, address/fwmark/group, port,
// protocol and family agree.
using VsKey = std::tuple<int, IpAddress, uint32_t, std::string, uint16_t, int, int>;

VsKey key_of(const VirtualServer& vs, const LvsConfig& lvs) {
  auto fam = vs_family(vs, lvs);
  return {static_cast<int>(vs.kind),
          vs.kind == VirtualServerKind::Address ? vs.address : IpAddress{},
          vs.fwmark,
          vs.group,
          vs.port.value_or(0),
          static_cast<int>(effective_protocol(vs)),
          fam ? static_cast<int>(*fam) : -1};
}

template <class T>
void check_unique_names(const std::vector<T>& items, std::string_view what, ParseContext& ctx) {
  std::map<std::string, const T*> seen;
  for (const auto& i : items) {
    auto [it, fresh] = seen.emplace(i.name, &i);
    if (!fresh) {
      ctx.diag.error(i.loc, std::string(what) + " `" + i.name + "` is defined twice");
      ctx.diag.note(it->second->loc, "first defined here");
    }
  }
}

}  // namespace

void validate_lvs(const LvsConfig& lvs, const LvsExternalNames& ext, ParseContext& ctx) {
  check_unique_names(lvs.groups, "virtual_server_group", ctx);
  check_unique_names(lvs.bfd, "bfd_instance", ctx);
  for (const auto& g : lvs.groups)
    if (g.entries.empty())
      ctx.diag.warning(g.loc, "virtual_server_group `" + g.name + "` is empty");
  for (const auto& b : lvs.bfd)
    if (!b.neighbor_ip) ctx.diag.error(b.loc, "bfd_instance `" + b.name + "` needs `neighbor_ip`");

  std::map<VsKey, const VirtualServer*> seen;
  for (const auto& vs : lvs.virtual_servers) {
    auto [it, fresh] = seen.emplace(key_of(vs, lvs), &vs);
    if (!fresh) {
      ctx.diag.error(vs.loc, "virtual_server " + vs.label() + " (" +
                                 std::string(to_string(effective_protocol(vs))) +
                                 ") is defined twice");
      ctx.diag.note(it->second->loc, "first defined here");
    }
    validate_virtual_server(vs, lvs, ext, ctx);
  }
}

void validate_lvs(const LvsConfig& lvs, const Config& all, ParseContext& ctx) {
  LvsExternalNames names;
  names.know_track_files = true;
  for (const auto& t : all.track_files) names.track_files.push_back(t.name);
  validate_lvs(lvs, names, ctx);
}

}  // namespace vigil::conf
