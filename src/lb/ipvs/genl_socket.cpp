#include "lb/ipvs/genl_socket.h"

#include <linux/genetlink.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace vigil::lb::ipvs {

GenlSocket::GenlSocket(netlink::MnlHandle s) : sock_(std::move(s)) {}

netlink::Result<GenlSocket> GenlSocket::open() {
  auto s = netlink::open_mnl(NETLINK_GENERIC, 0, "generic netlink socket");
  if (!s) return s.error();
  return GenlSocket(std::move(*s));
}

netlink::Result<void> GenlSocket::request(std::vector<uint8_t> msg,
                                          const std::function<void(const nlmsghdr*)>& handler,
                                          std::string_view what) {
  return netlink::transact(
      sock_.get(), msg,
      [&](const nlmsghdr* m) {
        if (handler) handler(m);
        return MNL_CB_OK;
      },
      what);
}

netlink::Result<uint16_t> GenlSocket::resolve_family(const char* name) {
  std::vector<uint8_t> buf(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = GENL_ID_CTRL;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = next_seq();
  auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  genl->cmd = CTRL_CMD_GETFAMILY;
  genl->version = 1;
  mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
  buf.resize(nlh->nlmsg_len);
  uint16_t id = 0;
  auto r = request(
      std::move(buf),
      [&](const nlmsghdr* m) {
        mnl_attr_parse(
            m, sizeof(genlmsghdr),
            [](const nlattr* a, void* data) {
              if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
                *static_cast<uint16_t*>(data) = mnl_attr_get_u16(a);
              return MNL_CB_OK;
            },
            &id);
      },
      std::string("resolve generic netlink family ") + name);
  if (!r) return r.error();
  if (id == 0) return netlink::Error{ENOENT, std::string("no generic netlink family ") + name};
  return id;
}

}  // namespace vigil::lb::ipvs
