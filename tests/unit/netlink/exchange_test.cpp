// The request/answer exchange shared by every netlink client: which answers end it, which
// belong to it, and what becomes an error. Made-up answers first, then the real kernel.
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "netlink/mnl_handle.h"

namespace vigil::netlink {
namespace {

constexpr uint32_t kExchangePort = 4242;

// Builds netlink messages back to back, as one datagram or one sent batch.
class ExchangeMessages {
 public:
  ExchangeMessages& put(uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid = kExchangePort) {
    const size_t at = buf_.size();
    buf_.resize(at + MNL_ALIGN(sizeof(nlmsghdr)));
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf_.data() + at);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = flags;
    nlh->nlmsg_seq = seq;
    nlh->nlmsg_pid = pid;
    return *this;
  }
  // An acknowledgement (error 0) or a kernel error (`error` a positive errno) for `seq`.
  ExchangeMessages& ack(uint32_t seq, int error = 0, uint32_t pid = kExchangePort) {
    return with_payload(NLMSG_ERROR, seq, pid, [&](nlmsghdr* nlh) {
      auto* e = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nlmsgerr)));
      e->error = -error;
      e->msg.nlmsg_seq = seq;
    });
  }
  ExchangeMessages& done(uint32_t seq, int code = 0) {
    return with_payload(NLMSG_DONE, seq, kExchangePort, [&](nlmsghdr* nlh) {
      auto* c = static_cast<int*>(mnl_nlmsg_put_extra_header(nlh, sizeof(int)));
      *c = code;
    });
  }
  std::span<const uint8_t> bytes() const { return buf_; }

 private:
  template <typename F>
  ExchangeMessages& with_payload(uint16_t type, uint32_t seq, uint32_t pid, F fill) {
    const size_t at = buf_.size();
    buf_.resize(at + 256);
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf_.data() + at);
    nlh->nlmsg_type = type;
    nlh->nlmsg_seq = seq;
    nlh->nlmsg_pid = pid;
    fill(nlh);
    buf_.resize(at + nlh->nlmsg_len);
    return *this;
  }
  std::vector<uint8_t> buf_;
};

struct ExchangeSeen {
  std::vector<uint32_t> seqs;
  MessageHandler handler(int rc = MNL_CB_OK) {
    return [this, rc](const nlmsghdr* m) {
      seqs.push_back(m->nlmsg_seq);
      return rc;
    };
  }
};

TEST(NetlinkExchange, RequestEndsAtItsAckAfterTheReply) {
  ExchangeMessages sent;
  sent.put(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 7);
  Exchange ex(sent.bytes(), kExchangePort);
  EXPECT_EQ(ex.owed(), 1u);
  ExchangeSeen seen;
  ExchangeMessages reply;
  reply.put(RTM_NEWLINK, 0, 7);
  EXPECT_FALSE(ex.feed(reply.bytes(), seen.handler()));
  ExchangeMessages ack;
  ack.ack(7);
  EXPECT_TRUE(ex.feed(ack.bytes(), seen.handler()));
  EXPECT_EQ(ex.error(), 0);
  EXPECT_EQ(seen.seqs, std::vector<uint32_t>{7});
}

TEST(NetlinkExchange, KernelErrorEndsTheRequest) {
  ExchangeMessages sent;
  sent.put(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK, 3);
  Exchange ex(sent.bytes(), kExchangePort);
  ExchangeMessages ans;
  ans.ack(3, EEXIST);
  EXPECT_TRUE(ex.feed(ans.bytes(), nullptr));
  EXPECT_EQ(ex.error(), EEXIST);
}

TEST(NetlinkExchange, DumpEndsAtDoneAndReportsAnErrorCarriedThere) {
  ExchangeMessages sent;
  sent.put(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 9);
  {
    Exchange ex(sent.bytes(), kExchangePort);
    ExchangeSeen seen;
    ExchangeMessages chunk;
    chunk.put(RTM_NEWADDR, NLM_F_MULTI, 9).put(RTM_NEWADDR, NLM_F_MULTI, 9);
    EXPECT_FALSE(ex.feed(chunk.bytes(), seen.handler()));
    ExchangeMessages last;
    last.put(RTM_NEWADDR, NLM_F_MULTI, 9).done(9);
    EXPECT_TRUE(ex.feed(last.bytes(), seen.handler()));
    EXPECT_EQ(seen.seqs.size(), 3u);
    EXPECT_EQ(ex.error(), 0);
  }
  {
    Exchange ex(sent.bytes(), kExchangePort);
    ExchangeMessages last;
    last.done(9, -EINTR);
    EXPECT_TRUE(ex.feed(last.bytes(), nullptr));
    EXPECT_EQ(ex.error(), EINTR);
  }
}

