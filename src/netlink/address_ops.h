// The kernel-facing effects VRRP instances (and static_ipaddress/routes/rules) need, behind
// one interface: the real one talks rtnetlink, a recording fake (netlink/fake_ops.h) serves
// other modules' unit tests. Errors come back as values (kernel errno + text).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "netlink/result.h"
#include "netlink/routes.h"
#include "netlink/types.h"

namespace vigil::netlink {

class AddressOps {
 public:
  virtual ~AddressOps() = default;

  virtual Result<void> add_address(const AddressSpec& spec) = 0;
  virtual Result<void> del_address(const AddressSpec& spec) = 0;
  virtual Result<std::vector<AddressInfo>> list_addresses(int ifindex,
                                                          std::optional<Family> family) = 0;
  virtual Result<void> add_route(const RouteSpec& spec) = 0;
  virtual Result<void> del_route(const RouteSpec& spec) = 0;
  virtual Result<void> add_rule(const RuleSpec& spec) = 0;
  virtual Result<void> del_rule(const RuleSpec& spec) = 0;
  virtual Result<LinkInfo> link_by_name(std::string_view name) = 0;
  virtual Result<LinkInfo> link_by_index(int ifindex) = 0;
};

// The real implementation over one rtnetlink request socket.
class RtnlOps final : public AddressOps {
 public:
  static Result<RtnlOps> open();

  Result<void> add_address(const AddressSpec& spec) override;
  Result<void> del_address(const AddressSpec& spec) override;
  Result<std::vector<AddressInfo>> list_addresses(int ifindex,
                                                  std::optional<Family> family) override;
  Result<void> add_route(const RouteSpec& spec) override;
  Result<void> del_route(const RouteSpec& spec) override;
  Result<void> add_rule(const RuleSpec& spec) override;
  Result<void> del_rule(const RuleSpec& spec) override;
  Result<LinkInfo> link_by_name(std::string_view name) override;
  Result<LinkInfo> link_by_index(int ifindex) override;

  RtnlSocket& socket() { return sock_; }

 private:
  explicit RtnlOps(RtnlSocket s) : sock_(std::move(s)) {}
  RtnlSocket sock_;
};

}  // namespace vigil::netlink
