// Golden packets captured from keepalived 2.2.7 (Debian) by scripts/capture-vrrp-fixtures and
// checked there with tshark. vigil's encoder must produce the same bytes from the same
// configured parameters, and its decoder must accept keepalived's bytes.
//
// Fields keepalived varies per packet are taken from the capture and fed to the encoder, so
// the whole packet (IP header checksum included) can be compared byte for byte: the IPv4
// identification (keepalived counts it up per advert) and the AH sequence number. For IPv6
// the kernel builds the IP header, so only the VRRP message is compared; the header's source,
// destination and hop limit become the decoder's RxMeta, as ancillary data would.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "packet_test_util.h"
#include "vrrp/packet.h"

namespace vigil::vrrp {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testutil::ip;

fs::path fixture_dir() {
  return fs::path(VIGIL_SOURCE_DIR) / "tests" / "fixtures" / "vrrp";
}

std::vector<uint8_t> read_hex(const fs::path& p) {
  std::ifstream in(p);
  std::vector<uint8_t> out;
  std::string tok;
  while (in >> tok) out.push_back(static_cast<uint8_t>(std::stoul(tok, nullptr, 16)));
  return out;
}

struct Fixture {
  std::string name;
  json j;
  std::vector<uint8_t> bytes;  // the IP packet as captured