TEST(NetlinkExchange, BatchWaitsForEveryAckAndKeepsTheFirstError) {
  // BEGIN and END ask for nothing; the three messages between ask for an ACK each.
  ExchangeMessages sent;
  sent.put(NLMSG_MIN_TYPE, NLM_F_REQUEST, 10)
      .put(NLMSG_MIN_TYPE + 1, NLM_F_REQUEST | NLM_F_ACK, 11)
      .put(NLMSG_MIN_TYPE + 1, NLM_F_REQUEST | NLM_F_ACK, 12)
      .put(NLMSG_MIN_TYPE + 1, NLM_F_REQUEST | NLM_F_ACK, 13)
      .put(NLMSG_MIN_TYPE + 2, NLM_F_REQUEST, 14);
  Exchange ex(sent.bytes(), kExchangePort);
  EXPECT_EQ(ex.owed(), 3u);
  ExchangeMessages first;
  first.ack(11).ack(12, ENOENT);
  EXPECT_FALSE(ex.feed(first.bytes(), nullptr));
  EXPECT_EQ(ex.answered(), 2u);
  // A repeated answer does not count twice.
  ExchangeMessages again;
  again.ack(12);
  EXPECT_FALSE(ex.feed(again.bytes(), nullptr));
  ExchangeMessages last;
  last.ack(13, EBUSY);
  EXPECT_TRUE(ex.feed(last.bytes(), nullptr));
  EXPECT_EQ(ex.error(), ENOENT);
}

TEST(NetlinkExchange, ErrorOnAMessageThatAskedNothingEndsTheBatch) {
  ExchangeMessages sent;
  sent.put(NLMSG_MIN_TYPE, NLM_F_REQUEST, 20)
      .put(NLMSG_MIN_TYPE + 1, NLM_F_REQUEST | NLM_F_ACK, 21);
  Exchange ex(sent.bytes(), kExchangePort);
  ExchangeMessages ans;
  ans.ack(20, EPERM);
  EXPECT_TRUE(ex.feed(ans.bytes(), nullptr));
  EXPECT_EQ(ex.error(), EPERM);
}

TEST(NetlinkExchange, LeftoversOfAnEarlierExchangeAreSkipped) {
  ExchangeMessages sent;
  sent.put(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 30);
  Exchange ex(sent.bytes(), kExchangePort);
  ExchangeSeen seen;
  ExchangeMessages stale;
  stale.put(RTM_NEWLINK, 0, 29).ack(29, EEXIST).ack(30, ENODEV, kExchangePort + 1);
  EXPECT_FALSE(ex.feed(stale.bytes(), seen.handler()));
  EXPECT_TRUE(seen.seqs.empty());
  EXPECT_EQ(ex.error(), 0);
  ExchangeMessages ack;
  ack.ack(30);
  EXPECT_TRUE(ex.feed(ack.bytes(), seen.handler()));
}

TEST(NetlinkExchange, HandlerEndsTheExchangeEarlyOrFailsIt) {
  ExchangeMessages sent;
  sent.put(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 40);
  ExchangeMessages chunk;
  chunk.put(RTM_NEWLINK, NLM_F_MULTI, 40).put(RTM_NEWLINK, NLM_F_MULTI, 40);
  {
    Exchange ex(sent.bytes(), kExchangePort);
    ExchangeSeen seen;
    EXPECT_TRUE(ex.feed(chunk.bytes(), seen.handler(MNL_CB_STOP)));
    EXPECT_EQ(seen.seqs.size(), 1u);
    EXPECT_EQ(ex.error(), 0);
  }
  {
    Exchange ex(sent.bytes(), kExchangePort);
    ExchangeSeen seen;
    EXPECT_TRUE(ex.feed(chunk.bytes(), seen.handler(MNL_CB_ERROR)));
    EXPECT_NE(ex.error(), 0);
  }
}

TEST(NetlinkExchange, TruncatedErrorMessageIsAnError) {
  ExchangeMessages sent;
  sent.put(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 50);
  Exchange ex(sent.bytes(), kExchangePort);
  ExchangeMessages bad;
  bad.put(NLMSG_ERROR, 0, 50);  // no nlmsgerr payload
  EXPECT_TRUE(ex.feed(bad.bytes(), nullptr));
  EXPECT_EQ(ex.error(), EBADMSG);
}

// The real kernel, read-only: any network namespace has lo (ifindex 1).
TEST(NetlinkExchange, KernelDumpAndErrorThroughTransact) {
  auto sock = open_mnl(NETLINK_ROUTE, 0, "netlink socket");
  ASSERT_TRUE(sock.ok()) << sock.error().message;
  std::vector<uint8_t> buf(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  nlh->nlmsg_seq = 1;
  mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg));
  int links = 0;
  bool saw_lo = false;
  auto r = transact(
      sock->get(), {buf.data(), nlh->nlmsg_len},
      [&](const nlmsghdr* m) {
        ++links;
        if (static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(m))->ifi_index == 1) saw_lo = true;
        return MNL_CB_OK;
      },
      "list links");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GE(links, 1);
  EXPECT_TRUE(saw_lo);

  std::fill(buf.begin(), buf.end(), 0);
  nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = 2;
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifi->ifi_index = 0x7ffffff0;  // no such link
  r = transact(sock->get(), {buf.data(), nlh->nlmsg_len}, nullptr, "get link");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ENODEV);
  EXPECT_EQ(r.error().message, std::string("get link: ") + std::strerror(ENODEV));
}

}  // namespace
}  // namespace vigil::netlink
