// The raw pick-map element batch: message layout (golden) of what set_elements.cpp sends.
#include "lb/nft/set_elements.h"

#include <gtest/gtest.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <cstring>
#include <string>

namespace vigil::lb::nft {
namespace {

struct Element {
  uint32_t key = 0;
  bool end = false;
  std::string chain;
  int32_t verdict = 0;
  std::vector<uint8_t> value;  // NFTA_DATA_VALUE of a direct pick map
};

struct Message {
  uint16_t type = 0;
  uint16_t flags = 0;
  uint32_t seq = 0;
  uint8_t family = 0;
  std::string table, set;
  std::vector<Element> elements;
};

// Calls f for each attribute in [start, start + len) (libmnl's for_each macros assign void*,
// which C++ refuses).
template <typename F>
void each_attr(const void* start, size_t len, F f) {
  auto* a = static_cast<const nlattr*>(start);
  int left = static_cast<int>(len);
  while (mnl_attr_ok(a, left)) {
    f(a);
    left -= MNL_ALIGN(a->nla_len);
    a = mnl_attr_next(a);
  }
}

template <typename F>
void each_nested(const nlattr* nest, F f) {
  each_attr(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest), f);
}

std::vector<Message> parse(const std::vector<uint8_t>& buf) {
  std::vector<Message> out;
  auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data());
  int left = static_cast<int>(buf.size());
  for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
    Message m;
    m.type = nlh->nlmsg_type;
    m.flags = nlh->nlmsg_flags;
    m.seq = nlh->nlmsg_seq;
    m.family = static_cast<const nfgenmsg*>(mnl_nlmsg_get_payload(nlh))->nfgen_family;
    const char* attrs =
        static_cast<const char*>(mnl_nlmsg_get_payload_offset(nlh, sizeof(nfgenmsg)));
    const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
    each_attr(attrs, static_cast<size_t>(tail - attrs), [&](const nlattr* a) {
      switch (mnl_attr_get_type(a)) {
        case NFTA_SET_ELEM_LIST_TABLE:
          m.table = mnl_attr_get_str(a);
          break;
        case NFTA_SET_ELEM_LIST_SET:
          m.set = mnl_attr_get_str(a);
          break;
        case NFTA_SET_ELEM_LIST_ELEMENTS: {
          each_nested(a, [&](const nlattr* e) {
            Element el;
            each_nested(e, [&](const nlattr* f) {
              if (mnl_attr_get_type(f) == NFTA_SET_ELEM_KEY) {
                const nlattr* v = static_cast<const nlattr*>(mnl_attr_get_payload(f));
                EXPECT_EQ(mnl_attr_get_type(v), NFTA_DATA_VALUE);
                EXPECT_EQ(mnl_attr_get_payload_len(v), 4u);
                std::memcpy(&el.key, mnl_attr_get_payload(v), 4);
                el.key = ntohl(el.key);  // keys in network byte order, as nft sends them
              } else if (mnl_attr_get_type(f) == NFTA_SET_ELEM_FLAGS) {
                el.end = ntohl(mnl_attr_get_u32(f)) == NFT_SET_ELEM_INTERVAL_END;
              } else if (mnl_attr_get_type(f) == NFTA_SET_ELEM_DATA) {
                const nlattr* verdict = static_cast<const nlattr*>(mnl_attr_get_payload(f));
                if (mnl_attr_get_type(verdict) == NFTA_DATA_VALUE) {
                  const auto* p = static_cast<const uint8_t*>(mnl_attr_get_payload(verdict));
                  el.value.assign(p, p + mnl_attr_get_payload_len(verdict));
                  return;
                }
                each_nested(verdict, [&](const nlattr* g) {
                  if (mnl_attr_get_type(g) == NFTA_VERDICT_CODE)
                    el.verdict = static_cast<int32_t>(ntohl(mnl_attr_get_u32(g)));
                  if (mnl_attr_get_type(g) == NFTA_VERDICT_CHAIN) el.chain = mnl_attr_get_str(g);
                });
              }
            });
            m.elements.push_back(el);
          });
          break;
        }
      }
    });
    out.push_back(m);
  }
  return out;
}

