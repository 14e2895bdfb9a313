// Routes and rules against a real kernel, in a private network namespace.
#include "netlink/routes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../testing/netns.h"

namespace vigil::netlink {
namespace {

namespace vt = vigil::testing;

IpPrefix pfx(const char* s) {
  return *IpPrefix::parse(s);
}
IpAddress ip(const char* s) {
  return *IpAddress::parse(s);
}

const RouteInfo* find_route(const std::vector<RouteInfo>& v, const IpPrefix& dst) {
  auto it =
      std::find_if(v.begin(), v.end(), [&](const RouteInfo& r) { return r.destination == dst; });
  return it == v.end() ? nullptr : &*it;
}

struct Host {
  RtnlSocket sock = RtnlSocket::open().value();
  int ifindex = 0;
  Host() {
    vt::create_veth("vgla", "vglb");
    vt::add_test_address("vgla", "192.0.2.1/24");
    vt::add_test_address("vgla", "2001:db8::1/64");
    vt::wait_link_up("vgla");
    ifindex = vt::ifindex_of("vgla");
  }
};

TEST(NetlinkRoutes, ViaMetricTableAddListDelete) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    Host h;
    RouteSpec r;
    r.destination = pfx("198.51.100.0/24");
    r.via = ip("192.0.2.254");
    r.ifindex = h.ifindex;
    r.metric = 10;
    r.table = 100;
    auto added = add_route(h.sock, r);
    ASSERT_TRUE(added.ok()) << added.error().message;
    auto list = list_routes(h.sock, Family::V4, 100);
    ASSERT_TRUE(list.ok()) << list.error().message;
    const RouteInfo* got = find_route(*list, r.destination);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->via, r.via);
    EXPECT_EQ(got->metric, 10u);
    EXPECT_EQ(got->ifindex, h.ifindex);
    EXPECT_EQ(got->table, 100u);
    EXPECT_EQ(got->type, RouteType::Unicast);

    auto dup = add_route(h.sock, r);
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, EEXIST);

    ASSERT_TRUE(del_route(h.sock, r).ok());
    list = list_routes(h.sock, Family::V4, 100);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(find_route(*list, r.destination), nullptr);
    EXPECT_FALSE(del_route(h.sock, r).ok());
  });
}

TEST(NetlinkRoutes, BlackholeDevSrcScopeAndIpv6) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    Host h;
    RouteSpec bh;
    bh.type = RouteType::Blackhole;
    bh.destination = pfx("203.0.113.0/24");
    auto r = add_route(h.sock, bh);
    ASSERT_TRUE(r.ok()) << r.error().message;

    RouteSpec dev;
    dev.destination = pfx("198.51.100.128/25");
    dev.ifindex = h.ifindex;
    dev.src = ip("192.0.2.1");
    r = add_route(h.sock, dev);
    ASSERT_TRUE(r.ok()) << r.error().message;

    RouteSpec v6;
    v6.destination = pfx("2001:db8:5::/48");
    v6.via = ip("2001:db8::fe");
    v6.ifindex = h.ifindex;
    r = add_route(h.sock, v6);
    ASSERT_TRUE(r.ok()) << r.error().message;

    auto l4 = list_routes(h.sock, Family::V4, 254);
    ASSERT_TRUE(l4.ok());
    const RouteInfo* got = find_route(*l4, bh.destination);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->type, RouteType::Blackhole);
    got = find_route(*l4, dev.destination);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->src, ip("192.0.2.1"));
    EXPECT_EQ(got->scope, Scope::Link) << "no gateway: link scope, as ip(8)";
    auto l6 = list_routes(h.sock, Family::V6, 254);
    ASSERT_TRUE(l6.ok());
    got = find_route(*l6, v6.destination);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->via, ip("2001:db8::fe"));

    EXPECT_TRUE(del_route(h.sock, bh).ok());
    EXPECT_TRUE(del_route(h.sock, dev).ok());
    EXPECT_TRUE(del_route(h.sock, v6).ok());

    // Nonsense is refused before the kernel sees it.
    RouteSpec bad = bh;
    bad.via = ip("192.0.2.254");
    EXPECT_FALSE(add_route(h.sock, bad).ok());
    RouteSpec nowhere;
    nowhere.destination = pfx("198.51.100.0/24");
    EXPECT_FALSE(add_route(h.sock, nowhere).ok());
  });
}

TEST(NetlinkRules, FromFwmarkToAddListDelete) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] {
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    RuleSpec from;
    from.from = pfx("192.0.2.0/24");
    from.table = 100;
    from.priority = 1000;
    RuleSpec mark;
    mark.fwmark = 0x10;
    mark.fwmask = 0xff;
    mark.table = 101;
    mark.priority = 1001;
    RuleSpec to6;
    to6.family = Family::V6;
    to6.to = pfx("2001:db8:5::/48");
    to6.table = 102;
    to6.priority = 1002;
    for (const auto* r : {&from, &mark, &to6}) {
      auto a = add_rule(*s, *r);
      ASSERT_TRUE(a.ok()) << a.error().message;
    }
    auto l4 = list_rules(*s, Family::V4);
    ASSERT_TRUE(l4.ok()) << l4.error().message;
    auto has = [](const std::vector<RuleInfo>& v, uint32_t prio) {
      return std::find_if(v.begin(), v.end(),
                          [&](const RuleInfo& r) { return r.priority == prio; });
    };
    auto it = has(*l4, 1000);
    ASSERT_NE(it, l4->end());
    EXPECT_EQ(it->from, pfx("192.0.2.0/24"));
    EXPECT_EQ(it->table, 100u);
    it = has(*l4, 1001);
    ASSERT_NE(it, l4->end());
    EXPECT_EQ(it->fwmark, 0x10u);
    EXPECT_EQ(it->fwmask, 0xffu);
    EXPECT_EQ(it->table, 101u);
    auto l6 = list_rules(*s, Family::V6);
    ASSERT_TRUE(l6.ok());
    auto it6 = has(*l6, 1002);
    ASSERT_NE(it6, l6->end());
    EXPECT_EQ(it6->to, pfx("2001:db8:5::/48"));

    auto dup = add_rule(*s, from);
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, EEXIST);
    for (const auto* r : {&from, &mark, &to6}) EXPECT_TRUE(del_rule(*s, *r).ok());
    l4 = list_rules(*s, Family::V4);
    ASSERT_TRUE(l4.ok());
    EXPECT_EQ(has(*l4, 1000), l4->end());
    EXPECT_FALSE(del_rule(*s, from).ok());
  });
}

}  // namespace
}  // namespace vigil::netlink
