// One VRRP virtual router as the runtime drives it: the pure state machine (fsm.h) plus the
// bookkeeping around it — fault sources, tracked-item priority, counters, the last transition
// and why — and the translation of the machine's Actions into calls on an InstanceIo.
// Still free of sockets and clocks: the runtime (vrrp/router.h) implements InstanceIo with
// netlink, raw sockets and the event loop; unit tests implement it with a recorder.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/address.h"
#include "base/time.h"
#include "vrrp/discard.h"
#include "vrrp/fsm.h"
#include "vrrp/packet.h"
#include "vrrp/priority.h"

namespace vigil::vrrp {

class Instance;

// The effects an instance asks for, in the order the state machine requires.
class InstanceIo {
 public:
  virtual ~InstanceIo() = default;
  virtual void send_advert(Instance& inst, uint8_t priority) = 0;
  virtual void set_addresses(Instance& inst, bool present) = 0;
  // Gratuitous ARP / unsolicited NA burst for the instance's addresses (garp_master_*).
  virtual void announce(Instance& inst) = 0;
  // The state changed: notify scripts, notify_fifo, mail.
  virtual void notify(Instance& inst, State state, uint8_t priority) = 0;
  // Arm the instance's single timer (nullopt: disarm).
  virtual void arm_timer(Instance& inst, std::optional<MonoTime> deadline) = 0;
  // As Master, an advert of lower priority arrived (another node took over while we could
  // not hear each other): garp_lower_prio_*, notify_master_rx_lower_pri.
  virtual void master_rx_lower_priority(Instance& inst) { (void)inst; }
  // The effective priority moved from `from` to `to` while running (notify_priority_changes).
  // `state` is the state the change happened in, before any transition it causes.
  // The instance's own fault (link or tracking, not one a sync group imposes) appeared or
  // cleared; sync groups re-evaluate on it even when the state stays Fault.
  virtual void own_fault_changed(Instance& inst) { (void)inst; }
  virtual void priority_changed(Instance& inst, State state, uint8_t from, uint8_t to) {
    (void)inst, (void)state, (void)from, (void)to;
  }
};

// RFC 6527-style counters plus vigil's discard and checksum-form breakdowns.
struct InstanceCounters {
  uint64_t adverts_sent = 0;
  uint64_t adverts_received = 0;
  uint64_t became_master = 0;
  uint64_t released_master = 0;
  uint64_t transitions = 0;  // every state change
  uint64_t priority_zero_received = 0;
  uint64_t priority_zero_sent = 0;
  std::array<uint64_t, kDiscardReasonCount> discards{};
  std::array<uint64_t, kChecksumFormCount> checksum_forms{};
  uint64_t discards_total() const {
    uint64_t n = 0;
    for (size_t i = 0; i < discards.size(); ++i)
      if (i != static_cast<size_t>(DiscardReason::VridMismatch)) n += discards[i];
    return n;
  }
};

// What the wire side of an instance needs besides the state machine.
struct InstanceWire {
  Family family = Family::V4;
  Version version = Version::V2;
  AuthType auth = AuthType::None;
  std::string auth_pass;
  bool strict = false;
  // unicast_peer instance: adverts arrive unicast and may have crossed routers (any TTL).
  bool unicast = false;
  // The addresses carried in adverts (the instance's VIPs of its family, config order).
  std::vector<IpAddress> advert_addresses;
};

struct Transition {
  State from = State::Initialize;
  State to = State::Initialize;
  MonoTime at{};
  std::string reason;
};

class Instance {
 public:
  Instance(std::string name, FsmConfig fsm, InstanceWire wire, InstanceIo& io);

  const std::string& name() const { return name_; }
  const Fsm& fsm() const { return fsm_; }
  State state() const { return fsm_.state(); }
  uint8_t base_priority() const { return base_priority_; }
  uint8_t vrid() const { return fsm_.config().vrid; }
  const InstanceWire& wire() const { return wire_; }
  const InstanceCounters& counters() const { return counters_; }
  InstanceCounters& counters() { return counters_; }
  const std::optional<Transition>& last_transition() const { return last_transition_; }
  // Why the instance is in Fault (empty when it is not).
  std::string fault_reason() const;
  // Faulty for reasons of its own (interface down, a weight-0 tracked item failed), as
  // opposed to being held in Fault by its sync group.
  bool own_fault() const { return link_fault_ || track_fault_; }
  bool group_fault() const { return group_fault_; }
  // The receive-side configuration for check().
  RxConfig rx_config() const;
  // An opaque pointer for the InstanceIo implementation (the Router's per-instance runtime), so
  // its callbacks find their context in O(1) with thousands of instances.
  void set_io_tag(void* tag) { io_tag_ = tag; }
  void* io_tag() const { return io_tag_; }

  void start(MonoTime now);
  void shutdown(MonoTime now);
  void on_timer(MonoTime now);
  // A packet that passed parse() and check() for this instance.
  void on_advert(const Decoded& d, MonoTime now);
  void on_discard(DiscardReason r) { ++counters_.discards[static_cast<size_t>(r)]; }

  // The instance's interface went down (true) or came back (false).
  void set_link_fault(bool down, MonoTime now, std::string why);
  // A sync group forces this member into Fault (or releases it).
  void set_group_fault(bool fault, MonoTime now);
  // Tracked items changed: recompute the effective priority and the tracking fault.
  void update_tracking(std::span<const TrackedItem> items, MonoTime now);
  // Sync groups move members together.
  void force(State s, MonoTime now);
  // Reload: new settings for the same virtual router (see Fsm::update_settings). State,
  // timers, counters and the last transition are kept; a changed priority takes effect
  // through the next update_tracking(), which the caller runs right after.
  void reconfigure(const FsmConfig& fsm, InstanceWire wire);
  void handle_event(const Event& e, MonoTime now);
  // Maintenance offset from the control socket: shifts the effective priority like a tracked
  // item's weight (an address owner keeps 255); 0 clears it.
  void set_priority_offset(int offset, MonoTime now);
  int priority_offset() const { return priority_offset_; }

 private:
  void apply(const Actions& a, MonoTime now);
  void update_fault(MonoTime now);
  void recompute_priority(MonoTime now);

  std::string name_;
  void* io_tag_ = nullptr;
  Fsm fsm_;
  InstanceWire wire_;
  InstanceIo& io_;
  uint8_t base_priority_;
  InstanceCounters counters_;
  std::optional<Transition> last_transition_;
  std::optional<uint32_t> ah_last_seq_;
  bool link_fault_ = false;
  std::string link_fault_why_;
  bool group_fault_ = false;
  bool track_fault_ = false;
  std::vector<std::string> track_fault_items_;
  bool fault_signalled_ = false;
  bool own_fault_signalled_ = false;
  bool started_ = false;
  std::vector<TrackedItem> tracked_items_;  // the last update_tracking() input
  int priority_offset_ = 0;
};

}  // namespace vigil::vrrp
