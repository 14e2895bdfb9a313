#include "lb/nft/set_elements.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace vigil::lb::nft {
namespace {

// Elements per message: keeps each message well below the 64 KiB netlink attribute limit.
constexpr size_t kElementsPerMessage = 128;
// A start and an end element with a chain name: generous upper bound of their encoding.
constexpr size_t kElementBytes = 96 + NFT_CHAIN_MAXNAMELEN;

uint8_t family_code(const std::string& family) {
  return family == kDrFamily ? NFPROTO_NETDEV : NFPROTO_INET;
}

class Writer {
 public:
  explicit Writer(uint32_t seq) : seq_(seq) {}

  // Appends a message; returns its header. Room for `payload` bytes of attributes is reserved.
  nlmsghdr* begin(uint16_t type, uint16_t flags, uint8_t family, uint16_t res_id, size_t payload) {
    const size_t need = MNL_ALIGN(sizeof(nlmsghdr)) + MNL_ALIGN(sizeof(nfgenmsg)) + payload;
    offset_ = buf_.size();
    buf_.resize(offset_ + need);
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf_.data() + offset_);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = flags;
    nlh->nlmsg_seq = seq_++;
    auto* g = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
    g->nfgen_family = family;
    g->version = NFNETLINK_V0;
    g->res_id = htons(res_id);
    return nlh;
  }
  // Trims the reserved room to what the message used.
  void end(nlmsghdr* nlh) { buf_.resize(offset_ + nlh->nlmsg_len); }
  uint32_t next_seq() const { return seq_; }
  std::vector<uint8_t> take() { return std::move(buf_); }

 private:
  std::vector<uint8_t> buf_;
  size_t offset_ = 0;
  uint32_t seq_;
};

// The DNAT target of a direct pick map's element ("ADDR PORT" or "ADDR") as the kernel holds
// it: the address in network order, then the port in network order padded to 4 bytes (each
// part of a concatenation fills whole 32-bit registers).
std::vector<uint8_t> target_value(const std::string& target, PickData data) {
  std::vector<uint8_t> out;
  const size_t space = target.find(' ');
  std::optional<IpAddress> a = IpAddress::parse(std::string_view(target).substr(0, space));
  if (!a) return out;
  out.assign(a->data(), a->data() + a->size());
  if (data == PickData::AddrPort && space != std::string::npos) {
    const auto port = static_cast<uint16_t>(std::stoul(target.substr(space + 1)));
    out.push_back(static_cast<uint8_t>(port >> 8));
    out.push_back(static_cast<uint8_t>(port & 0xff));
    out.push_back(0);
    out.push_back(0);
  }
  return out;
}

// A start element (`target` set on additions: its verdict or value) or an end element (`end`).
void put_element(nlmsghdr* nlh, uint32_t key, bool end, const std::string* target, PickData data) {
  nlattr* elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
  nlattr* k = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_KEY);
  // Network byte order, as nft sends these keys (its rule converts the numgen/jhash result).
  const uint32_t be = htonl(key);
  mnl_attr_put(nlh, NFTA_DATA_VALUE, sizeof(be), &be);
  mnl_attr_nest_end(nlh, k);
  if (end) mnl_attr_put_u32(nlh, NFTA_SET_ELEM_FLAGS, htonl(NFT_SET_ELEM_INTERVAL_END));
  if (target && data == PickData::Goto) {
    nlattr* nest = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_DATA);
    nlattr* verdict = mnl_attr_nest_start(nlh, NFTA_DATA_VERDICT);
    mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htonl(static_cast<uint32_t>(NFT_GOTO)));
    mnl_attr_put_strz(nlh, NFTA_VERDICT_CHAIN, target->c_str());
    mnl_attr_nest_end(nlh, verdict);
    mnl_attr_nest_end(nlh, nest);
  } else if (target) {
    const std::vector<uint8_t> value = target_value(*target, data);
    nlattr* nest = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_DATA);
    mnl_attr_put(nlh, NFTA_DATA_VALUE, value.size(), value.data());
    mnl_attr_nest_end(nlh, nest);
  }
  mnl_attr_nest_end(nlh, elem);
}

