// The VRRP runtime: every vrrp_instance of a Config running on real interfaces. It owns the
// kernel-facing pieces (raw sockets shared per interface and family, the rtnetlink socket and
// link/address monitor, the GARP/NA announcer), drives each Instance from packets, timers and
// kernel events, and carries out the instances' effects (InstanceIo).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conf/model.h"
#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "loop/timer.h"
#include "netlink/address_ops.h"
#include "netlink/monitor.h"
#include "netlink/rtnl_socket.h"
#include "netlink/types.h"
#include "vrrp/announce.h"
#include "vrrp/instance.h"
#include "vrrp/notify_fifos.h"
#include "vrrp/process_tracker.h"
#include "vrrp/reconfigure.h"
#include "vrrp/socket.h"
#include "vrrp/status.h"
#include "vrrp/timer_wheel.h"
#include "vrrp/tracking.h"
#include "vrrp/vmac_setup.h"

namespace vigil::vrrp {

class Router : public InstanceIo {
 public:
  // The Router shares the configuration so that a reload can swap it and drop the old one.
  Router(loop::Loop& loop, std::shared_ptr<const conf::Config> config);
  ~Router() override;

  // Opens sockets, resolves interfaces and starts every instance. Problems with one instance
  // (missing interface, socket error) are logged and leave that instance in Fault; only a
  // failure of the whole runtime (no netlink) returns false.
  bool start();
  // Leaves: priority-0 adverts from masters, addresses removed, notify_stop scripts; then
  // calls `done` once those scripts ended (or after a bounded wait).
  void shutdown(std::function<void()> done);
  // Reload: applies the difference to `next` in place (vrrp/reconfigure.h): unchanged
  // instances keep state, timers and addresses; in-place changes apply without leaving (a
  // VIP list change adds/removes only the delta); removed and restarted instances leave
  // (priority-0 advert when Master, addresses removed, notify FAULT/DELETED as keepalived
  // reports a deleted instance); new ones start. Returns the diff that was applied (empty lists
  // when not applied: while stopping).
  ConfigDiff reconfigure(std::shared_ptr<const conf::Config> next);
  const conf::Config& config() const { return *config_; }

  struct InstanceView {
    const Instance* instance;
    const conf::VrrpInstance* config;
    std::string interface;
    bool addresses_present;
  };
  std::vector<InstanceView> instances() const;

  // Operator view and maintenance (vrrp/router_status.cpp).
  RouterStatus status() const;
  // Every instance's state, in status() order (cheap: for the systemd STATUS= line).
  std::vector<State> states() const;
  // false when no instance has that name.
  bool set_priority_offset(const std::string& instance, int offset);
  // keepalived's STATS_CLEAR: every instance's counters back to zero (after the caller wrote
  // the stats dump); state, priorities and the last transition are kept.
  void clear_stats();
  // Called after every state change (and its notifies), e.g. for the systemd STATUS= line.
  void set_transition_observer(std::function<void(const Instance&, State)> fn) {
    transition_observer_ = std::move(fn);
  }

  // InstanceIo
  void send_advert(Instance& inst, uint8_t priority) override;
  void set_addresses(Instance& inst, bool present) override;
  void announce(Instance& inst) override;
  void notify(Instance& inst, State state, uint8_t priority) override;
  void arm_timer(Instance& inst, std::optional<MonoTime> deadline) override;
  void master_rx_lower_priority(Instance& inst) override;
  void priority_changed(Instance& inst, State state, uint8_t from, uint8_t to) override;
  void own_fault_changed(Instance& inst) override;

 private:
  struct Link;
  struct SocketEntry;
  struct Runtime;
  struct SyncGroup;

