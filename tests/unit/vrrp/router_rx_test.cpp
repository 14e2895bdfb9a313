// The Router's receive path on a real link: adverts for a VRID that no instance on the
// interface has are counted router-wide (RFC 6527 vrrpv3RouterVrIdErrors), never charged to an
// instance; adverts for our VRID still reach the instance. A Router runs in the test's
// namespace on one end of a veth, a plain VrrpSocket in a second namespace sends.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "../testing/netns.h"
#include "conf/load.h"
#include "loop/loop.h"
#include "vrrp/packet.h"
#include "vrrp/router.h"
#include "vrrp/socket.h"

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;
namespace vt = vigil::testing;

constexpr const char* kRouterRxConfig = R"(
vrrp_instance VI_1 {
  interface vglr
  state BACKUP
  priority 100
  virtual_router_id 51
  advert_int 1
  virtual_ipaddress {
    192.0.2.100/24
  }
}
)";

std::vector<uint8_t> rx_advert(uint8_t vrid, uint8_t priority) {
  Advert a;
  a.version = Version::V2;
  a.vrid = vrid;
  a.priority = priority;
  a.addresses = {*IpAddress::parse("192.0.2.100")};
  TxParams tx;
  tx.family = Family::V4;
  tx.src = *IpAddress::parse("192.0.2.2");
  tx.dst = *IpAddress::parse("224.0.0.18");
  return encode(a, tx);
}

void unknown_vrids_are_counted_router_wide() {
  const int ns_peer = vt::new_netns();
  vt::create_veth("vglr", "vglq", ns_peer);
  vt::add_test_address("vglr", "192.0.2.1/24");
  vt::wait_link_up("vglr");
  std::optional<Result<VrrpSocket>> peer;
  vt::in_netns(ns_peer, [&] {
    vt::add_test_address("vglq", "192.0.2.2/24");
    vt::wait_link_up("vglq");
    peer.emplace(VrrpSocket::open(
        SocketConfig{vt::ifindex_of("vglq"), "vglq", Family::V4, true, std::nullopt}));
  });
  ASSERT_TRUE(peer->ok()) << peer->error().message;

  auto loaded = conf::load_config_text("router_rx.conf", kRouterRxConfig, {});
  ASSERT_TRUE(loaded.config.has_value());
  loop::Loop loop;
  Router router(loop, std::make_shared<const conf::Config>(std::move(*loaded.config)));
  ASSERT_TRUE(router.start());

  const IpAddress group = *IpAddress::parse("224.0.0.18");
  for (uint8_t vrid : {77, 78, 77}) ASSERT_TRUE((*peer)->send(rx_advert(vrid, 200), group).ok());
  // A lower-priority advert for our VRID: accepted by the Backup, and proof that the path works.
  ASSERT_TRUE((*peer)->send(rx_advert(51, 50), group).ok());

  const auto deadline = std::chrono::steady_clock::now() + 5s;
  RouterStatus st = router.status();
  while ((st.vrid_errors < 3 || st.instances.at(0).counters.adverts_received < 1) &&
         std::chrono::steady_clock::now() < deadline) {
    loop.run_for(Millis(50));
    st = router.status();
  }
  EXPECT_EQ(st.vrid_errors, 3u);
  ASSERT_EQ(st.instances.size(), 1u);
  const auto& c = st.instances[0].counters;
  EXPECT_EQ(c.adverts_received, 1u);
  EXPECT_EQ(c.discards_total(), 0u) << "unknown VRIDs are not an instance's discards";
  EXPECT_EQ(c.discards[static_cast<size_t>(DiscardReason::VridMismatch)], 0u);
  EXPECT_EQ(st.instances[0].state, State::Backup);
}

// A flood must not keep the loop in the receive path: one wake-up reads at most a batch (256),
// the rest is read on later turns, so timers (our own adverts) run in between.
void one_wakeup_reads_at_most_a_batch() {
  const int ns_peer = vt::new_netns();
  vt::create_veth("vglr", "vglq", ns_peer);
  vt::add_test_address("vglr", "192.0.2.1/24");
  vt::wait_link_up("vglr");
  std::optional<Result<VrrpSocket>> peer;
  vt::in_netns(ns_peer, [&] {
    vt::add_test_address("vglq", "192.0.2.2/24");
    vt::wait_link_up("vglq");
    peer.emplace(VrrpSocket::open(
        SocketConfig{vt::ifindex_of("vglq"), "vglq", Family::V4, true, std::nullopt}));
  });
  ASSERT_TRUE(peer->ok()) << peer->error().message;

  auto loaded = conf::load_config_text("router_rx.conf", kRouterRxConfig, {});
  ASSERT_TRUE(loaded.config.has_value());
  loop::Loop loop;
  Router router(loop, std::make_shared<const conf::Config>(std::move(*loaded.config)));
  ASSERT_TRUE(router.start());

  // Queued before the loop first runs: the socket's 1 MiB buffer holds them all.
  constexpr uint64_t kQueued = 600;
  const IpAddress group = *IpAddress::parse("224.0.0.18");
  const auto advert = rx_advert(77, 200);
  for (uint64_t i = 0; i < kQueued; ++i) ASSERT_TRUE((*peer)->send(advert, group).ok());

  // One handler at a time until the receive path has run once.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (router.status().vrid_errors == 0 && std::chrono::steady_clock::now() < deadline)
    loop.context().run_one_for(std::chrono::milliseconds(50));
  EXPECT_EQ(router.status().vrid_errors, 256u) << "the first wake-up reads one batch";

  while (router.status().vrid_errors < kQueued && std::chrono::steady_clock::now() < deadline)
    loop.run_for(Millis(50));
  EXPECT_EQ(router.status().vrid_errors, kQueued) << "later turns read the rest";
}

TEST(RouterRx, OneWakeupReadsAtMostABatch) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { one_wakeup_reads_at_most_a_batch(); });
}

TEST(RouterRx, AdvertsForUnknownVridsAreCountedRouterWide) {
  VIGIL_REQUIRE_ROOT();
  vt::run_in_netns([] { unknown_vrids_are_counted_router_wide(); });
}

}  // namespace
}  // namespace vigil::vrrp
