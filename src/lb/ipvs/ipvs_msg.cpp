#include "lb/ipvs/ipvs_msg.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace vigil::lb::ipvs {
namespace {

uint16_t ipproto_of(conf::LvsProtocol p) {
  switch (p) {
    case conf::LvsProtocol::Tcp:
      return IPPROTO_TCP;
    case conf::LvsProtocol::Udp:
      return IPPROTO_UDP;
    case conf::LvsProtocol::Sctp:
      return IPPROTO_SCTP;
  }
  return IPPROTO_TCP;
}

// union nf_inet_addr: 16 bytes, an IPv4 address in the first 4, the rest zero.
void put_inet_addr(nlmsghdr* nlh, uint16_t type, const IpAddress& a) {
  uint8_t buf[16] = {};
  std::memcpy(buf, a.data(), a.size());
  mnl_attr_put(nlh, type, sizeof buf, buf);
}

uint32_t fwd_method(conf::LvsForwarding f) {
  switch (f) {
    case conf::LvsForwarding::Nat:
      return IP_VS_CONN_F_MASQ;
    case conf::LvsForwarding::Dr:
      return IP_VS_CONN_F_DROUTE;
    case conf::LvsForwarding::Tun:
      return IP_VS_CONN_F_TUNNEL;
  }
  return IP_VS_CONN_F_MASQ;
}

// The persistence netmask: IPv4 as a mask in network byte order, IPv6 as a prefix length.
uint32_t netmask(const Service& s) {
  if (s.key.family == Family::V6) return s.persistence_granularity;
  uint32_t len = std::min<uint32_t>(s.persistence_granularity, 32);
  return htonl(len == 0 ? 0 : ~uint32_t{0} << (32 - len));
}

void put_service(nlmsghdr* nlh, const Service& s, bool full) {
  nlattr* nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
  mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, address_family(s.key.family));
  if (s.key.fwmark != 0) {
    mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_FWMARK, s.key.fwmark);
  } else {
    mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, ipproto_of(s.key.protocol));
    put_inet_addr(nlh, IPVS_SVC_ATTR_ADDR, s.key.address);
    mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(s.key.port));
  }
  if (full) {
    mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, scheduler_name(s.scheduler).c_str());
    if (!s.persistence_engine.empty())
      mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_PE_NAME, s.persistence_engine.c_str());
    ip_vs_flags flags{s.flags, ~0u};
    mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags);
    mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_TIMEOUT, s.persistence_timeout);
    mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_NETMASK, netmask(s));
  }
  mnl_attr_nest_end(nlh, nest);
}

void put_dest(nlmsghdr* nlh, const Destination& d, bool full) {
  nlattr* nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
  put_inet_addr(nlh, IPVS_DEST_ATTR_ADDR, d.address);
  mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(d.port));
  if (full) {
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, fwd_method(d.forwarding));
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, d.weight);
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_U_THRESH, d.upper_threshold);
    mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_L_THRESH, d.lower_threshold);
    mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_ADDR_FAMILY, address_family(d.address.family()));
    if (d.forwarding == conf::LvsForwarding::Tun) {
      mnl_attr_put_u8(nlh, IPVS_DEST_ATTR_TUN_TYPE, static_cast<uint8_t>(d.tunnel_type));
      if (d.tunnel_type == conf::TunnelType::Gue)
        mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_PORT, htons(d.tunnel_port));
      if (d.tunnel_checksum) {
        uint16_t f = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
        if (*d.tunnel_checksum == conf::TunnelChecksum::Csum) f = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
        if (*d.tunnel_checksum == conf::TunnelChecksum::RemCsum)
          f = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
        mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_FLAGS, f);
      }
    }
  }
  mnl_attr_nest_end(nlh, nest);
}

nlmsghdr* start(std::vector<uint8_t>& buf, uint16_t type, uint8_t cmd, uint8_t version,
                uint32_t seq) {
  buf.assign(MNL_SOCKET_BUFFER_SIZE, 0);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = seq;
  auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  genl->cmd = cmd;
  genl->version = version;
  return nlh;
}

bool service_attrs_equal(const Service& a, const Service& b) {
  return a.scheduler == b.scheduler && a.flags == b.flags &&
         a.persistence_timeout == b.persistence_timeout &&
         a.persistence_granularity == b.persistence_granularity &&
         a.persistence_engine == b.persistence_engine;
}

Operation op(Command c, const Service& s, std::optional<Destination> d = std::nullopt) {
  Operation o{c, s, std::move(d)};
  o.service.destinations.clear();
  return o;
}

const Destination* find_dest(const Service& s, const Destination& d) {
  for (const Destination& x : s.destinations) {
    if (x.address == d.address && x.port == d.port) return &x;
  }
  return nullptr;
}

void add_service_ops(const Service& s, std::vector<Operation>& out) {
  out.push_back(op(Command::NewService, s));
  for (const Destination& d : s.destinations) out.push_back(op(Command::NewDest, s, d));
}

}  // namespace

std::string scheduler_name(conf::LvsScheduler s) {
  return std::string(conf::to_string(s));
}

std::vector<Operation> plan(const DesiredState* prev, const DesiredState& next) {
  std::vector<Operation> out;
  if (!prev) {
    for (const Service& s : next.services) {
      out.push_back(op(Command::DelService, s));
      add_service_ops(s, out);
    }
    return out;
  }
  for (const Service& old : prev->services) {
    if (!next.find(old.key)) out.push_back(op(Command::DelService, old));
  }
  for (const Service& s : next.services) {
    const Service* old = prev->find(s.key);
    if (!old) {
      add_service_ops(s, out);
      continue;
    }
    if (!service_attrs_equal(*old, s)) out.push_back(op(Command::SetService, s));
    for (const Destination& d : old->destinations) {
      if (!find_dest(s, d)) out.push_back(op(Command::DelDest, s, d));
    }
    for (const Destination& d : s.destinations) {
      const Destination* o = find_dest(*old, d);
      if (!o) {
        out.push_back(op(Command::NewDest, s, d));
      } else if (!(*o == d)) {
        out.push_back(op(Command::SetDest, s, d));
      }
    }
  }
  return out;
}

std::vector<Operation> plan_remove(const DesiredState& applied) {
  std::vector<Operation> out;
  for (const Service& s : applied.services) out.push_back(op(Command::DelService, s));
  return out;
}

std::vector<uint8_t> encode(const Operation& o, uint16_t family_id, uint32_t seq) {
  std::vector<uint8_t> buf;
  nlmsghdr* nlh = start(buf, family_id, static_cast<uint8_t>(o.command), IPVS_GENL_VERSION, seq);
  const bool dest_cmd = o.command == Command::NewDest || o.command == Command::SetDest ||
                        o.command == Command::DelDest;
  const bool full_service = o.command == Command::NewService || o.command == Command::SetService;
  if (o.command != Command::Flush) put_service(nlh, o.service, full_service);
  if (dest_cmd && o.destination) put_dest(nlh, *o.destination, o.command != Command::DelDest);
  buf.resize(nlh->nlmsg_len);
  return buf;
}

std::vector<uint8_t> encode_get_family(uint32_t seq) {
  std::vector<uint8_t> buf;
  nlmsghdr* nlh = start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, seq);
  mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME);
  buf.resize(nlh->nlmsg_len);
  return buf;
}

}  // namespace vigil::lb::ipvs