TEST(LbNftSetElements, BatchDeletesThenAddsRangesAsStartAndEndElements) {
  PickUpdate u;
  u.family = "inet";
  u.map = "pick_x";
  u.removed = {{0, 32767, "dst_a"}, {32768, 65535, "dst_b"}};
  u.added = {{0, 16383, "dst_a"}, {16384, 65535, "dst_b"}};
  PickUpdate dr;
  dr.family = "netdev";
  dr.map = "pick_y";
  dr.added = {{0, 65535, "dst_c"}};
  uint32_t acks = 0;
  auto msgs = parse(encode_pick_batch({u, dr}, {{"inet", "dst_gone"}}, 100, &acks));
  ASSERT_EQ(msgs.size(), 6u);
  EXPECT_EQ(acks, 4u);
  EXPECT_EQ(msgs[0].type, NFNL_MSG_BATCH_BEGIN);
  EXPECT_EQ(msgs[4].type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELCHAIN);
  EXPECT_EQ(msgs[4].table, "vigil") << "NFTA_CHAIN_TABLE has the same number";
  EXPECT_EQ(msgs[5].type, NFNL_MSG_BATCH_END);
  for (size_t i = 0; i < msgs.size(); ++i) EXPECT_EQ(msgs[i].seq, 100 + i);

  const Message& del = msgs[1];
  EXPECT_EQ(del.type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELSETELEM);
  EXPECT_EQ(del.family, NFPROTO_INET);
  EXPECT_EQ(del.table, "vigil");
  EXPECT_EQ(del.set, "pick_x");
  ASSERT_EQ(del.elements.size(), 4u);
  EXPECT_EQ(del.elements[0].key, 0u);
  EXPECT_FALSE(del.elements[0].end);
  EXPECT_EQ(del.elements[1].key, 32768u);
  EXPECT_TRUE(del.elements[1].end);
  EXPECT_EQ(del.elements[3].key, 65536u);
  EXPECT_TRUE(del.elements[0].chain.empty()) << "deletions carry no data";

  const Message& add = msgs[2];
  EXPECT_EQ(add.type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWSETELEM);
  EXPECT_TRUE(add.flags & NLM_F_CREATE);
  EXPECT_TRUE(add.flags & NLM_F_ACK);
  EXPECT_FALSE(add.flags & NLM_F_EXCL);
  ASSERT_EQ(add.elements.size(), 4u);
  EXPECT_EQ(add.elements[0].key, 0u);
  EXPECT_EQ(add.elements[0].chain, "dst_a");
  EXPECT_EQ(add.elements[0].verdict, NFT_GOTO);
  EXPECT_EQ(add.elements[1].key, 16384u);
  EXPECT_TRUE(add.elements[1].end);
  EXPECT_EQ(add.elements[2].key, 16384u);
  EXPECT_EQ(add.elements[2].chain, "dst_b");
  EXPECT_EQ(msgs[3].family, NFPROTO_NETDEV);
  EXPECT_EQ(msgs[3].set, "pick_y");
}

TEST(LbNftSetElements, DirectMapsCarryTheDnatTargetAsValue) {
  PickUpdate v4;
  v4.family = "inet";
  v4.map = "pick_x_nat";
  v4.data = PickData::AddrPort;
  v4.removed = {{0, 65535, "198.51.100.1 8080"}};
  v4.added = {{0, 65535, "198.51.100.2 8080"}};
  PickUpdate v6 = v4;
  v6.removed.clear();
  v6.added = {{0, 65535, "2001:db8::1 80"}};
  PickUpdate fwm = v6;
  fwm.data = PickData::Addr;
  fwm.added = {{0, 65535, "198.51.100.3"}};
  auto msgs = parse(encode_pick_batch({v4, v6, fwm}, {}, 1));
  ASSERT_EQ(msgs.size(), 6u);
  EXPECT_TRUE(msgs[1].elements[0].value.empty()) << "deletions carry no data";
  // Address in network order, then the port in network order padded to a 32-bit register.
  EXPECT_EQ(msgs[2].elements[0].value, (std::vector<uint8_t>{198, 51, 100, 2, 0x1f, 0x90, 0, 0}));
  EXPECT_EQ(msgs[2].elements[0].verdict, 0);
  EXPECT_TRUE(msgs[2].elements[1].end);
  EXPECT_TRUE(msgs[2].elements[1].value.empty());
  std::vector<uint8_t> six(16, 0);
  six[0] = 0x20;
  six[1] = 0x01;
  six[2] = 0x0d;
  six[3] = 0xb8;
  six[15] = 1;
  six.insert(six.end(), {0, 80, 0, 0});
  EXPECT_EQ(msgs[3].elements[0].value, six);
  EXPECT_EQ(msgs[4].elements[0].value, (std::vector<uint8_t>{198, 51, 100, 3}));
}

TEST(LbNftSetElements, LongUpdatesAreSplitIntoSeveralMessages) {
  PickUpdate u;
  u.family = "inet";
  u.map = "pick_x";
  for (uint32_t i = 0; i < 300; ++i)
    u.added.push_back({i * 100, i * 100 + 99, "dst_" + std::to_string(i)});
  uint32_t acks = 0;
  auto msgs = parse(encode_pick_batch({u}, {}, 1, &acks));
  EXPECT_EQ(acks, 3u);
  size_t elements = 0;
  for (const Message& m : msgs) elements += m.elements.size();
  EXPECT_EQ(elements, 600u);
}

}  // namespace
}  // namespace vigil::lb::nft