void put_ranges(Writer& w, uint16_t msg, uint16_t flags, const PickUpdate& u,
                const std::vector<RangeElement>& ranges, uint32_t& messages) {
  for (size_t i = 0; i < ranges.size(); i += kElementsPerMessage) {
    const size_t n = std::min(kElementsPerMessage, ranges.size() - i);
    nlmsghdr* nlh = w.begin(static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | msg),
                            static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags),
                            family_code(u.family), 0, 256 + n * kElementBytes);
    mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, kTableName);
    mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, u.map.c_str());
    nlattr* list = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
    for (size_t j = i; j < i + n; ++j) {
      const RangeElement& r = ranges[j];
      put_element(nlh, r.first, false, msg == NFT_MSG_NEWSETELEM ? &r.target : nullptr, u.data);
      put_element(nlh, r.last + 1, true, nullptr, u.data);
    }
    mnl_attr_nest_end(nlh, list);
    w.end(nlh);
    ++messages;
  }
}

}  // namespace

std::vector<uint8_t> encode_pick_batch(const std::vector<PickUpdate>& updates,
                                       const std::vector<ChainRef>& chains, uint32_t seq,
                                       uint32_t* messages) {
  Writer w(seq);
  uint32_t count = 0;
  w.end(w.begin(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, 0));
  // All deletions first: a range that moves to another destination (or shifts) is removed
  // before its key is added again.
  for (const PickUpdate& u : updates)
    if (!u.removed.empty()) put_ranges(w, NFT_MSG_DELSETELEM, 0, u, u.removed, count);
  for (const PickUpdate& u : updates)
    if (!u.added.empty()) put_ranges(w, NFT_MSG_NEWSETELEM, NLM_F_CREATE, u, u.added, count);
  for (const ChainRef& c : chains) {
    nlmsghdr* nlh =
        w.begin(static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELCHAIN),
                NLM_F_REQUEST | NLM_F_ACK, family_code(c.family), 0, 64 + NFT_CHAIN_MAXNAMELEN);
    mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, kTableName);
    mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, c.name.c_str());
    w.end(nlh);
    ++count;
  }
  w.end(w.begin(NFNL_MSG_BATCH_END, NLM_F_REQUEST, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, 0));
  if (messages) *messages = count;
  return w.take();
}

SetElementSocket::SetElementSocket(netlink::MnlHandle s)
    : sock_(std::move(s)), portid_(mnl_socket_get_portid(sock_.get())) {}

netlink::Result<SetElementSocket> SetElementSocket::open() {
  auto s = netlink::open_mnl(NETLINK_NETFILTER, 0, "nf_tables netlink socket");
  if (!s) return s.error();
  // Acknowledgements without the echoed request keep the receive buffer small.
  int one = 1;
  (void)mnl_socket_setsockopt(s->get(), NETLINK_CAP_ACK, &one, sizeof(one));
  return SetElementSocket(std::move(*s));
}

netlink::Result<void> SetElementSocket::apply(const std::vector<PickUpdate>& updates,
                                              const std::vector<ChainRef>& chains) {
  if (updates.empty() && chains.empty()) return {};
  const uint32_t first = seq_ + 1;
  uint32_t expected = 0;
  std::vector<uint8_t> msg = encode_pick_batch(updates, chains, first, &expected);
  // BATCH_BEGIN took `first`; the element messages follow.
  seq_ = first + expected + 1;
  int fd = mnl_socket_get_fd(sock_.get());
  // The whole transaction goes in one sendmsg: the socket's send buffer must hold it.
  int want = static_cast<int>(msg.size() + 4096);
  int have = 0;
  socklen_t len = sizeof(have);
  if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &len) == 0 && have < want) {
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) != 0)
      (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
  }
  // The kernel handles the batch inside sendmsg: every answer is queued by now. One ACK per
  // element message; a failing message's error aborts the whole transaction.
  return netlink::transact(sock_.get(), msg, nullptr, "nf_tables element batch",
                           netlink::Answers::Queued);
}

}  // namespace vigil::lb::nft
