#include "netlink/address_ops.h"

#include "netlink/addresses.h"
#include "netlink/links.h"

namespace vigil::netlink {

Result<RtnlOps> RtnlOps::open() {
  auto s = RtnlSocket::open();
  if (!s) return s.error();
  return RtnlOps(std::move(*s));
}

Result<void> RtnlOps::add_address(const AddressSpec& spec) {
  return netlink::add_address(sock_, spec);
}
Result<void> RtnlOps::del_address(const AddressSpec& spec) {
  return netlink::del_address(sock_, spec);
}
Result<std::vector<AddressInfo>> RtnlOps::list_addresses(int ifindex,
                                                         std::optional<Family> family) {
  return netlink::list_addresses(sock_, ifindex, family);
}
Result<void> RtnlOps::add_route(const RouteSpec& spec) {
  return netlink::add_route(sock_, spec);
}
Result<void> RtnlOps::del_route(const RouteSpec& spec) {
  return netlink::del_route(sock_, spec);
}
Result<void> RtnlOps::add_rule(const RuleSpec& spec) {
  return netlink::add_rule(sock_, spec);
}
Result<void> RtnlOps::del_rule(const RuleSpec& spec) {
  return netlink::del_rule(sock_, spec);
}
Result<LinkInfo> RtnlOps::link_by_name(std::string_view name) {
  return get_link(sock_, name);
}
Result<LinkInfo> RtnlOps::link_by_index(int ifindex) {
  return get_link(sock_, ifindex);
}

}  // namespace vigil::netlink
