// IPVS generic netlink messages (include/uapi/linux/ip_vs.h): pure encoders for the service
// and destination commands, and the diff of two DesiredStates into the commands that turn one
// into the other. Byte layout is checked by golden tests against the header's definitions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lb/desired_state.h"

namespace vigil::lb::ipvs {

enum class Command : uint8_t {  // values are IPVS_CMD_*
  NewService = 1,
  SetService = 2,
  DelService = 3,
  NewDest = 5,
  SetDest = 6,
  DelDest = 7,
  Flush = 17,
};

struct Operation {
  Command command = Command::NewService;
  Service service;                         // destinations unused; key (+attributes for New/Set)
  std::optional<Destination> destination;  // for *Dest
  bool operator==(const Operation&) const = default;
};

// The operations turning the kernel from `prev` (nullptr: vigil's services unknown, so each
// desired service is deleted first, ignoring ENOENT) into `next`.
std::vector<Operation> plan(const DesiredState* prev, const DesiredState& next);
// Deleting every service of `applied`.
std::vector<Operation> plan_remove(const DesiredState& applied);

// The scheduler's kernel name ("wlc", "twos", ...).
std::string scheduler_name(conf::LvsScheduler s);

// One complete netlink message (nlmsghdr + genlmsghdr + attributes) for `op`, addressed to
// the IPVS family id, with NLM_F_REQUEST|NLM_F_ACK and sequence number `seq`.
std::vector<uint8_t> encode(const Operation& op, uint16_t family_id, uint32_t seq);

// CTRL_CMD_GETFAMILY for "IPVS" (to GENL_ID_CTRL).
std::vector<uint8_t> encode_get_family(uint32_t seq);

}  // namespace vigil::lb::ipvs
