// Checks that need the whole configuration: ranges that depend on the VRRP version, references
// between sections, duplicates, and the combinations keepalived rejects or silently "fixes".
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "conf/parse_internal.h"

namespace vigil::conf::detail {
namespace {

unsigned len(const std::string& s) {
  return std::max<unsigned>(1, s.size());
}

template <class Items>
void check_duplicate_names(const Items& items, std::string_view what, ParseContext& ctx) {
  std::unordered_map<std::string_view, const typename Items::value_type*> seen;
  seen.reserve(items.size());
  for (const auto& it : items) {
    if (it.name.empty()) continue;
    auto [pos, inserted] = seen.emplace(it.name, &it);
    if (!inserted) {
      ctx.diag.error(it.loc, "duplicate " + std::string(what) + " `" + it.name + "`", {},
                     unsigned(what.size()));
      ctx.diag.note(pos->second->loc, "`" + it.name + "` was first defined here");
    }
  }
}

// The names references can point at, indexed once: a generated config can have 65,024
// instances each referring to its own track_file, and a linear search per reference made the
// check quadratic (20 s for keepalived.conf(5)'s ~SEQ example).
template <class T>
std::unordered_set<std::string_view> name_index(const T& targets) {
  std::unordered_set<std::string_view> names;
  names.reserve(targets.size());
  for (const auto& t : targets) names.insert(t.name);
  return names;
}

struct RefIndex {
  explicit RefIndex(const Config& c)
      : scripts(name_index(c.vrrp_scripts)),
        files(name_index(c.track_files)),
        processes(name_index(c.track_processes)),
        bfds(name_index(c.lvs.bfd)) {}
  std::unordered_set<std::string_view> scripts, files, processes, bfds;
};

template <class T>
void check_refs(const std::vector<TrackRef>& refs,
                const std::unordered_set<std::string_view>& index, const T& targets,
                std::string_view kind, ParseContext& ctx) {
  for (const auto& r : refs) {
    if (index.count(r.name)) continue;
    std::vector<std::string_view> names;
    for (const auto& t : targets) names.push_back(t.name);
    auto s = suggest(r.name, names);
    ctx.diag.error(r.loc, "unknown " + std::string(kind) + " `" + r.name + "`",
                   s.empty() ? std::string{} : "did you mean `" + s + "`?", len(r.name));
  }
}

// For one-off checks (a few references): indexes the targets itself.
template <class T>
void check_refs(const std::vector<TrackRef>& refs, const T& targets,
                std::string_view kind, ParseContext& ctx) {
  if (!refs.empty()) check_refs(refs, name_index(targets), targets, kind, ctx);
}

void check_tracking_refs(const Tracking& t, const Config& c, const RefIndex& idx,
                         ParseContext& ctx) {
  check_refs(t.scripts, idx.scripts, c.vrrp_scripts, "vrrp_script", ctx);
  check_refs(t.files, idx.files, c.track_files, "track_file", ctx);
  check_refs(t.processes, idx.processes, c.track_processes, "vrrp_track_process", ctx);
  check_refs(t.bfds, idx.bfds, c.lvs.bfd, "bfd_instance", ctx);
}

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

void check_instance(VrrpInstance& vi, const Config& c, const RefIndex& idx, ParseContext& ctx) {
  const std::string who = "vrrp_instance `" + vi.name + "`";
  const unsigned kw = unsigned(std::string_view("vrrp_instance").size());
  if (vi.name.empty()) return;                 // already reported
  if (!vi.given.vrid && !vi.vrid_loc.valid())  // an invalid value was reported already
    ctx.diag.error(vi.loc, who + " has no virtual_router_id", "add `virtual_router_id 1-255`", kw);
  if (!vi.interface && vi.unicast_peers.empty())
    ctx.diag.error(vi.loc, who + " has no interface", "add `interface IFNAME`", kw);

  // Version and advert_int.
  if (vi.family == Family::V6 && vi.given.version == 2)
    ctx.diag.error(vi.loc, who + " uses IPv6 addresses, which need VRRP version 3",
                   "remove `version 2` or use IPv4 addresses", kw);
  if (vi.advert_int_loc.valid()) {
    double a = vi.advert_int_seconds;
    if (vi.version == 2) {
      if (a != std::floor(a) || a < 1 || a > 255)
        ctx.diag.error(vi.advert_int_loc,
                       who + ": advert_int " + fmt_seconds(a) +
                           " is not valid for VRRP version 2 (whole seconds 1-255)",
                       "use `version 3` for sub-second intervals");
    } else if (a > 40.95) {
      ctx.diag.error(vi.advert_int_loc,
                     who + ": advert_int " + fmt_seconds(a) +
                         " is out of range for VRRP version 3 (0.01-40.95 seconds)");
    }
  }

  // Priority and state.
  if (vi.priority == 255 && vi.initial_state == VrrpState::Backup && vi.state_loc.valid())
    ctx.diag.warning(vi.state_loc, who + ": priority 255 (address owner) starts as MASTER",
                     "write `state MASTER` for the address owner");
  if (vi.priority == 255) vi.initial_state = VrrpState::Master;
  if (vi.nopreempt && vi.initial_state == VrrpState::Master && vi.priority != 255)
    ctx.diag.warning(vi.state_loc.valid() ? vi.state_loc : vi.loc,
                     who + ": nopreempt only works with `state BACKUP`");
  if (vi.given.preempt_delay && vi.initial_state == VrrpState::Master && vi.priority != 255)
    ctx.diag.warning(vi.state_loc.valid() ? vi.state_loc : vi.loc,
                     who + ": preempt_delay only works with `state BACKUP`");

  // Authentication.
  if (vi.auth_type != AuthType::None && vi.auth_pass.empty())
    ctx.diag.error(vi.loc, who + ": authentication needs `auth_pass`", {}, kw);
  if (vi.auth_type == AuthType::None && !vi.auth_pass.empty())
    ctx.diag.error(vi.auth_pass_loc, who + ": auth_pass without auth_type",
                   "add `auth_type PASS` or `auth_type AH`");
  if (vi.auth_type != AuthType::None && vi.version == 3)
    ctx.diag.error(vi.auth_pass_loc.valid() ? vi.auth_pass_loc : vi.loc,
                   who + ": authentication is not part of VRRP version 3",
                   "remove the authentication block or use version 2");
  if (vi.auth_type == AuthType::Pass && vi.auth_pass.size() > 8)
    ctx.diag.warning(vi.auth_pass_loc,
                     who + ": auth_pass is longer than 8 characters; only `" +
                         vi.auth_pass.substr(0, 8) + "` is used",
                     {}, len(vi.auth_pass));
  if (vi.auth_type == AuthType::Pass && vi.auth_pass.size() > 8) vi.auth_pass.resize(8);
  if (vi.auth_type == AuthType::Ah && vi.initial_state == VrrpState::Master && vi.priority != 255) {
    ctx.diag.warning(vi.state_loc.valid() ? vi.state_loc : vi.loc,
                     who +
                         ": `state MASTER` cannot be used with AH authentication; starting "
                         "as BACKUP",
                     "write `state BACKUP` (keepalived does the same)");
    vi.initial_state = VrrpState::Backup;
  }

  // Addresses.
  for (const auto& a : vi.vips) {
    if (a.address.address.family() != vi.family)
      ctx.diag.error(a.loc,
                     who + ": virtual_ipaddress " + a.address.to_string() +
                         " is not of the instance's address family",
                     "put addresses of the other family in virtual_ipaddress_excluded");
  }
  if (vi.src_ip && vi.src_ip->family() != vi.family)
    ctx.diag.error(vi.loc,
                   who + ": unicast_src_ip/mcast_src_ip " + vi.src_ip->to_string() +
                       " is not of the instance's address family",
                   {}, kw);
  std::set<IpAddress> peers;
  for (const auto& p : vi.unicast_peers) {
    if (p.address.family() != vi.family)
      ctx.diag.error(p.loc, who + ": unicast_peer " + p.address.to_string() +
                                " is not of the instance's address family");
    if (!peers.insert(p.address).second)
      ctx.diag.error(p.loc, who + ": unicast_peer " + p.address.to_string() + " is listed twice");
    if (vi.src_ip && *vi.src_ip == p.address)
      ctx.diag.error(p.loc, who + ": unicast_peer " + p.address.to_string() +
                                " is this instance's own source address");
  }
  if (vi.mcast_dst_ip && vi.unicast_peers.empty() && vi.mcast_dst_ip->family() != vi.family)
    ctx.diag.error(vi.loc, who + ": mcast_dst_ip is not of the instance's address family", {}, kw);
  if (vi.vmac && !vi.unicast_peers.empty() && !vi.vmac_xmit_base)
    ctx.diag.error(vi.loc, who + ": use_vmac with unicast_peer needs vmac_xmit_base", {}, kw);
  if (vi.vmac && vi.ipvlan->has_value())
    ctx.diag.error(vi.loc, who + ": use_vmac and use_ipvlan cannot both be used", {}, kw);

  // vrrp_strict / strict_mode restrictions.
  if (vi.strict_mode) {
    auto strict = [&](const SourceLoc& at, const std::string& what) {
      ctx.diag.error(at.valid() ? at : vi.loc, who + ": " + what + " is not allowed in strict mode",
                     "remove it or turn off vrrp_strict/strict_mode");
    };
    if (vi.vips.empty()) strict(vi.loc, "an instance without virtual_ipaddress");
    if (!vi.unicast_peers.empty()) strict(vi.unicast_peers.front().loc, "unicast_peer");
    if (vi.auth_type != AuthType::None) strict(vi.auth_pass_loc, "authentication");
    if (vi.given.preempt_delay) strict(vi.loc, "preempt_delay");
    if (vi.initial_state == VrrpState::Master && vi.priority != 255)
      strict(vi.state_loc, "`state MASTER` with priority below 255");
    if (vi.version == 2 && vi.given.accept == true) strict(vi.loc, "accept mode with version 2");
    if (vi.higher_prio_send_advert) strict(vi.loc, "higher_prio_send_advert");
    if (vi.vmac_xmit_base) strict(vi.loc, "vmac_xmit_base");
    if (vi.given.lower_prio_no_advert == false) strict(vi.loc, "`lower_prio_no_advert off`");
    if (vi.family == Family::V6 && !vi.vips.empty() &&
        !vi.vips.front().address.address.is_v6_link_local())
      strict(vi.vips.front().loc,
             "an IPv6 instance whose first virtual_ipaddress is not "
             "link-local");
  }

  // Tracking.
  check_tracking_refs(vi.tracking, c, idx, ctx);
  if (vi.priority == 255) {
    auto warn_weight = [&](const auto& refs) {
      for (const auto& r : refs)
        if (r.weight && *r.weight != 0)
          ctx.diag.warning(r.loc, who +
                                      ": the address owner (priority 255) cannot change "
                                      "priority; weight of `" +
                                      r.name + "` is ignored");
    };
    warn_weight(vi.tracking.scripts);
    warn_weight(vi.tracking.files);
    warn_weight(vi.tracking.processes);
  }
}

void check_duplicate_vrids(const Config& c, ParseContext& ctx) {
  // (interface, family, destination) identify the socket; unicast instances only clash when
  // their peers overlap.
  std::map<std::tuple<std::string, Family, uint8_t>, std::vector<const VrrpInstance*>> by_key;
  for (const auto& vi : c.vrrp_instances) {
    if (!vi.given.vrid || vi.name.empty()) continue;
    by_key[{vi.interface.value_or(""), vi.family, vi.vrid}].push_back(&vi);
  }
  for (const auto& [key, list] : by_key) {
    for (size_t i = 1; i < list.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        const VrrpInstance& a = *list[j];
        const VrrpInstance& b = *list[i];
        bool clash;
        if (!a.unicast_peers.empty() || !b.unicast_peers.empty()) {
          clash = false;
          for (const auto& p : a.unicast_peers)
            for (const auto& q : b.unicast_peers) clash |= p.address == q.address;
        } else {
          clash = a.mcast_dst_ip == b.mcast_dst_ip;
        }
        if (!clash) continue;
        ctx.diag.error(b.vrid_loc.valid() ? b.vrid_loc : b.loc,
                       "vrrp_instance `" + b.name + "`: virtual_router_id " +
                           std::to_string(b.vrid) + " is already used by `" + a.name + "` on " +
                           (a.interface ? "interface " + *a.interface : "this host") + " for " +
                           (a.family == Family::V4 ? "IPv4" : "IPv6"),
                       "each instance on one interface and family needs its own "
                       "virtual_router_id");
        break;
      }
    }
  }
}

void check_sync_groups(Config& c, ParseContext& ctx) {
  std::map<std::string, const VrrpSyncGroup*> member_of;
  const auto instances = name_index(c.vrrp_instances);
  const RefIndex idx(c);
  for (const auto& sg : c.sync_groups) {
    check_refs(sg.members, instances, c.vrrp_instances, "vrrp_instance", ctx);
    check_tracking_refs(sg.tracking, c, idx, ctx);
    if (sg.members.empty() && !sg.name.empty())
      ctx.diag.error(sg.loc, "vrrp_sync_group `" + sg.name + "` has no `group` members", {}, 15);
    else if (sg.members.size() == 1)
      ctx.diag.warning(sg.loc, "vrrp_sync_group `" + sg.name + "` has only one member", {}, 15);
    for (const auto& m : sg.members) {
      auto [it, inserted] = member_of.emplace(m.name, &sg);
      if (!inserted && c.find_instance(m.name))
        ctx.diag.error(m.loc,
                       "vrrp_instance `" + m.name + "` is already a member of sync group `" +
                           it->second->name + "`",
                       {}, len(m.name));
    }
    if (sg.sync_group_tracking_weight || sg.global_tracking) continue;
    for (const auto& m : sg.members) {
      const VrrpInstance* vi = c.find_instance(m.name);
      if (!vi) continue;
      auto warn = [&](const auto& refs, std::string_view kind) {
        for (const auto& r : refs)
          if (r.weight && *r.weight != 0)
            ctx.diag.warning(r.loc,
                             "vrrp_instance `" + vi->name + "` is in sync group `" + sg.name +
                                 "`: the weight of " + std::string(kind) + " `" + r.name +
                                 "` is ignored",
                             "set sync_group_tracking_weight in the group to keep weights");
      };
      warn(vi->tracking.scripts, "track_script");
      warn(vi->tracking.files, "track_file");
      warn(vi->tracking.processes, "track_process");
    }
  }
}

void check_static_track_groups(const Config& c, ParseContext& ctx) {
  std::vector<std::string_view> names;
  for (const auto& tg : c.track_groups) {
    names.push_back(tg.name);
    check_refs(tg.instances, c.vrrp_instances, "vrrp_instance", ctx);
  }
  auto check = [&](const std::optional<std::string>& g, const SourceLoc& loc) {
    if (!g || std::find(names.begin(), names.end(), *g) != names.end()) return;
    auto s = suggest(*g, names);
    ctx.diag.error(loc, "unknown track_group `" + *g + "`",
                   s.empty() ? std::string{} : "did you mean `" + s + "`?");
  };
  for (const auto& a : c.statics.addresses) check(a.track_group, a.loc);
  for (const auto& r : c.statics.routes) check(r.track_group, r.loc);
  for (const auto& r : c.statics.rules) check(r.track_group, r.loc);
}

}  // namespace

