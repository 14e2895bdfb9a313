// The pool core: keepalived's virtual/real server semantics as a pure computation from the
// configuration and the health of each real server to the DesiredState a back end applies.
// No I/O: the daemon feeds checker results in, applies desired(), and runs the notify and
// quorum scripts for the events it takes out.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "conf/lvs_match.h"
#include "conf/model_lvs.h"
#include "lb/desired_state.h"

namespace vigil::lb {

// Indices into conf::LvsConfig::virtual_servers[] and that virtual server's real_servers[].
struct RealServerKey {
  size_t vs_index = 0;
  size_t rs_index = 0;
  auto operator<=>(const RealServerKey&) const = default;
};

struct RealServerInput {
  bool up = true;
  std::optional<uint32_t> weight;  // dynamic weight override (misc_dynamic, operator)
  bool drained = false;            // operator drain: kept in the pool with weight 0
  bool operator==(const RealServerInput&) const = default;
};

struct PoolEvent {
  enum class Kind {
    QuorumUp,        // run the virtual server's quorum_up
    QuorumDown,      // run quorum_down
    RealServerUp,    // run the real server's notify_up
    RealServerDown,  // run notify_down
  };
  Kind kind = Kind::QuorumUp;
  size_t vs_index = 0;
  std::optional<size_t> rs_index;  // set for RealServerUp/Down
  bool operator==(const PoolEvent&) const = default;
};

class Pool {
 public:
  // Keeps a reference to `lvs`: it must outlive the Pool (a reload builds a new Pool).
  // Real servers start up, except with alpha (virtual or real server) and checkers configured,
  // where they start down as keepalived does. Services with ha_suspend start absent.
  explicit Pool(const conf::LvsConfig& lvs);

  // Reload: `next` replaces the configuration (the old one may go away afterwards). Virtual
  // servers and real servers that `match` maps to old ones keep their state (health, dynamic
  // weight, drain, quorum, held VIP); new ones start as in the constructor. Quorum is then
  // re-evaluated under the new settings (its events are queued as usual).
  void reconfigure(const conf::LvsConfig& next, const conf::LvsMatch& match);

  // Health and weight of one real server; out-of-range keys are ignored.
  void set_real_server(RealServerKey key, RealServerInput in);
  const RealServerInput* real_server(RealServerKey key) const;
  // ha_suspend: the virtual server's services exist only while its address is held.
  void set_vip_held(size_t vs_index, bool held);

  bool quorum_up(size_t vs_index) const;
  // Sum of the effective weights of the live real servers (keepalived's quorum measure).
  uint64_t live_weight(size_t vs_index) const;

  DesiredState desired() const;

  // What may have changed since the last call: the virtual servers whose real servers' input
  // changed (their services alone may differ from the previous desired()), or nullopt when
  // anything may have (construction, reconfigure, set_vip_held). Clears the record.
  std::optional<std::vector<size_t>> take_changed();
  // The services of one virtual server, as desired() has them (empty when ha_suspend hides
  // them). shares_services(): one of its service keys is also another virtual server's, so
  // desired() may hold the other's service under it.
  std::vector<Service> services(size_t vs_index) const;
  bool shares_services(size_t vs_index) const;
  std::vector<PoolEvent> take_events();

  // Daemon shutdown: for virtual servers with `omega`, the RealServerDown events of their live
  // real servers and a QuorumDown when the quorum was up (keepalived's omega mode).
  std::vector<PoolEvent> shutdown_events() const;

 private:
  struct VsState {
    std::vector<RealServerInput> rs;
    bool quorum_up = true;
    bool vip_held = false;
  };

  uint32_t effective_weight(const conf::RealServer& rs, const RealServerInput& in) const;
  void update_quorum(size_t vs_index);
  void add_services(size_t vs_index, std::vector<Service>& out) const;
  template <typename Fn>
  void for_each_key(size_t vs_index, Fn&& fn) const;
  void find_shared_keys();
  std::vector<Destination> destinations(size_t vs_index) const;

  const conf::LvsConfig* lvs_;
  std::vector<VsState> state_;
  std::vector<PoolEvent> events_;
  bool all_changed_ = true;
  std::vector<size_t> changed_vs_;
  std::vector<bool> shared_keys_;  // per virtual server
};

}  // namespace vigil::lb
