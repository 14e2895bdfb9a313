// lvs_to_json: keys, effective defaults, and that what was written is what comes out.
#include <gtest/gtest.h>

#include "lvs_test_util.h"

namespace vigil::conf {
namespace {

using testing::parse_lvs_text;

TEST(LvsJson, VirtualServerWithEffectiveValues) {
  auto r = parse_lvs_text(R"(virtual_server 203.0.113.10 80 {
    delay_loop 6
    lb_kind DR
    protocol TCP
    persistence_timeout 50
    sorry_server 198.51.100.99 80
    real_server 198.51.100.1 80 {
        weight 3
        HTTP_GET {
            url {
                path /
                status_code 200 300-302
            }
            nb_get_retry 2
        }
        UDP_CHECK {
            payload 0a0b
            require_reply 0X
        }
    }
}
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  nlohmann::json j = lvs_to_json(r.lvs);
  const auto& vs = j.at("virtual_servers").at(0);
  EXPECT_EQ(vs.at("address"), "203.0.113.10");
  EXPECT_EQ(vs.at("port"), 80);
  EXPECT_EQ(vs.at("lvs_sched"), "wlc");  // keepalived's default scheduler
  EXPECT_EQ(vs.at("lvs_method").at("method"), "DR");
  EXPECT_EQ(vs.at("protocol"), "TCP");
  EXPECT_EQ(vs.at("persistence_timeout"), 50);
  EXPECT_EQ(vs.at("delay_loop"), 6.0);
  EXPECT_EQ(vs.at("quorum"), 1);
  EXPECT_EQ(vs.at("sorry_server").at("address"), "198.51.100.99");
  const auto& rs = vs.at("real_servers").at(0);
  EXPECT_EQ(rs.at("weight"), 3);
  EXPECT_EQ(rs.at("lvs_method").at("method"), "DR");  // inherited
  EXPECT_FALSE(rs.contains("delay_loop"));            // not written on the real server
  const auto& http = rs.at("checkers").at(0);
  EXPECT_EQ(http.at("type"), "HTTP_GET");
  EXPECT_EQ(http.at("retry"), 2);
  EXPECT_EQ(http.at("delay_loop"), 6.0);
  EXPECT_EQ(http.at("delay_before_retry"), 3.0);
  EXPECT_EQ(http.at("connect_timeout"), 5.0);
  EXPECT_EQ(http.at("urls").at(0).at("status_code"), (nlohmann::json{"200", "300-302"}));
  const auto& udp = rs.at("checkers").at(1);
  EXPECT_EQ(udp.at("payload"), "0a0b");
  EXPECT_EQ(udp.at("require_reply"), "0x");
  EXPECT_EQ(udp.at("max_reply_length"), 255);
}

TEST(LvsJson, GroupsBfdAndSsl) {
  auto r = parse_lvs_text(R"(virtual_server_group G {
    203.0.113.1-3 80
    fwmark 9 inet
}
bfd_instance B {
    neighbor_ip 192.0.2.2
    min_rx 2.5
}
SSL {
    ca /etc/ca.pem
}
)");
  ASSERT_EQ(r.diag.error_count(), 0u) << r.text();
  nlohmann::json j = lvs_to_json(r.lvs);
  const auto& g = j.at("virtual_server_groups").at(0);
  EXPECT_EQ(g.at("name"), "G");
  EXPECT_EQ(g.at("entries").at(0).at("first"), "203.0.113.1");
  EXPECT_EQ(g.at("entries").at(0).at("last"), "203.0.113.3");
  EXPECT_EQ(g.at("entries").at(1).at("fwmark"), 9);
  EXPECT_EQ(g.at("entries").at(1).at("ip_family"), "inet");
  const auto& b = j.at("bfd_instances").at(0);
  EXPECT_EQ(b.at("neighbor_ip"), "192.0.2.2");
  EXPECT_EQ(b.at("min_rx_ms"), 2.5);
  EXPECT_EQ(b.at("multiplier"), 5);
  EXPECT_EQ(j.at("ssl").at("ca"), "/etc/ca.pem");
  EXPECT_TRUE(j.at("virtual_servers").empty());
}

}  // namespace
}  // namespace vigil::conf
