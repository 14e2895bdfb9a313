#include "lb/ipvs/ipvs_data_plane.h"

#include <cerrno>

#include "lb/ipvs/ipvs_msg.h"

namespace vigil::lb::ipvs {

bool kernel_has_ipvs() {
  auto s = GenlSocket::open();
  return s && s->resolve_family("IPVS").ok();
}

Result<std::unique_ptr<IpvsDataPlane>> IpvsDataPlane::create() {
  auto s = GenlSocket::open();
  if (!s) return s.error();
  auto id = s->resolve_family("IPVS");
  if (!id) {
    return Error{id.error().code,
                 "the kernel has no IPVS (generic netlink family \"IPVS\" not found; load "
                 "ip_vs or use --lb nft): " +
                     id.error().message};
  }
  return std::unique_ptr<IpvsDataPlane>(new IpvsDataPlane(std::move(*s), *id));
}

Result<void> IpvsDataPlane::apply(const DesiredState& state) {
  const bool rebuild = !applied_;
  std::vector<Operation> ops = plan(applied_ ? &*applied_ : nullptr, state);
  applied_.reset();
  for (const Operation& o : ops) {
    auto r = sock_.request(encode(o, family_, sock_.next_seq()), {},
                           "IPVS " + o.service.key.to_string());
    // A rebuild deletes each service first whether or not it exists.
    if (!r && !(rebuild && o.command == Command::DelService && r.error().code == ESRCH)) {
      return r.error();
    }
  }
  applied_ = state;
  return {};
}

void IpvsDataPlane::remove_all() {
  if (!applied_) return;
  for (const Operation& o : plan_remove(*applied_)) {
    (void)sock_.request(encode(o, family_, sock_.next_seq()), {}, "IPVS remove");
  }
  applied_.reset();
}

}  // namespace vigil::lb::ipvs