void validate_vrrp(Config& c, ParseContext& ctx) {
  check_duplicate_names(c.vrrp_instances, "vrrp_instance", ctx);
  check_duplicate_names(c.vrrp_scripts, "vrrp_script", ctx);
  check_duplicate_names(c.track_files, "track_file", ctx);
  check_duplicate_names(c.track_processes, "vrrp_track_process", ctx);
  check_duplicate_names(c.sync_groups, "vrrp_sync_group", ctx);
  check_duplicate_names(c.track_groups, "track_group", ctx);
  {
    const RefIndex idx(c);
    for (auto& vi : c.vrrp_instances) check_instance(vi, c, idx, ctx);
  }
  check_duplicate_vrids(c, ctx);
  check_sync_groups(c, ctx);
  check_static_track_groups(c, ctx);
  if (c.global.lvs_sync_daemon && c.global.lvs_sync_daemon->vrrp_instance) {
    const auto& d = *c.global.lvs_sync_daemon;
    if (!c.find_instance(*d.vrrp_instance)) {
      std::vector<std::string_view> names;
      for (const auto& vi : c.vrrp_instances) names.push_back(vi.name);
      auto s = suggest(*d.vrrp_instance, names);
      ctx.diag.error(d.loc, "lvs_sync_daemon: unknown vrrp_instance `" + *d.vrrp_instance + "`",
                     s.empty() ? std::string{} : "did you mean `" + s + "`?");
    }
  }
}

}  // namespace vigil::conf::detail
