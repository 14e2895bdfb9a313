// IPVS diffing: which commands turn one DesiredState into the next.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lb/ipvs/ipvs_msg.h"
#include "lb_test_util.h"

namespace vigil::lb::ipvs {
namespace {

using testing::dest;
using testing::tcp_service;

std::vector<std::string> summary(const std::vector<Operation>& ops) {
  std::vector<std::string> out;
  for (const Operation& o : ops) {
    std::string s = std::to_string(static_cast<int>(o.command)) + " " + o.service.key.to_string();
    if (o.destination) {
      s += " -> " + o.destination->address.to_string() + ":" + std::to_string(o.destination->port) +
           " w" + std::to_string(o.destination->weight);
    }
    out.push_back(s);
  }
  return out;
}

DesiredState two_dests(uint32_t w2) {
  DesiredState st;
  st.services.push_back(
      tcp_service("203.0.113.10", 80, {dest("198.51.100.1", 80, 1), dest("198.51.100.2", 80, w2)}));
  return st;
}

TEST(LbIpvsPlan, RebuildDeletesThenCreates) {
  EXPECT_THAT(summary(plan(nullptr, two_dests(1))),
              ::testing::ElementsAre("3 TCP 203.0.113.10:80", "1 TCP 203.0.113.10:80",
                                     "5 TCP 203.0.113.10:80 -> 198.51.100.1:80 w1",
                                     "5 TCP 203.0.113.10:80 -> 198.51.100.2:80 w1"));
}

TEST(LbIpvsPlan, WeightChangeIsOneSetDest) {
  DesiredState a = two_dests(1);
  EXPECT_THAT(summary(plan(&a, two_dests(5))),
              ::testing::ElementsAre("6 TCP 203.0.113.10:80 -> 198.51.100.2:80 w5"));
  EXPECT_TRUE(plan(&a, a).empty());
}

TEST(LbIpvsPlan, ServiceAndDestinationChanges) {
  DesiredState a = two_dests(1);
  DesiredState b = two_dests(1);
  b.services[0].destinations.erase(b.services[0].destinations.begin());
  b.services[0].scheduler = conf::LvsScheduler::Rr;
  b.services.push_back(tcp_service("203.0.113.11", 80, {dest("198.51.100.9", 80, 2)}));
  EXPECT_THAT(summary(plan(&a, b)),
              ::testing::ElementsAre(
                  "2 TCP 203.0.113.10:80", "7 TCP 203.0.113.10:80 -> 198.51.100.1:80 w1",
                  "1 TCP 203.0.113.11:80", "5 TCP 203.0.113.11:80 -> 198.51.100.9:80 w2"));
  EXPECT_THAT(summary(plan(&b, a)),
              ::testing::ElementsAre("3 TCP 203.0.113.11:80", "2 TCP 203.0.113.10:80",
                                     "5 TCP 203.0.113.10:80 -> 198.51.100.1:80 w1"));
  EXPECT_THAT(summary(plan_remove(b)),
              ::testing::ElementsAre("3 TCP 203.0.113.10:80", "3 TCP 203.0.113.11:80"));
}

}  // namespace
}  // namespace vigil::lb::ipvs