  Runtime* runtime_of(const Instance& inst) const;
  Link* link_by_index(int ifindex);
  Link* link_by_name(const std::string& name);
  void refresh_links();
  std::optional<IpAddress> primary_address(const Runtime& rt) const;
  SocketEntry* socket_for(Runtime& rt);
  void on_socket_readable(SocketEntry& entry);
  // True when another socket on entry's interface and family has an instance for `vrid`.
  bool vrid_served(const SocketEntry& entry, uint8_t vrid) const;
  void on_unknown_vrid(const SocketEntry& entry, uint8_t vrid, const IpAddress& src, MonoTime now);
  void on_monitor_readable();
  void on_link_changed(int ifindex, bool up);
  void on_address_removed(int ifindex, const IpPrefix& prefix);
  void on_tracker_changed(const std::string& kind_and_name);
  void recompute_tracking(Runtime& rt, MonoTime now);
  // Tracked objects changed: every instance's priority and faults, with the members of a
  // faulty sync group held in Fault until all of them are updated (so clearing a group-wide
  // item does not bounce the first member through Backup while the others still fail).
  void recompute_all_tracking(MonoTime now);
  std::vector<Runtime*> hold_faulty_groups(MonoTime now);
  void release_groups(const std::vector<Runtime*>& held);
  // The group's orders after member `changed` moved (out of range: faults only).
  void follow_group(SyncGroup& g, size_t changed);
  void add_tracked_items(const conf::Tracking& t, bool keep_weighted,
                         std::vector<TrackedItem>& items);
  void after_transition(Runtime& rt, State state);
  // smtp_alert: a mail to notification_email through smtp_server, off the loop thread.
  void send_alert(const std::string& name, State state);
  void send_announcements(Runtime& rt);
  // One address's burst: `repeat` frames (default garp_master_repeat).
  void announce_address(Runtime& rt, const conf::VirtualAddress& v,
                        std::optional<uint32_t> repeat = std::nullopt);
  // One gratuitous ARP / NA burst of `repeat` frames per address.
  void announce_burst(Runtime& rt, uint32_t repeat);
  void notify_group(SyncGroup& g);
  // (Re)creates the track_process tracker for the current configuration.
  void start_process_tracker();
  // Where the instance's VIPs (without dev) live, and where its adverts leave from: the VMAC
  // with use_vmac (adverts from the base interface with vmac_xmit_base or unicast peers).
  int vip_ifindex(const Runtime& rt) const;
  // Where one VIP/eVIP lives: its use_vmac_addr / use_vmac VMAC, its `dev`, else the above;
  // 0 when its `dev` does not exist.
  int vip_ifindex(Runtime& rt, const conf::VirtualAddress& v);
  // use_vmac_addr / per-address use_vmac: the instance's address VMACs (vmac_plan.h).
  // `ic`: the instance's configuration (a reload's new one); those it has already are kept.
  void create_address_vmacs(Runtime& rt, const conf::VrrpInstance& ic);
  int advert_ifindex(const Runtime& rt) const;
  void apply_addresses(Runtime& rt, bool present);
  void remove_leftover_addresses();
  void change_address(Runtime& rt, const conf::VirtualAddress& v, bool present);
  // Start-up and reload share these: build one instance's runtime from its configuration,
  // attach it to its interface and socket and start it, make it leave, group the instances.
  std::unique_ptr<Runtime> create_runtime(const conf::VrrpInstance& ic);
  void launch(Runtime& rt, MonoTime now);
  void retire(Runtime& rt, MonoTime now);
  void reconfigure_in_place(Runtime& rt, const conf::VrrpInstance& next);
  void rebuild_groups();
  void drop_unused_sockets();
  void run_script(const conf::ScriptCommand& cmd, std::vector<std::string> extra_args,
                  const std::string& what);
  // The instances whose FSM deadline has come, run as one batch; their adverts leave with one
  // sendmmsg per socket (flush_adverts()).
  void run_due(const std::vector<const void*>& due, MonoTime now);
  void flush_adverts();

  loop::Loop& loop_;
  std::shared_ptr<const conf::Config> config_;
  // Every instance's FSM deadline. Declared before runtimes_: a Runtime cancels its entry when
  // destroyed, so the wheel must outlive them.
  TimerWheel wheel_;
  std::unique_ptr<netlink::RtnlSocket> rtnl_;
  std::unique_ptr<netlink::LinkMonitor> monitor_;
  std::unique_ptr<loop::FdWatch> monitor_watch_;
  std::unique_ptr<Announcer> announcer_;
  std::map<int, std::unique_ptr<Link>> links_;
  std::vector<std::unique_ptr<SocketEntry>> sockets_;
  std::vector<std::unique_ptr<Runtime>> runtimes_;
  std::vector<std::unique_ptr<SyncGroup>> groups_;
  std::unique_ptr<Trackers> trackers_;
  std::unique_ptr<loop::Timer> shutdown_timer_;
  std::unique_ptr<netlink::RtnlOps> route_ops_;  // virtual_routes / virtual_rules
  std::unique_ptr<NotifyFifos> fifos_;
  std::unique_ptr<ProcessTracker> processes_;  // track_process
  std::unique_ptr<VmacManager> vmacs_;         // use_vmac, use_vmac_addr
  // plan_all_address_vmacs() of the configuration planned_for_ (config_, kept across reloads).
  std::map<std::string, std::vector<AddressVmacPlan>> address_vmac_plans_;
  std::shared_ptr<const conf::Config> planned_for_;
  // Adverts for a VRID no instance on the receiving interface has (RFC 6527's router-wide
  // vrrpv3RouterVrIdErrors); kept across reloads.
  uint64_t vrid_errors_ = 0;
  // log_unknown_vrids: at most one line per second, with how many were not logged since.
  MonoTime unknown_vrid_logged_at_{};
  uint64_t unknown_vrids_unlogged_ = 0;
  bool stopping_ = false;
  bool batching_ = false;  // inside run_due(): send_advert() queues instead of sending
  std::function<void(const Instance&, State)> transition_observer_;
};

}  // namespace vigil::vrrp
