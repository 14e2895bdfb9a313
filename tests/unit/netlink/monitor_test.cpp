// The monitor sees link down/up and address add/remove, awaited with poll() and a bound.
#include "netlink/monitor.h"

#include <gtest/gtest.h>

#include <chrono>

#include "../testing/netns.h"
#include "netlink/addresses.h"
#include "netlink/links.h"

namespace vigil::netlink {
namespace {

using namespace std::chrono_literals;

// Reads events until `pred` matches one, or fails after a bounded wait.
template <typename Pred>
bool await_event(LinkMonitor& mon, Pred pred, std::chrono::milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (!vigil::testing::wait_readable(mon.fd(), left)) return false;
    for (const auto& ev : mon.handle_readable())
      if (pred(ev)) return true;
  }
}

TEST(NetlinkMonitor, SeesLinkDownUpAndAddressAddRemove) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    vigil::testing::create_veth("vgla", "vglb");
    vigil::testing::wait_link_up("vgla");
    const int ifindex = vigil::testing::ifindex_of("vgla");
    auto mon = LinkMonitor::open();
    ASSERT_TRUE(mon.ok()) << mon.error().message;
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());

    ASSERT_TRUE(set_link_up(*s, ifindex, false).ok());
    EXPECT_TRUE(await_event(*mon, [&](const MonitorEvent& ev) {
      auto* l = std::get_if<LinkChanged>(&ev);
      return l && l->ifindex == ifindex && l->name == "vgla" && !l->up;
    })) << "no link-down event";

    ASSERT_TRUE(set_link_up(*s, ifindex, true).ok());
    EXPECT_TRUE(await_event(*mon, [&](const MonitorEvent& ev) {
      auto* l = std::get_if<LinkChanged>(&ev);
      return l && l->ifindex == ifindex && l->up && l->mac.has_value();
    })) << "no link-up event";

    AddressSpec spec;
    spec.ifindex = ifindex;
    spec.prefix = *IpPrefix::parse("198.51.100.7/24");
    ASSERT_TRUE(add_address(*s, spec).ok());
    EXPECT_TRUE(await_event(*mon, [&](const MonitorEvent& ev) {
      auto* a = std::get_if<AddressAdded>(&ev);
      return a && a->ifindex == ifindex && a->prefix == spec.prefix;
    })) << "no address-added event";
    ASSERT_TRUE(del_address(*s, spec).ok());
    EXPECT_TRUE(await_event(*mon, [&](const MonitorEvent& ev) {
      auto* a = std::get_if<AddressRemoved>(&ev);
      return a && a->ifindex == ifindex && a->prefix == spec.prefix;
    })) << "no address-removed event";

    AddressSpec v6;
    v6.ifindex = ifindex;
    v6.prefix = *IpPrefix::parse("2001:db8:1::7/64");
    v6.nodad = true;
    ASSERT_TRUE(add_address(*s, v6).ok());
    EXPECT_TRUE(await_event(*mon, [&](const MonitorEvent& ev) {
      auto* a = std::get_if<AddressAdded>(&ev);
      return a && a->prefix == v6.prefix;
    })) << "no IPv6 address-added event";
  });
}

TEST(NetlinkMonitor, OverrunAsksForResync) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    vigil::testing::create_test_link("vgl0");
    const int ifindex = vigil::testing::ifindex_of("vgl0");
    auto mon = LinkMonitor::open();
    ASSERT_TRUE(mon.ok());
    // Shrink the buffer so a burst of events overruns it.
    int small = 1;
    ASSERT_EQ(setsockopt(mon->fd(), SOL_SOCKET, SO_RCVBUFFORCE, &small, sizeof small), 0);
    auto s = RtnlSocket::open();
    ASSERT_TRUE(s.ok());
    for (int i = 1; i <= 60; ++i) {
      AddressSpec spec;
      spec.ifindex = ifindex;
      spec.prefix = *IpPrefix::parse("203.0.113." + std::to_string(i) + "/32");
      ASSERT_TRUE(add_address(*s, spec).ok());
    }
    ASSERT_TRUE(vigil::testing::wait_readable(mon->fd(), 5s));
    auto events = mon->handle_readable();
    bool resync = false;
    for (const auto& ev : events) resync |= std::holds_alternative<ResyncNeeded>(ev);
    EXPECT_TRUE(resync);
  });
}

}  // namespace
}  // namespace vigil::netlink
