// An owned libmnl socket, opened and bound in one step, and the request/answer exchange every
// netlink client here (rtnetlink, nf_tables elements, IPVS generic netlink) shares.
#pragma once

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "netlink/result.h"

namespace vigil::netlink {

struct MnlCloser {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlHandle = std::unique_ptr<mnl_socket, MnlCloser>;

// Opens a `bus` socket (NETLINK_*, close-on-exec plus `extra_flags`) bound to `groups` with a
// kernel-assigned port id; errors name `what` ("generic netlink socket").
Result<MnlHandle> open_mnl(int bus, unsigned groups, std::string_view what, int extra_flags = 0);

// Called for each answer that is neither an acknowledgement nor a dump's end (a dump's
// entries, a GET's reply): MNL_CB_OK to go on, MNL_CB_STOP to end the exchange there,
// MNL_CB_ERROR to fail it.
using MessageHandler = std::function<int(const nlmsghdr*)>;

// The bookkeeping of one exchange: which answers belong to the messages sent and when the
// kernel has said all it will. Apart from the socket so its rules can be tested on made-up
// answers. Every sent message with NLM_F_ACK is owed an acknowledgement (NLMSG_ERROR, error 0
// or not), a dump (NLM_F_DUMP) its NLMSG_DONE or an error. Answers with another sequence
// number or port id are left over from an exchange ended early and are skipped.
class Exchange {
 public:
  // `sent`: the message or the batch of messages as sent; `portid`: the socket's (0: any).
  Exchange(std::span<const uint8_t> sent, uint32_t portid);

  // Handles one received datagram; returns true once the exchange is over.
  bool feed(std::span<const uint8_t> datagram, const MessageHandler& handler);
  bool done() const { return done_; }
  // The first kernel error (positive errno), 0 while none.
  int error() const { return error_; }
  size_t owed() const { return pending_.size(); }
  size_t answered() const { return answered_; }

 private:
  struct Pending {
    uint32_t seq;
    bool dump;
    bool answered;
  };
  Pending* find(uint32_t seq);
  void fail(int err);
  void answer(Pending& p);

  std::vector<Pending> pending_;  // sorted by seq
  uint32_t portid_;
  uint32_t first_seq_ = 0;
  uint32_t last_seq_ = 0;
  size_t answered_ = 0;
  int error_ = 0;
  bool done_ = false;
};

// When to stop waiting for answers that have not come.
enum class Answers {
  Awaited,  // block until every owed answer has come (the kernel may answer later: dumps)
  Queued,   // the kernel answered inside send (nf_tables batches): an empty socket ends it,
            // since an aborted batch acknowledges no further messages
};

// Sends `msg` (one request or a batch, sequence numbers already set) on `sock` and reads the
// answers until the exchange is over, feeding them to `handler` (may be empty). The first
// kernel error becomes an Error "what: strerror"; a send or receive failure "what: send: ..."
// or "what: receive: ...".
Result<void> transact(mnl_socket* sock, std::span<const uint8_t> msg, const MessageHandler& handler,
                      std::string_view what, Answers answers = Answers::Awaited);

}  // namespace vigil::netlink
