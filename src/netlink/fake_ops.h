// A recording AddressOps for unit tests of logic (vrrp instances, static addresses): keeps
// the calls in order and a simulated kernel state that answers like the kernel does
// (EEXIST on a duplicate add, EADDRNOTAVAIL / ESRCH / ENOENT on deleting what is absent).
#pragma once

#include <algorithm>
#include <cerrno>
#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "netlink/address_ops.h"

namespace vigil::netlink {

class FakeAddressOps final : public AddressOps {
 public:
  struct AddAddress {
    AddressSpec spec;
  };
  struct DelAddress {
    AddressSpec spec;
  };
  struct AddRoute {
    RouteSpec spec;
  };
  struct DelRoute {
    RouteSpec spec;
  };
  struct AddRule {
    RuleSpec spec;
  };
  struct DelRule {
    RuleSpec spec;
  };
  using Call = std::variant<AddAddress, DelAddress, AddRoute, DelRoute, AddRule, DelRule>;

  // Every mutating call, in order (also the failed ones).
  std::vector<Call> calls;
  // Simulated state.
  std::vector<AddressSpec> addresses;
  std::vector<RouteSpec> routes;
  std::vector<RuleSpec> rules;
  std::vector<LinkInfo> links;

  // The next mutating call fails with this error (then the queue moves on).
  void fail_next(Error e) { failures_.push_back(std::move(e)); }

  Result<void> add_address(const AddressSpec& spec) override {
    calls.emplace_back(AddAddress{spec});
    if (auto e = take_failure()) return *e;
    if (find_address(spec) != addresses.end()) return Error{EEXIST, "File exists"};
    addresses.push_back(spec);
    return {};
  }
  Result<void> del_address(const AddressSpec& spec) override {
    calls.emplace_back(DelAddress{spec});
    if (auto e = take_failure()) return *e;
    auto it = find_address(spec);
    if (it == addresses.end()) return Error{EADDRNOTAVAIL, "Cannot assign requested address"};
    addresses.erase(it);
    return {};
  }
  Result<std::vector<AddressInfo>> list_addresses(int ifindex,
                                                  std::optional<Family> family) override {
    std::vector<AddressInfo> out;
    for (const auto& a : addresses) {
      if (ifindex && a.ifindex != ifindex) continue;
      if (family && a.prefix.address.family() != *family) continue;
      AddressInfo info;
      info.ifindex = a.ifindex;
      info.prefix = a.prefix;
      info.broadcast = a.broadcast;
      info.scope = a.scope;
      info.label = a.label.value_or("");
      out.push_back(info);
    }
    return out;
  }
  Result<void> add_route(const RouteSpec& spec) override {
    calls.emplace_back(AddRoute{spec});
    if (auto e = take_failure()) return *e;
    if (find_route(spec) != routes.end()) return Error{EEXIST, "File exists"};
    routes.push_back(spec);
    return {};
  }
  Result<void> del_route(const RouteSpec& spec) override {
    calls.emplace_back(DelRoute{spec});
    if (auto e = take_failure()) return *e;
    auto it = find_route(spec);
    if (it == routes.end()) return Error{ESRCH, "No such process"};
    routes.erase(it);
    return {};
  }
  Result<void> add_rule(const RuleSpec& spec) override {
    calls.emplace_back(AddRule{spec});
    if (auto e = take_failure()) return *e;
    if (find_rule(spec) != rules.end()) return Error{EEXIST, "File exists"};
    rules.push_back(spec);
    return {};
  }
  Result<void> del_rule(const RuleSpec& spec) override {
    calls.emplace_back(DelRule{spec});
    if (auto e = take_failure()) return *e;
    auto it = find_rule(spec);
    if (it == rules.end()) return Error{ENOENT, "No such file or directory"};
    rules.erase(it);
    return {};
  }
  Result<LinkInfo> link_by_name(std::string_view name) override {
    for (const auto& l : links)
      if (l.name == name) return l;
    return Error{ENODEV, "No such device"};
  }
  Result<LinkInfo> link_by_index(int ifindex) override {
    for (const auto& l : links)
      if (l.ifindex == ifindex) return l;
    return Error{ENODEV, "No such device"};
  }

 private:
  std::optional<Error> take_failure() {
    if (failures_.empty()) return std::nullopt;
    Error e = std::move(failures_.front());
    failures_.pop_front();
    return e;
  }
  std::vector<AddressSpec>::iterator find_address(const AddressSpec& s) {
    return std::find_if(addresses.begin(), addresses.end(), [&](const AddressSpec& a) {
      return a.ifindex == s.ifindex && a.prefix == s.prefix;
    });
  }
  std::vector<RouteSpec>::iterator find_route(const RouteSpec& s) {
    return std::find_if(routes.begin(), routes.end(), [&](const RouteSpec& r) {
      return r.destination == s.destination && r.table == s.table && r.metric == s.metric &&
             r.type == s.type;
    });
  }
  std::vector<RuleSpec>::iterator find_rule(const RuleSpec& s) {
    return std::find_if(rules.begin(), rules.end(), [&](const RuleSpec& r) {
      return r.family == s.family && r.from == s.from && r.to == s.to && r.table == s.table &&
             r.priority == s.priority && r.fwmark == s.fwmark && r.action == s.action;
    });
  }
  std::deque<Error> failures_;
};

}  // namespace vigil::netlink