  bool v6() const { return j.at("family") == "ipv6"; }
  AuthType auth() const {
    const std::string a = j.at("auth_type");
    return a == "pass" ? AuthType::Pass : a == "ah" ? AuthType::Ah : AuthType::None;
  }
  Advert advert() const {
    Advert a;
    a.version = j.at("version") == 3 ? Version::V3 : Version::V2;
    a.vrid = j.at("vrid");
    a.priority = j.at("priority");
    a.interval_cs = j.at("interval_cs");
    a.auth = auth();
    for (const auto& s : j.at("addresses")) a.addresses.push_back(ip(s));
    return a;
  }
  TxParams tx() const {
    TxParams t;
    t.family = v6() ? Family::V6 : Family::V4;
    t.src = ip(j.at("src"));
    t.dst = ip(j.at("dst"));
    t.auth_pass = j.at("auth_pass");
    t.ip_id = j.value("ip_id", 0);
    t.ah_seq = j.value("ah_seq", 0u);
    return t;
  }
  RxConfig rx() const {
    RxConfig c;
    c.vrid = j.at("vrid");
    c.version = j.at("version") == 3 ? Version::V3 : Version::V2;
    c.auth = auth();
    c.auth_pass = j.at("auth_pass");
    if (c.version == Version::V2) c.v2_interval_cs = j.at("interval_cs");
    return c;
  }
  // What the socket layer would hand to decode().
  std::span<const uint8_t> rx_bytes() const {
    return v6() ? std::span<const uint8_t>(bytes).subspan(40) : std::span<const uint8_t>(bytes);
  }
  RxMeta meta() const {
    RxMeta m;
    m.family = v6() ? Family::V6 : Family::V4;
    if (v6()) {
      in6_addr s{}, d{};
      std::copy_n(&bytes[8], 16, reinterpret_cast<uint8_t*>(&s));
      std::copy_n(&bytes[24], 16, reinterpret_cast<uint8_t*>(&d));
      m.src = IpAddress::v6(s);
      m.dst = IpAddress::v6(d);
      m.ttl_or_hop_limit = bytes[7];
    }
    return m;
  }
};

std::vector<Fixture> load_fixtures() {
  std::vector<Fixture> out;
  for (const auto& e : fs::directory_iterator(fixture_dir())) {
    if (e.path().extension() != ".json") continue;
    Fixture f;
    f.name = e.path().stem().string();
    std::ifstream in(e.path());
    f.j = json::parse(in);
    f.bytes = read_hex(fs::path(e.path()).replace_extension(".hex"));
    out.push_back(std::move(f));
  }
  return out;
}

std::string hex(std::span<const uint8_t> b) {
  std::ostringstream o;
  for (size_t i = 0; i < b.size(); ++i) o << (i % 16 ? " " : "\n") << std::hex << int{b[i]};
  return o.str();
}

TEST(PacketGolden, EveryScenarioIsPresent) {
  std::set<std::string> names;
  for (const auto& f : load_fixtures()) {
    names.insert(f.name);
    EXPECT_FALSE(f.bytes.empty()) << f.name;
  }
  for (auto n : {"v2_none", "v2_pass", "v2_ah", "v2_ah_unicast", "v3_ipv4", "v3_ipv4_unicast",
                 "v3_ipv6", "v2_unicast"})
    EXPECT_TRUE(names.count(n)) << "missing fixture " << n;
}

TEST(PacketGolden, EncoderProducesKeepalivedsBytes) {
  for (const auto& f : load_fixtures()) {
    SCOPED_TRACE(f.name);
    auto ours = encode(f.advert(), f.tx());
    auto theirs = f.rx_bytes();
    EXPECT_TRUE(std::equal(ours.begin(), ours.end(), theirs.begin(), theirs.end()))
        << "vigil:" << hex(ours) << "\nkeepalived:" << hex(theirs);
    if (f.v6()) {  // what the socket layer must make the kernel put in the header
      EXPECT_EQ(f.bytes[6], kIpProtoVrrp);
      EXPECT_EQ(f.bytes[7], 255);
    }
  }
}

TEST(PacketGolden, DecoderAcceptsKeepalivedsBytes) {
  for (const auto& f : load_fixtures()) {
    SCOPED_TRACE(f.name);
    auto r = decode(f.rx_bytes(), f.meta(), f.rx());
    if (auto* why = std::get_if<DiscardReason>(&r)) {
      ADD_FAILURE() << "discarded: " << to_string(*why);
      continue;
    }
    const auto& d = std::get<Decoded>(r);
    EXPECT_EQ(d.advert, f.advert());
    EXPECT_EQ(d.src, ip(f.j.at("src")));
    EXPECT_EQ(d.dst, ip(f.j.at("dst")));
    EXPECT_EQ(to_string(d.matched_form), f.j.at("checksum_form").get<std::string>());
    if (f.auth() == AuthType::Ah) {
      ASSERT_TRUE(d.ah);
      EXPECT_EQ(d.ah->seq, f.j.at("ah_seq").get<uint32_t>());
      EXPECT_EQ(d.ah->spi, ip(f.j.at("src")).v4_host_order());
    }
  }
}

TEST(PacketGolden, WrongSecretsAreRejected) {
  for (const auto& f : load_fixtures()) {
    if (f.auth() == AuthType::None) continue;
    SCOPED_TRACE(f.name);
    RxConfig c = f.rx();
    c.auth_pass = "not-it";
    auto r = decode(f.rx_bytes(), f.meta(), c);
    ASSERT_TRUE(std::holds_alternative<DiscardReason>(r));
    EXPECT_EQ(std::get<DiscardReason>(r), DiscardReason::AuthFailure);
  }
}

// keepalived 2.2.7 sends its IPv6 VIPs without a link-local address first: accepted unless
// strict mode asks for RFC 9568's rule.
TEST(PacketGolden, KeepalivedIpv6AdvertFailsOnlyStrictMode) {
  for (const auto& f : load_fixtures()) {
    if (!f.v6()) continue;
    RxConfig c = f.rx();
    c.strict = true;
    auto r = decode(f.rx_bytes(), f.meta(), c);
    ASSERT_TRUE(std::holds_alternative<DiscardReason>(r)) << f.name;
    EXPECT_EQ(std::get<DiscardReason>(r), DiscardReason::FirstAddressNotLinkLocal);
  }
}

}  // namespace
}  // namespace vigil::vrrp
