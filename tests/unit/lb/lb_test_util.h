// Helpers for the lb tests: keepalived.conf text → LvsConfig, and DesiredState builders.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "conf/load.h"
#include "lb/desired_state.h"

namespace vigil::lb::testing {

inline conf::LvsConfig lvs_from(std::string_view text) {
  conf::LoadResult r = conf::load_config_text("test.conf", text, {});
  EXPECT_TRUE(r.config) << r.diag.format(false);
  return r.config ? r.config->lvs : conf::LvsConfig{};
}

inline IpAddress ip(std::string_view text) {
  return *IpAddress::parse(text);
}

inline Destination dest(std::string_view addr, uint16_t port, uint32_t weight,
                        conf::LvsForwarding f = conf::LvsForwarding::Nat) {
  Destination d;
  d.address = ip(addr);
  d.port = port;
  d.weight = weight;
  d.forwarding = f;
  return d;
}

inline Service tcp_service(std::string_view addr, uint16_t port, std::vector<Destination> dests) {
  Service s;
  s.key.family = ip(addr).family();
  s.key.protocol = conf::LvsProtocol::Tcp;
  s.key.address = ip(addr);
  s.key.port = port;
  s.destinations = std::move(dests);
  return s;
}

}  // namespace vigil::lb::testing
