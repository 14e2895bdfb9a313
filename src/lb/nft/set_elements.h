// Pick-map element updates as one raw nf_tables netlink transaction (libmnl), bypassing
// libnftables: before any element command libnftables fetches every chain, set and interval
// map element of the table (its cache), which costs time proportional to the whole ruleset.
// Here a death costs the few elements of one service's pick map.
//
// Encoding (as nft 1.0.6 itself sends it for `typeof numgen ... : verdict; flags interval`,
// an rbtree set): a range [a, b] is a start element with key a (32-bit, network order) mapping
// to `goto CHAIN`, and an end element with key b + 1 flagged NFT_SET_ELEM_INTERVAL_END.
#pragma once

#include <libmnl/libmnl.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "lb/nft/nft_model.h"
#include "netlink/mnl_handle.h"
#include "netlink/result.h"

namespace vigil::lb::nft {

// The whole transaction (BATCH_BEGIN, DELSETELEM/NEWSETELEM messages, DELCHAIN for `chains`,
// BATCH_END) in table kTableName; sequence numbers count up from `seq`; `messages` gets the
// number of messages that ask for an acknowledgement. Deletions of all maps come before
// additions, chains last (once no element points at them).
std::vector<uint8_t> encode_pick_batch(const std::vector<PickUpdate>& updates,
                                       const std::vector<ChainRef>& chains, uint32_t seq,
                                       uint32_t* messages = nullptr);

class SetElementSocket {
 public:
  static netlink::Result<SetElementSocket> open();
  // Runs the updates and chain deletions as one transaction: all or nothing.
  netlink::Result<void> apply(const std::vector<PickUpdate>& updates,
                              const std::vector<ChainRef>& chains);

 private:
  explicit SetElementSocket(netlink::MnlHandle s);
  netlink::MnlHandle sock_;
  uint32_t portid_ = 0;
  uint32_t seq_ = 0;
};

}  // namespace vigil::lb::nft
