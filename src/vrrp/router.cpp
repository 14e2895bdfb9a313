#include "vrrp/router.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>

#include "netlink/addresses.h"
#include "netlink/links.h"
#include "notify/smtp_alert.h"
#include "vrrp/conf_convert.h"
#include "vrrp/group_state.h"
#include "vrrp/leftover_addresses.h"
#include "vrrp/script_exec.h"
#include "vrrp/sync_group_logic.h"
#include "vrrp/virtual_routes.h"
#include "vrrp/vmac_plan.h"

namespace vigil::vrrp {

// The notify_master / _backup / _fault / _stop script for a state (instances and groups).
static const conf::ScriptCommand* state_script(const conf::Notifies& n, State state) {
  switch (state) {
    case State::Master:
      return &n.master;
    case State::Backup:
      return &n.backup;
    case State::Fault:
      return &n.fault;
    case State::Stop:
      return &n.stop;
    default:
      return nullptr;
  }
}

struct Router::Link {
  int ifindex = 0;
  std::string name;
  bool up = false;
  std::optional<netlink::MacAddress> mac;
};

struct Router::SocketEntry {
  int ifindex = 0;
  Family family = Family::V4;
  uint8_t protocol = kIpProtoVrrp;
  bool multicast = true;
  std::unique_ptr<VrrpSocket> socket;
  std::unique_ptr<loop::FdWatch> watch;
  std::map<uint8_t, Runtime*> by_vrid;
  // Adverts built while a batch of due instances runs; sent together by flush_adverts().
  std::vector<VrrpSocket::Outgoing> pending;
  std::vector<const Runtime*> pending_from;
};

struct Router::Runtime {
  ~Runtime() {
    if (wheel) wheel->cancel(this);
  }
  const conf::VrrpInstance* cfg = nullptr;
  std::unique_ptr<Instance> inst;
  TimerWheel* wheel = nullptr;                    // the instance's FSM deadline lives there
  std::unique_ptr<loop::Timer> garp_timer;        // the delayed GARP burst and refreshes
  std::unique_ptr<loop::Timer> lower_prio_timer;  // garp_lower_prio_delay; made on first use
  int ifindex = 0;
  int vmac_ifindex = 0;  // use_vmac: the macvlan carrying the VIPs
  struct AddressVmac {
    AddressVmacKey key;
    int ifindex = 0;
  };
  std::vector<AddressVmac> address_vmacs;  // use_vmac_addr / per-address use_vmac
  SocketEntry* socket = nullptr;
  std::optional<IpAddress> src;
  std::vector<IpAddress> destinations;  // the group, or the unicast peers
  uint16_t ip_id = 0;
  uint32_t ah_seq = 0;
  bool addresses_present = false;
  bool removed_on_reload = false;  // its leaving notifies as keepalived's deletion does
  SyncGroup* group = nullptr;
  size_t group_index = 0;
};

struct Router::SyncGroup {
  const conf::VrrpSyncGroup* cfg = nullptr;
  std::vector<Runtime*> members;
  State notified = State::Initialize;  // the group state its notifies last reported
};

Router::Router(loop::Loop& loop, std::shared_ptr<const conf::Config> config)
    : loop_(loop),
      config_(std::move(config)),
      wheel_(loop,
             [this](const std::vector<const void*>& due, MonoTime now) { run_due(due, now); }) {}

Router::~Router() = default;

Router::Link* Router::link_by_index(int ifindex) {
  auto it = links_.find(ifindex);
  return it == links_.end() ? nullptr : it->second.get();
}

Router::Link* Router::link_by_name(const std::string& name) {
  for (auto& [i, l] : links_)
    if (l->name == name) return l.get();
  return nullptr;
}

void Router::refresh_links() {
  auto links = netlink::list_links(*rtnl_);
  if (!links) {
    spdlog::error("cannot list interfaces: {}", links.error().message);
    return;
  }
  for (const auto& li : *links) {
    auto& l = links_[li.ifindex];
    if (!l) l = std::make_unique<Link>();
    l->ifindex = li.ifindex;
    l->name = li.name;
    l->up = li.is_up();
    l->mac = li.mac;
  }
}

Router::Runtime* Router::runtime_of(const Instance& inst) const {
  return static_cast<Runtime*>(inst.io_tag());
}

std::optional<IpAddress> Router::primary_address(const Runtime& rt) const {
  if (rt.cfg->src_ip) return rt.cfg->src_ip;
  auto addrs = netlink::list_addresses(*rtnl_, rt.ifindex, rt.cfg->family);
  if (!addrs) return std::nullopt;
  // IPv4: the first address that is not one of our VIPs. IPv6: the link-local address.
  for (const auto& a : *addrs) {
    const IpAddress& ip = a.prefix.address;
    if (rt.cfg->family == Family::V6 && !ip.is_v6_link_local()) continue;
    bool is_vip =
        std::any_of(rt.cfg->vips.begin(), rt.cfg->vips.end(),
                    [&](const conf::VirtualAddress& v) { return v.address.address == ip; });
    if (!is_vip) return ip;
  }
  return std::nullopt;
}

Router::SocketEntry* Router::socket_for(Runtime& rt) {
  const uint8_t proto =
      rt.cfg->auth_type == conf::AuthType::Ah && rt.cfg->version == 2 ? kIpProtoAh : kIpProtoVrrp;
  const bool multicast = rt.cfg->unicast_peers.empty();
  const int ifindex = advert_ifindex(rt);
  for (auto& s : sockets_)
    if (s->ifindex == ifindex && s->family == rt.cfg->family && s->protocol == proto &&
        s->multicast == multicast)
      return s.get();
  SocketConfig sc;
  sc.ifindex = ifindex;
  sc.ifname = links_.count(ifindex) ? links_[ifindex]->name : "";
  sc.family = rt.cfg->family;
  sc.multicast = multicast;
  sc.protocol = proto;
  if (rt.cfg->family == Family::V6) sc.src = rt.src;
  auto sock = VrrpSocket::open(sc);
  if (!sock) {
    spdlog::error("({}) cannot open VRRP socket on {}: {}", rt.cfg->name, sc.ifname,
                  sock.error().message);
    return nullptr;
  }
  auto entry = std::make_unique<SocketEntry>();
  entry->ifindex = ifindex;
  entry->family = rt.cfg->family;
  entry->protocol = proto;
  entry->multicast = multicast;
  entry->socket = std::make_unique<VrrpSocket>(std::move(*sock));
  SocketEntry* raw = entry.get();
  entry->watch = std::make_unique<loop::FdWatch>(loop_, raw->socket->fd(),
                                                 [this, raw] { on_socket_readable(*raw); });
  sockets_.push_back(std::move(entry));
  return raw;
}

bool Router::start() {
  auto rtnl = netlink::RtnlSocket::open();
  if (!rtnl) {
    spdlog::critical("cannot open rtnetlink: {}", rtnl.error().message);
    return false;
  }
  rtnl_ = std::make_unique<netlink::RtnlSocket>(std::move(*rtnl));
  // Subscribe before the first dump so no change between the two is lost.
  auto mon = netlink::LinkMonitor::open();
  if (!mon) {
    spdlog::critical("cannot open rtnetlink monitor: {}", mon.error().message);
    return false;
  }
  monitor_ = std::make_unique<netlink::LinkMonitor>(std::move(*mon));
  monitor_watch_ =
      std::make_unique<loop::FdWatch>(loop_, monitor_->fd(), [this] { on_monitor_readable(); });
  auto ann = Announcer::open();
  if (ann)
    announcer_ = std::make_unique<Announcer>(std::move(*ann));
  else
    spdlog::error("cannot open gratuitous ARP socket: {}", ann.error().message);
  refresh_links();
  if (auto ops = netlink::RtnlOps::open())
    route_ops_ = std::make_unique<netlink::RtnlOps>(std::move(*ops));
  else
    spdlog::error("cannot open rtnetlink for virtual routes: {}", ops.error().message);
  vmacs_ = std::make_unique<VmacManager>(*rtnl_);
  fifos_ = std::make_unique<NotifyFifos>(loop_);
  fifos_->open(*config_);

  trackers_ =
      std::make_unique<Trackers>(loop_, *config_, [this] { recompute_all_tracking(loop_.now()); });

  for (const auto& ic : config_->vrrp_instances) runtimes_.push_back(create_runtime(ic));
  rebuild_groups();

  trackers_->start();
  start_process_tracker();
  remove_leftover_addresses();
  const MonoTime now = loop_.now();
  for (auto& rt : runtimes_) {
    recompute_tracking(*rt, now);
    launch(*rt, now);
  }
  return true;
}

std::unique_ptr<Router::Runtime> Router::create_runtime(const conf::VrrpInstance& ic) {
  auto rt = std::make_unique<Runtime>();
  rt->cfg = &ic;
  Runtime* raw = rt.get();
  Link* link = link_by_name(effective_interface(*config_, ic));
  rt->ifindex = link ? link->ifindex : 0;
  if (link) rt->src = primary_address(*rt);
  if (link && ic.vmac && vmacs_) {
    rt->vmac_ifindex = vmacs_->create(ic, link->ifindex, link->name).value_or(0);
    if (rt->vmac_ifindex && ic.family == Family::V6 && rt->src && rt->src->is_v6_link_local())
      vmacs_->add_link_local(rt->vmac_ifindex, *rt->src, ic.name);
    refresh_links();  // the VMAC just created
  }
  if (link && vmacs_) create_address_vmacs(*rt, ic);
  FsmConfig fc = fsm_config_from(ic);
  fc.primary_address = rt->src.value_or(IpAddress{});
  rt->inst = std::make_unique<Instance>(ic.name, fc, instance_wire_from(ic), *this);
  rt->inst->set_io_tag(raw);
  rt->wheel = &wheel_;
  rt->garp_timer = std::make_unique<loop::Timer>(loop_, [this, raw] { send_announcements(*raw); });
  rt->destinations = advert_destinations(*config_, ic);
  return rt;
}

void Router::rebuild_groups() {
  for (auto& rt : runtimes_) rt->group = nullptr;
  groups_.clear();
  for (const auto& gc : config_->sync_groups) {
    auto g = std::make_unique<SyncGroup>();
    g->cfg = &gc;
    for (const auto& m : gc.members) {
      for (auto& rt : runtimes_) {
        if (rt->cfg->name == m.name) {
          rt->group = g.get();
          rt->group_index = g->members.size();
          g->members.push_back(rt.get());
        }
      }
    }
    groups_.push_back(std::move(g));
  }
}

void Router::launch(Runtime& rt, MonoTime now) {
  Link* link = link_by_index(rt.ifindex);
  if (!link) {
    rt.inst->set_link_fault(true, now,
                            "interface " + effective_interface(*config_, *rt.cfg) + " not found");
  } else {
    rt.socket = socket_for(rt);
    if (rt.socket) rt.socket->by_vrid[rt.cfg->vrid] = &rt;
    if (!rt.socket)
      rt.inst->set_link_fault(true, now, "no VRRP socket");
    else if (!link->up)
      rt.inst->set_link_fault(true, now, link->name + " is down");
    else if (!rt.src)
      rt.inst->set_link_fault(true, now, link->name + " has no usable address");
  }
  spdlog::info("({}) starting: interface {}, VRID {}, priority {}, {}", rt.cfg->name,
               link ? link->name : "?", rt.cfg->vrid, rt.cfg->priority,
               rt.cfg->version == 3 ? "VRRPv3" : "VRRPv2");
  rt.inst->start(now);
}

void Router::retire(Runtime& rt, MonoTime now) {
  // Leaving on reload is not a sync group event: the other members stay as they are.
  rt.group = nullptr;
  rt.removed_on_reload = true;
  rt.inst->shutdown(now);  // priority-0 advert if Master, addresses removed, notify stop
  rt.garp_timer->cancel();
  wheel_.cancel(&rt);
  if (rt.socket) {
    auto it = rt.socket->by_vrid.find(rt.cfg->vrid);
    if (it != rt.socket->by_vrid.end() && it->second == &rt) rt.socket->by_vrid.erase(it);
    rt.socket = nullptr;
  }
}

void Router::reconfigure_in_place(Runtime& rt, const conf::VrrpInstance& next) {
  const conf::VrrpInstance& old = *rt.cfg;
  // New addresses may need a VMAC the instance does not have yet (vip_ifindex() finds it).
  if (rt.ifindex && vmacs_) create_address_vmacs(rt, next);
  const AddressDelta vips = address_delta(old.vips, next.vips);
  const AddressDelta excluded = address_delta(old.excluded_vips, next.excluded_vips);
  if (rt.addresses_present) {
    // Only the difference: addresses present in both lists are never touched.
    for (size_t i : vips.removed) change_address(rt, old.vips[i], false);
    for (size_t i : excluded.removed) change_address(rt, old.excluded_vips[i], false);
    for (size_t i : vips.added) change_address(rt, next.vips[i], true);
    for (size_t i : excluded.added) change_address(rt, next.excluded_vips[i], true);
  }
  rt.cfg = &next;
  FsmConfig fc = fsm_config_from(next);
  fc.primary_address = rt.src.value_or(IpAddress{});
  rt.inst->reconfigure(fc, instance_wire_from(next));
  if (rt.addresses_present) {
    for (size_t i : vips.added) announce_address(rt, next.vips[i]);
    for (size_t i : excluded.added) announce_address(rt, next.excluded_vips[i]);
  }
}

void Router::drop_unused_sockets() {
  std::erase_if(sockets_, [](const std::unique_ptr<SocketEntry>& s) { return s->by_vrid.empty(); });
}

ConfigDiff Router::reconfigure(std::shared_ptr<const conf::Config> next) {
  if (!next || stopping_) return {};
  ConfigDiff diff = diff_configs(*config_, *next);
  if (!rtnl_) {  // never started (checker-only mode): nothing runs that could change
    config_ = std::move(next);
    return diff;
  }
  const MonoTime now = loop_.now();
  refresh_links();
  for (const auto& d : diff.instances)
    if (d.change != Change::Unchanged) {
      std::string fields;
      for (const auto& f : d.fields) fields += (fields.empty() ? "" : ", ") + f;
      spdlog::info("({}) reload: {}{}", d.name, to_string(d.change),
                   fields.empty() ? "" : " (" + fields + ")");
    }

  // 1. Removed and restarted instances leave while the old configuration is still in force.
  std::map<std::string, std::unique_ptr<Runtime>> kept;
  std::map<std::string, std::string> old_group;
  auto leaves = [&](const Runtime& rt) {
    const ItemDiff* d = diff.instance(rt.cfg->name);
    return d && (d->change == Change::Removed || d->change == Change::Restart);
  };
  // Two passes: leaving calls back into InstanceIo, which looks instances up in runtimes_.
  for (auto& rt : runtimes_)
    if (leaves(*rt)) retire(*rt, now);
  for (auto& rt : runtimes_) {
    if (leaves(*rt)) continue;
    old_group[rt->cfg->name] = rt->group ? rt->group->cfg->name : "";
    kept[rt->cfg->name] = std::move(rt);
  }
  runtimes_.clear();
  groups_.clear();
  // VMACs only the leavers used go now (not at stop), before new instances may want the names.
  if (vmacs_) {
    std::set<int> in_use;
    for (const auto& entry : kept) {
      const Runtime& rt = *entry.second;
      if (rt.vmac_ifindex) in_use.insert(rt.vmac_ifindex);
      for (const auto& av : rt.address_vmacs) in_use.insert(av.ifindex);
    }
    vmacs_->remove_unused(in_use);
  }

  // 2. Kept instances move to the new configuration, in new-config order, with new ones
  //    created beside them.
  std::vector<Runtime*> fresh;
  std::vector<std::unique_ptr<Runtime>> runtimes;
  auto previous = config_;
  config_ = next;
  for (const auto& ic : config_->vrrp_instances) {
    auto it = kept.find(ic.name);
    if (it == kept.end()) {
      runtimes.push_back(create_runtime(ic));
      fresh.push_back(runtimes.back().get());
      continue;
    }
    auto rt = std::move(it->second);
    rt->group = nullptr;
    const ItemDiff* d = diff.instance(ic.name);
    if (d && d->change == Change::InPlace)
      reconfigure_in_place(*rt, ic);
    else
      rt->cfg = &ic;
    runtimes.push_back(std::move(rt));
  }
  runtimes_ = std::move(runtimes);
  rebuild_groups();
  trackers_->reconfigure(*config_, diff);
  start_process_tracker();  // it refers to the configuration it was built from

  // 3. Priorities and faults from the (possibly changed) tracking; then start the new ones.
  for (auto& rt : runtimes_) {
    const std::string group = rt->group ? rt->group->cfg->name : "";
    auto og = old_group.find(rt->cfg->name);
    if (og != old_group.end() && og->second != group) {
      rt->inst->set_group_fault(false, now);
      if (rt->group) after_transition(*rt, rt->inst->state());
    }
    recompute_tracking(*rt, now);
  }
  for (Runtime* rt : fresh) {
    // A new member of a running sync group starts on its own (its Backup must not pull
    // the running members down), then joins the group's state: Master with a Master group,
    // or the group into Fault when it cannot run.
    SyncGroup* group = rt->group;
    rt->group = nullptr;
    launch(*rt, now);
    rt->group = group;
    if (!group) continue;
    const bool group_master =
        std::any_of(group->members.begin(), group->members.end(),
                    [&](const Runtime* m) { return m != rt && m->inst->state() == State::Master; });
    if (rt->inst->state() == State::Fault)
      after_transition(*rt, State::Fault);
    else if (group_master)
      rt->inst->force(State::Master, now);
  }
  drop_unused_sockets();
  previous.reset();  // nothing refers to the old configuration any more
  spdlog::info("reload: {}", diff.summary());
  return diff;
}

void Router::start_process_tracker() {
  if (processes_) processes_->stop();
  processes_ = std::make_unique<ProcessTracker>(loop_, *config_,
                                                [this] { recompute_all_tracking(loop_.now()); });
  processes_->start();
}

void Router::add_tracked_items(const conf::Tracking& t, bool keep_weighted,
                               std::vector<TrackedItem>& items) {
  // keep_weighted false: a sync-group member without sync_group_tracking_weight, whose own
  // weighted items keepalived 2.2.7 ignores altogether (only weight-0 items, which fault the
  // instance, still count), so members cannot end up with different priorities.
  auto add = [&](TrackedItem item) {
    if (keep_weighted || item.weight == 0) items.push_back(std::move(item));
  };
  for (const auto& ti : t.interfaces) {
    Link* l = link_by_name(ti.name);
    add({TrackKind::Interface, ti.name, ti.weight, ti.reverse, l && l->up, 0});
  }
  for (const auto& ref : t.scripts) {
    const conf::VrrpScript* s = config_->find_script(ref.name);
    auto up = trackers_ ? trackers_->script_up(ref.name) : std::nullopt;
    add({TrackKind::Script, ref.name, ref.weight.value_or(s ? s->weight : 0),
         ref.reverse != (s && s->reverse), up.value_or(true), 0});
  }
  for (const auto& ref : t.files) {
    const conf::VrrpTrackFile* f = config_->find_track_file(ref.name);
    auto v = trackers_ ? trackers_->file_value(ref.name) : std::nullopt;
    add({TrackKind::File, ref.name, ref.weight.value_or(f ? f->weight : 1),
         ref.reverse != (f && f->reverse), true, v.value_or(0)});
  }
  for (const auto& ref : t.processes) {
    const conf::VrrpTrackProcess* p = config_->find_track_process(ref.name);
    auto up = processes_ ? processes_->up(ref.name) : std::nullopt;
    add({TrackKind::Process, ref.name, ref.weight.value_or(p ? p->weight : 1),
         ref.reverse != (p && p->reverse), up.value_or(true), 0});
  }
}

std::vector<Router::Runtime*> Router::hold_faulty_groups(MonoTime now) {
  std::vector<Runtime*> held;
  for (auto& g : groups_) {
    const bool faulty = std::any_of(g->members.begin(), g->members.end(),
                                    [](const Runtime* m) { return m->inst->own_fault(); });
    if (!faulty) continue;
    for (Runtime* m : g->members) {
      if (m->inst->state() == State::Fault && !m->inst->group_fault()) {
        m->inst->set_group_fault(true, now);  // already in Fault: no transition
        held.push_back(m);
      }
    }
  }
  return held;
}

void Router::release_groups(const std::vector<Runtime*>& held) {
  // A group with no faulty member left lets all its members out together.
  for (Runtime* m : held)
    if (m->group) follow_group(*m->group, m->group->members.size());
}

void Router::recompute_all_tracking(MonoTime now) {
  const auto held = hold_faulty_groups(now);
  for (auto& rt : runtimes_) recompute_tracking(*rt, now);
  release_groups(held);
}

void Router::recompute_tracking(Runtime& rt, MonoTime now) {
  std::vector<TrackedItem> items;
  const conf::VrrpSyncGroup* g = rt.group ? rt.group->cfg : nullptr;
  const bool keep_weighted = !g || g->sync_group_tracking_weight || g->global_tracking;
  add_tracked_items(rt.cfg->tracking, keep_weighted, items);
  // A sync group's own tracked items apply to every member, weights included.
  if (g) add_tracked_items(g->tracking, true, items);
  rt.inst->update_tracking(items, now);
}

void Router::on_unknown_vrid(const SocketEntry& entry, uint8_t vrid, const IpAddress& src,
                             MonoTime now) {
  ++vrid_errors_;
  if (!config_->global.log_unknown_vrids) return;
  // Rate-limited: with the flag set, a flood must not turn into a flood of log lines.
  if (unknown_vrid_logged_at_ != MonoTime{} &&
      now - unknown_vrid_logged_at_ < std::chrono::seconds(1)) {
    ++unknown_vrids_unlogged_;
    return;
  }
  const Link* link = link_by_index(entry.ifindex);
  const std::string ifname = link ? link->name : std::to_string(entry.ifindex);
  if (unknown_vrids_unlogged_ > 0)
    spdlog::info("advert for unknown VRID {} received on {} from {} ({} more not logged)", vrid,
                 ifname, src.to_string(), unknown_vrids_unlogged_);
  else
    spdlog::info("advert for unknown VRID {} received on {} from {}", vrid, ifname,
                 src.to_string());
  unknown_vrid_logged_at_ = now;
  unknown_vrids_unlogged_ = 0;
}

void Router::on_socket_readable(SocketEntry& entry) {
  const MonoTime now = loop_.now();
  // At most a batch per wake-up: under a flood the socket never drains, and reading until it
  // does would starve the timers (our own adverts) and the other sockets. The watch is
  // level-triggered, so what is left is read on the next turn of the loop.
  constexpr int kMaxAdvertsPerWakeup = 256;
  for (int budget = kMaxAdvertsPerWakeup; budget > 0; --budget) {
    auto rx = entry.socket->receive();
    if (!rx) break;
    RxMeta meta{entry.family, rx->src, rx->dst, rx->ttl_or_hop_limit};
    ParseResult parsed = parse(rx->bytes, meta);
    if (auto* reason = std::get_if<DiscardReason>(&parsed)) {
      // Not attributable to an instance before the VRID is known: count on every instance of
      // the socket, as the interface-level counter RFC 6527 keeps per router.
      for (auto& [vrid, rt] : entry.by_vrid) rt->inst->on_discard(*reason);
      continue;
    }
    const Decoded& d = std::get<Decoded>(parsed);
    auto it = entry.by_vrid.find(d.advert.vrid);
    if (it == entry.by_vrid.end()) {
      // Another virtual router's advert, a misconfigured peer or a flood: nothing to act on,
      // but counted (RFC 6527 vrrpv3RouterVrIdErrors), and logged only when asked to.
      if (!vrid_served(entry, d.advert.vrid)) on_unknown_vrid(entry, d.advert.vrid, d.src, now);
      continue;
    }
    Runtime& rt = *it->second;
    if (rt.src && d.src == *rt.src) continue;  // our own advert looped back
    if (!rt.cfg->unicast_peers.empty() && rt.cfg->check_unicast_src) {
      bool known = std::any_of(rt.cfg->unicast_peers.begin(), rt.cfg->unicast_peers.end(),
                               [&](const conf::UnicastPeer& p) { return p.address == d.src; });
      if (!known) continue;
    }
    if (auto bad = check(d, rx->bytes, rt.inst->rx_config())) {
      rt.inst->on_discard(*bad);
      if (*bad != DiscardReason::VridMismatch)
        spdlog::debug("({}) discarded advert from {}: {}", rt.cfg->name, d.src.to_string(),
                      to_string(*bad));
      continue;
    }
    rt.inst->on_advert(d, now);
  }
}

bool Router::vrid_served(const SocketEntry& entry, uint8_t vrid) const {
  // Another socket on the same interface and family (unicast next to multicast, AH next to
  // VRRP) may see the same packet and have an instance for it.
  return std::any_of(sockets_.begin(), sockets_.end(), [&](const auto& s) {
    return s.get() != &entry && s->ifindex == entry.ifindex && s->family == entry.family &&
           s->by_vrid.count(vrid) > 0;
  });
}

void Router::on_monitor_readable() {
  for (auto& ev : monitor_->handle_readable()) {
    if (auto* lc = std::get_if<netlink::LinkChanged>(&ev)) {
      Link* l = link_by_index(lc->ifindex);
      bool was_up = l ? l->up : false;
      if (!l) {
        links_[lc->ifindex] = std::make_unique<Link>();
        l = links_[lc->ifindex].get();
      }
      l->ifindex = lc->ifindex;
      l->name = lc->name;
      l->up = lc->up;
      l->mac = lc->mac;
      if (was_up != lc->up) on_link_changed(lc->ifindex, lc->up);
    } else if (auto* lr = std::get_if<netlink::LinkRemoved>(&ev)) {
      on_link_changed(lr->ifindex, false);
    } else if (auto* ar = std::get_if<netlink::AddressRemoved>(&ev)) {
      on_address_removed(ar->ifindex, ar->prefix);
    } else if (std::holds_alternative<netlink::ResyncNeeded>(ev)) {
      spdlog::warn("netlink events were lost; re-reading interfaces");
      refresh_links();
      for (auto& [i, l] : links_) on_link_changed(i, l->up);
      for (auto& rt : runtimes_)
        if (rt->addresses_present) apply_addresses(*rt, true);
    }
  }
}

void Router::on_link_changed(int ifindex, bool up) {
  const MonoTime now = loop_.now();
  Link* l = link_by_index(ifindex);
  const std::string name = l ? l->name : std::to_string(ifindex);
  spdlog::info("interface {} is {}", name, up ? "up" : "down");
  const auto held = hold_faulty_groups(now);
  for (auto& rt : runtimes_) {
    if (rt->ifindex == ifindex && !rt->cfg->dont_track_primary) {
      if (up && !rt->src) rt->src = primary_address(*rt);
      rt->inst->set_link_fault(!up, now, name + " is down");
    }
    recompute_tracking(*rt, now);
  }
  release_groups(held);
}

void Router::on_address_removed(int ifindex, const IpPrefix& prefix) {
  // Another tool deleted one of our VIPs while we are Master: put it back.
  for (auto& rt : runtimes_) {
    if (!rt->addresses_present || stopping_) continue;
    for (const auto& v : rt->cfg->vips) {
      const int vif = vip_ifindex(*rt, v);
      if (vif != 0 && vif == ifindex && v.address.address == prefix.address) {
        spdlog::warn("({}) VIP {} was removed by someone else; restoring it", rt->cfg->name,
                     prefix.to_string());
        auto spec = address_spec_from(v, vif);
        auto r = netlink::add_address(*rtnl_, spec);
        if (!r && r.error().code != EEXIST)
          spdlog::error("({}) cannot restore {}: {}", rt->cfg->name, prefix.to_string(),
                        r.error().message);
      }
    }
  }
}

void Router::send_advert(Instance& inst, uint8_t priority) {
  Runtime* rt = runtime_of(inst);
  if (!rt || !rt->socket || !rt->src) return;
  Advert adv;
  adv.version = inst.wire().version;
  adv.vrid = inst.vrid();
  adv.priority = priority;
  adv.interval_cs = static_cast<uint16_t>(inst.fsm().config().advert_interval.count() / 10'000);
  adv.auth = inst.wire().version == Version::V2 ? inst.wire().auth : AuthType::None;
  adv.addresses = inst.wire().advert_addresses;
  for (const auto& dst : rt->destinations) {
    TxParams tx;
    tx.family = rt->cfg->family;
    tx.src = *rt->src;
    tx.dst = dst;
    tx.auth_pass = inst.wire().auth_pass;
    tx.ah_seq = ++rt->ah_seq;
    rt->ip_id = next_ip_id(rt->ip_id);
    tx.ip_id = rt->ip_id;
    if (!rt->cfg->unicast_peers.empty()) tx.ttl = rt->cfg->unicast_ttl;
    std::vector<uint8_t> bytes;
    try {
      bytes = encode(adv, tx);
    } catch (const std::exception& e) {
      spdlog::error("({}) cannot build advert: {}", inst.name(), e.what());
      return;
    }
    if (batching_) {
      rt->socket->pending.push_back({std::move(bytes), dst});
      rt->socket->pending_from.push_back(rt);
      continue;
    }
    auto r = rt->socket->socket->send(bytes, dst);
    if (!r)
      spdlog::warn("({}) advert to {} failed: {}", inst.name(), dst.to_string(), r.error().message);
  }
}

void Router::change_address(Runtime& rt, const conf::VirtualAddress& v, bool present) {
  const int ifindex = vip_ifindex(rt, v);
  if (ifindex == 0) {
    if (v.dev)
      spdlog::error("({}) {}: interface {} not found", rt.cfg->name, v.address.to_string(), *v.dev);
    return;
  }
  auto spec = address_spec_from(v, ifindex);
  auto r = present ? netlink::add_address(*rtnl_, spec) : netlink::del_address(*rtnl_, spec);
  const int benign = present ? EEXIST : EADDRNOTAVAIL;
  if (!r && r.error().code != benign)
    spdlog::error("({}) cannot {} {}: {}", rt.cfg->name, present ? "add" : "remove",
                  v.address.to_string(), r.error().message);
}

void Router::apply_addresses(Runtime& rt, bool present) {
  for (const auto& v : rt.cfg->vips) change_address(rt, v, present);
  for (const auto& v : rt.cfg->excluded_vips) change_address(rt, v, present);
  if (route_ops_ && (!rt.cfg->routes.empty() || !rt.cfg->rules.empty())) {
    auto ifindex_of = [this](const std::string& name) -> std::optional<int> {
      if (Link* l = link_by_name(name)) return l->ifindex;
      return std::nullopt;
    };
    apply_virtual_routes(*route_ops_, *rt.cfg, vip_ifindex(rt), ifindex_of, present);
  }
  rt.addresses_present = present;
}

// A VRRP process that was killed (kill -9, a crash) leaves its VIPs and virtual routes in the
// kernel. Starting as Backup with them in place would answer for addresses a peer may own by
// now: remove them before the instances start, as keepalived does (vrrp/leftover_addresses.h;
// the supervisor removes them already when it sees its worker die). The address owner keeps
// them: it becomes master at once.
void Router::remove_leftover_addresses() {
  if (!route_ops_) return;
  LeftoverScope scope;
  scope.keep_address_owners = true;
  scope.ifindex_of = [this](const std::string& name) -> std::optional<int> {
    if (Link* l = link_by_name(name)) return l->ifindex;
    return std::nullopt;
  };
  scope.vip_ifindex = [this](const conf::VrrpInstance& ic) {
    for (const auto& rt : runtimes_)
      if (rt->cfg == &ic) return vip_ifindex(*rt);
    return 0;
  };
  scope.address_ifindex = [this](const conf::VrrpInstance& ic, const conf::VirtualAddress& v) {
    for (const auto& rt : runtimes_)
      if (rt->cfg == &ic) return vip_ifindex(*rt, v);
    return 0;
  };
  vrrp::remove_leftover_addresses(*route_ops_, *config_, scope, "left by an earlier run");
}

void Router::set_addresses(Instance& inst, bool present) {
  Runtime* rt = runtime_of(inst);
  if (!rt) return;
  spdlog::info("({}) {} virtual addresses", inst.name(), present ? "setting" : "removing");
  apply_addresses(*rt, present);
  if (!present) {
    rt->garp_timer->cancel();
    if (rt->lower_prio_timer) rt->lower_prio_timer->cancel();
  }
}

void Router::announce_address(Runtime& rt, const conf::VirtualAddress& v,
                              std::optional<uint32_t> repeat) {
  if (!announcer_) return;
  const int ifindex = vip_ifindex(rt, v);
  Link* l = link_by_index(ifindex);
  if (!l || !l->mac) return;
  for (uint32_t i = 0; i < std::max<uint32_t>(1, repeat.value_or(rt.cfg->garp_master_repeat));
       ++i) {
    auto r = v.address.address.is_v4()
                 ? announcer_->garp(ifindex, *l->mac, v.address.address)
                 : announcer_->unsolicited_na(ifindex, *l->mac, v.address.address);
    if (!r) {
      spdlog::warn("({}) announce {} failed: {}", rt.cfg->name, v.address.address.to_string(),
                   r.error().message);
      break;
    }
  }
}

void Router::send_announcements(Runtime& rt) {
  announce_burst(rt, rt.cfg->garp_master_repeat);
  // garp_master_refresh: keep reminding the LAN while Master.
  if (rt.addresses_present && rt.cfg->garp_master_refresh.count() > 0)
    rt.garp_timer->arm_after(std::chrono::duration_cast<Micros>(rt.cfg->garp_master_refresh));
}

void Router::announce_burst(Runtime& rt, uint32_t repeat) {
  if (!announcer_ || !rt.addresses_present) return;
  for (const auto& v : rt.cfg->vips) announce_address(rt, v, repeat);
  for (const auto& v : rt.cfg->excluded_vips) announce_address(rt, v, repeat);
}

void Router::master_rx_lower_priority(Instance& inst) {
  Runtime* rt = runtime_of(inst);
  if (!rt || stopping_) return;
  // keepalived: another node became Master while we could not hear each other; re-announce
  // the addresses now and once more after garp_lower_prio_delay so the LAN's caches come back
  // to us, and tell whoever needs to restore external state.
  if (rt->cfg->garp_lower_prio_repeat > 0) {
    spdlog::info("({}) lower priority advert received as Master: re-announcing addresses",
                 inst.name());
    announce_burst(*rt, rt->cfg->garp_lower_prio_repeat);
    if (rt->cfg->garp_lower_prio_delay.count() > 0 && !rt->lower_prio_timer) {
      Runtime* raw = rt;
      rt->lower_prio_timer = std::make_unique<loop::Timer>(
          loop_, [this, raw] { announce_burst(*raw, raw->cfg->garp_lower_prio_repeat); });
    }
    if (rt->cfg->garp_lower_prio_delay.count() > 0 && !rt->lower_prio_timer->armed())
      rt->lower_prio_timer->arm_after(
          std::chrono::duration_cast<Micros>(rt->cfg->garp_lower_prio_delay));
  }
  run_script(rt->cfg->notify->master_rx_lower_pri, {},
             "notify_master_rx_lower_pri of " + inst.name());
  if (fifos_)
    fifos_->write(notify::NotifySubject::Instance, inst.name(), "MASTER_RX_LOWER_PRI",
                  inst.fsm().effective_priority());
}

void Router::priority_changed(Instance& inst, State state, uint8_t from, uint8_t to) {
  Runtime* rt = runtime_of(inst);
  if (!rt || stopping_) return;
  spdlog::info("({}) Changing effective priority from {} to {}", inst.name(), from, to);
  // notify_priority_changes on the instance, its sync group or vrrp_notify_priority_changes.
  // keepalived 2.2.7 reports MASTER_PRIORITY while Master and BACKUP_PRIORITY in any other
  // state (Fault included).
  const bool wanted =
      rt->cfg->notify->priority_changes || (rt->group && rt->group->cfg->notify->priority_changes);
  if (fifos_ && wanted)
    fifos_->write(notify::NotifySubject::Instance, inst.name(),
                  state == State::Master ? "MASTER_PRIORITY" : "BACKUP_PRIORITY", to);
}

void Router::announce(Instance& inst) {
  Runtime* rt = runtime_of(inst);
  if (!rt) return;
  spdlog::info("({}) sending gratuitous ARPs / neighbour advertisements", inst.name());
  send_announcements(*rt);
  // keepalived repeats the burst garp_master_delay after becoming Master.
  if (rt->cfg->garp_master_delay.count() > 0)
    rt->garp_timer->arm_after(std::chrono::duration_cast<Micros>(rt->cfg->garp_master_delay));
}

void Router::run_script(const conf::ScriptCommand& cmd, std::vector<std::string> extra_args,
                        const std::string& what) {
  if (cmd.empty()) return;
  spdlog::info("running {}: {}", what, cmd.command);
  ScriptRun run{cmd, std::move(extra_args), Micros(30'000'000)};
  spawn_script(loop_, *config_, run, [what](const loop::ChildResult& r) {
    if (!r.succeeded() && r.spawn_errno == 0) spdlog::warn("{} {}", what, loop::describe(r));
  });
}

void Router::notify(Instance& inst, State state, uint8_t priority) {
  Runtime* rt = runtime_of(inst);
  if (!rt) return;
  const auto& why = inst.last_transition() ? inst.last_transition()->reason : std::string{};
  spdlog::info("({}) Entering {} STATE{}", inst.name(), to_string(state),
               why.empty() ? "" : " (" + why + ")");
  const auto& n = *rt->cfg->notify;
  if (rt->removed_on_reload && state == State::Stop) {
    // keepalived 2.2.7 on an instance deleted by a reload: no notify_stop/notify_fault, the
    // generic notify gets FAULT, or DELETED (and the notify_deleted script runs) when
    // notify_deleted is set.
    if (n.deleted) run_script(n.deleted_script, {}, "notify_deleted of " + inst.name());
    run_script(n.any,
               {"INSTANCE", inst.name(), n.deleted ? "DELETED" : "FAULT", std::to_string(priority)},
               "notify of " + inst.name());
    if (fifos_)
      fifos_->write(notify::NotifySubject::Instance, inst.name(), n.deleted ? "DELETED" : "FAULT",
                    priority);
    return;
  }
  const conf::ScriptCommand* specific = state_script(n, state);
  if (specific)
    run_script(*specific, {}, "notify_" + std::string(to_string(state)) + " of " + inst.name());
  if (state != State::Initialize)
    run_script(n.any,
               {"INSTANCE", inst.name(), std::string(to_string(state)), std::to_string(priority)},
               "notify of " + inst.name());
  if (fifos_ && state != State::Initialize)
    fifos_->write(notify::NotifySubject::Instance, inst.name(), to_string(state), priority);
  if (rt->cfg->smtp_alert && state != State::Initialize) send_alert(inst.name(), state);
  after_transition(*rt, state);
  if (transition_observer_) transition_observer_(inst, state);
  if (rt->group) notify_group(*rt->group);
}

void Router::notify_group(SyncGroup& g) {
  std::vector<State> states;
  for (Runtime* m : g.members) states.push_back(m->inst->state());
  auto next = group_state_change(states, g.notified);
  if (!next) return;
  g.notified = *next;
  const std::string& name = g.cfg->name;
  spdlog::info("(group {}) Entering {} STATE", name, to_string(*next));
  const auto& n = *g.cfg->notify;
  const conf::ScriptCommand* specific = state_script(n, *next);
  const std::string state(to_string(*next));
  if (specific) run_script(*specific, {}, "notify_" + state + " of group " + name);
  // keepalived reports a group's priority as 0.
  run_script(n.any, {"GROUP", name, state, "0"}, "notify of group " + name);
  if (fifos_) fifos_->write(notify::NotifySubject::Group, name, state, 0);
}

void Router::send_alert(const std::string& name, State state) {
  const auto& g = config_->global;
  if (!g.smtp_server) return;
  notify::MailSettings s = notify::mail_settings_from(g);
  notify::send_mail_async(s,
                          notify::vrrp_state_mail(s, false, name, std::string(to_string(state))));
}

void Router::own_fault_changed(Instance& inst) {
  Runtime* rt = runtime_of(inst);
  if (rt && rt->group && !stopping_) follow_group(*rt->group, rt->group->members.size());
}

void Router::after_transition(Runtime& rt, State state) {
  (void)state;
  if (rt.group && !stopping_) follow_group(*rt.group, rt.group_index);
}

void Router::follow_group(SyncGroup& g, size_t changed) {
  std::vector<SyncMember> members;
  for (Runtime* m : g.members) members.push_back({m->inst->state(), m->inst->own_fault()});
  const MonoTime now = loop_.now();
  for (const SyncOrder& o : sync_group_follow(members, changed)) {
    Runtime* m = g.members[o.member];
    switch (o.command) {
      case SyncCommand::EnterFault:
        m->inst->set_group_fault(true, now);
        break;
      case SyncCommand::LeaveFault:
        m->inst->set_group_fault(false, now);
        break;
      default:
        m->inst->handle_event(to_event(o.command), now);
        break;
    }
  }
}

void Router::arm_timer(Instance& inst, std::optional<MonoTime> deadline) {
  Runtime* rt = runtime_of(inst);
  if (!rt) return;
  if (!deadline) {
    wheel_.cancel(rt);
    return;
  }
  // A master's deadline is its next advert: it may be up to 1/256 of the interval late (4 ms
  // at 1 s), which lines up masters due in the same slot so they share one wake-up and one
  // sendmmsg. Other deadlines (Master_Down, preempt delay) decide failovers: exact.
  Micros slack(0);
  if (inst.state() == State::Master) slack = inst.fsm().config().advert_interval / 256;
  wheel_.arm(rt, *deadline, slack);
}

void Router::run_due(const std::vector<const void*>& due, MonoTime now) {
  // Adverts sent by these instances are queued per socket and leave together below.
  batching_ = true;
  for (const void* key : due) {
    auto* rt = static_cast<Runtime*>(const_cast<void*>(key));
    rt->inst->on_timer(now);
  }
  batching_ = false;
  flush_adverts();
}

void Router::flush_adverts() {
  for (auto& s : sockets_) {
    if (s->pending.empty()) continue;
    auto results = s->socket->send_many(s->pending);
    for (size_t i = 0; i < results.size(); ++i)
      if (!results[i])
        spdlog::warn("({}) advert to {} failed: {}", s->pending_from[i]->cfg->name,
                     s->pending[i].dst.to_string(), results[i].error().message);
    s->pending.clear();
    s->pending_from.clear();
  }
}

void Router::clear_stats() {
  for (auto& rt : runtimes_) rt->inst->counters() = InstanceCounters{};
}

int Router::vip_ifindex(const Runtime& rt) const {
  return rt.vmac_ifindex ? rt.vmac_ifindex : rt.ifindex;
}

int Router::vip_ifindex(Runtime& rt, const conf::VirtualAddress& v) {
  if (!rt.address_vmacs.empty()) {
    if (auto key = address_vmac_key(*rt.cfg, effective_interface(*config_, *rt.cfg), v)) {
      for (const auto& av : rt.address_vmacs)
        if (av.key == *key) return av.ifindex;
      // Its VMAC could not be made (logged at start): the plain interface still serves it.
    }
  }
  if (v.dev) {
    Link* l = link_by_name(*v.dev);
    return l ? l->ifindex : 0;
  }
  return vip_ifindex(rt);
}

void Router::create_address_vmacs(Runtime& rt, const conf::VrrpInstance& ic) {
  const bool wanted =
      ic.use_vmac_addr ||
      std::any_of(ic.vips.begin(), ic.vips.end(), [](const auto& v) { return v.use_vmac; }) ||
      std::any_of(ic.excluded_vips.begin(), ic.excluded_vips.end(),
                  [](const auto& v) { return v.use_vmac; });
  if (!wanted) return;
  // Planned over the whole configuration, as the supervisor plans them to find a dead
  // worker's leftovers: the same names each time, so an instance restarted by a reload adopts
  // the VMACs it had.
  if (planned_for_ != config_) {
    address_vmac_plans_ = plan_all_address_vmacs(*config_);
    planned_for_ = config_;
  }
  auto it = address_vmac_plans_.find(ic.name);
  if (it == address_vmac_plans_.end()) return;
  for (const auto& plan : it->second) {
    if (std::any_of(rt.address_vmacs.begin(), rt.address_vmacs.end(),
                    [&](const Runtime::AddressVmac& av) { return av.key == plan.key; }))
      continue;  // a reload kept the instance and this VMAC
    Link* base = link_by_name(plan.key.base);
    if (!base) {
      spdlog::error("({}) interface {} for a VMAC not found", ic.name, plan.key.base);
      continue;
    }
    auto made = vmacs_->create_for_addresses(ic, plan, base->ifindex);
    if (!made) continue;
    if (plan.key.family == Family::V6) {
      // As the instance's IPv6 VMAC: the base's link-local, for neighbour discovery on it.
      if (auto addrs = netlink::list_addresses(*rtnl_, base->ifindex, Family::V6)) {
        for (const auto& a : *addrs)
          if (a.prefix.address.is_v6_link_local()) {
            vmacs_->add_link_local(*made, a.prefix.address, ic.name);
            break;
          }
      }
    }
    rt.address_vmacs.push_back({plan.key, *made});
  }
  refresh_links();
}

int Router::advert_ifindex(const Runtime& rt) const {
  // IPv6 too, from the base's link-local address given to the VMAC (as keepalived 2.2.7).
  if (rt.vmac_ifindex && !rt.cfg->vmac_xmit_base && rt.cfg->unicast_peers.empty() &&
      (rt.cfg->family == Family::V4 || (rt.src && rt.src->is_v6_link_local())))
    return rt.vmac_ifindex;
  return rt.ifindex;
}

std::vector<Router::InstanceView> Router::instances() const {
  std::vector<InstanceView> v;
  for (const auto& rt : runtimes_) {
    std::string ifname = rt->cfg->interface.value_or("");
    v.push_back({rt->inst.get(), rt->cfg, ifname, rt->addresses_present});
  }
  return v;
}

void Router::shutdown(std::function<void()> done) {
  stopping_ = true;
  if (trackers_) trackers_->stop();
  if (processes_) processes_->stop();
  const MonoTime now = loop_.now();
  for (auto& rt : runtimes_) {
    rt->inst->shutdown(now);
    rt->garp_timer->cancel();
    wheel_.cancel(rt.get());
  }
  // After the priority-0 adverts and the address removal above, which still used them.
  if (vmacs_) vmacs_->remove_all();
  if (fifos_) fifos_->stop_scripts();
  // Give notify_stop scripts (and the rest of the children) a bounded time to finish before
  // the loop ends: done() runs when the last one has exited, or after 5 s.
  auto finished = std::make_shared<bool>(false);
  auto finish = [this, finished, done] {
    if (*finished) return;  // the other path came first; `this` may be gone by now
    *finished = true;
    shutdown_timer_->cancel();
    done();
  };
  shutdown_timer_ = std::make_unique<loop::Timer>(loop_, finish);
  shutdown_timer_->arm(now + Micros(5'000'000));
  loop_.children().when_idle(finish);
}

}  // namespace vigil::vrrp
