// Which addresses the kernel has on this host's interfaces, kept current from rtnetlink
// address events (no polling). The checker worker uses it for ha_suspend: a virtual server's
// services exist only while its address is configured here, i.e. while the VRRP worker (a
// separate process) holds the VIP. keepalived's checker process learns it the same way.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "base/address.h"

namespace vigil::loop {
class Loop;
class FdWatch;
}  // namespace vigil::loop
namespace vigil::netlink {
class LinkMonitor;
}

namespace vigil::daemon {

class AddressWatch {
 public:
  // `changed` runs on the loop after the set of addresses changed (also after a re-dump that
  // followed a kernel overrun). Null and `error` set when rtnetlink cannot be opened.
  static std::unique_ptr<AddressWatch> open(loop::Loop& loop, std::function<void()> changed,
                                            std::string& error);
  ~AddressWatch();
  AddressWatch(const AddressWatch&) = delete;
  AddressWatch& operator=(const AddressWatch&) = delete;

  // Configured on any interface.
  bool present(const IpAddress& address) const;

 private:
  AddressWatch(loop::Loop& loop, std::function<void()> changed);
  bool dump(std::string& error);
  void on_readable();

  loop::Loop& loop_;
  std::function<void()> changed_;
  std::unique_ptr<netlink::LinkMonitor> monitor_;
  std::unique_ptr<loop::FdWatch> watch_;
  std::set<std::pair<IpAddress, int>> addresses_;  // (address, ifindex)
};

}  // namespace vigil::daemon
