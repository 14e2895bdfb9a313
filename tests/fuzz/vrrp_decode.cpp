// libFuzzer target: the VRRP decoder must never crash, hang or read out of bounds on arbitrary
// bytes, whichever family and instance configuration the socket layer uses. The first input
// byte picks the family and configuration (bit 0 IPv6, bit 1 v3, bits 2-3 auth, bit 4 repair
// the VRRP checksum so mutations get past it, bit 5 strict, bit 6 v2 interval check, bit 7 AH
// replay window + unicast instance); the rest is the packet.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "vrrp/checksum.h"
#include "vrrp/packet.h"

using namespace vigil;
using namespace vigil::vrrp;

namespace {

// Puts the checksum parse() expects into the VRRP message (v2: message only; v3: pseudo-header),
// when the buffer is long enough to have one.
void repair_checksum(std::vector<uint8_t>& b, const RxMeta& meta) {
  size_t off = 0;
  IpAddress src = meta.src, dst = meta.dst;
  if (meta.family == Family::V4) {
    if (b.size() < 20) return;
    off = size_t{b[0] & 0x0fu} * 4;
    if (b[9] == kIpProtoAh) off += 24;
    src = IpAddress::v4_from_host(uint32_t{b[12]} << 24 | b[13] << 16 | b[14] << 8 | b[15]);
    dst = IpAddress::v4_from_host(uint32_t{b[16]} << 24 | b[17] << 16 | b[18] << 8 | b[19]);
  }
  if (b.size() < off + 8) return;
  std::span<uint8_t> m(b.data() + off, b.size() - off);
  m[6] = m[7] = 0;
  uint16_t c = (m[0] >> 4) == 2            ? internet_checksum(m)
               : meta.family == Family::V4 ? checksum_with_v4_pseudo_header(src, dst, m)
                                           : checksum_with_v6_pseudo_header(src, dst, m);
  m[6] = static_cast<uint8_t>(c >> 8);
  m[7] = static_cast<uint8_t>(c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t sel = data[0];
  std::vector<uint8_t> buf(data + 1, data + size);
  std::span<const uint8_t> bytes(buf);

  RxMeta meta;
  meta.family = (sel & 1) ? Family::V6 : Family::V4;
  if (meta.family == Family::V6) {
    meta.src = *IpAddress::parse("fe80::1");
    meta.dst = *IpAddress::parse("ff02::12");
    meta.ttl_or_hop_limit = 255;
  }
  if (sel & 0x10) repair_checksum(buf, meta);

  RxConfig cfg;
  cfg.version = (sel & 2) ? Version::V3 : Version::V2;
  cfg.auth = static_cast<AuthType>((sel >> 2) % 3);
  cfg.auth_pass = "ahkey42";
  cfg.strict = sel & 0x20;
  cfg.v2_interval_cs = (sel & 0x40) ? 100 : 0;
  if (sel & 0x80) {
    cfg.ah_anti_replay = true;
    cfg.ah_last_seq = 1;
    cfg.unicast = true;
  }

  ParseResult r = parse(bytes, meta);
  if (auto* d = std::get_if<Decoded>(&r)) {
    cfg.vrid = d->advert.vrid;  // reach the instance checks, not just VridMismatch
    (void)to_string(d->matched_form);
    if (auto reason = check(*d, bytes, cfg)) (void)to_string(*reason);
    // What we accept we must be able to send again (same family, same parameters).
    if (d->advert.version == Version::V3 || meta.family == Family::V4) {
      TxParams tx;
      tx.family = meta.family;
      tx.src = d->src;
      tx.dst = d->dst;
      tx.auth_pass = cfg.auth_pass;
      try {
        auto again = encode(d->advert, tx);
        (void)again;
      } catch (const std::invalid_argument&) {
        // e.g. an unknown v2 auth type: a clear error, not a crash
      }
    }
  } else {
    (void)to_string(std::get<DiscardReason>(r));
  }
  return 0;
}
