#include "vrrp/auth_ah.h"

// MD5's low-level functions are deprecated in OpenSSL 3 in favour of EVP, but EVP_md5() /
// HMAC() go through the provider machinery: statically linked into vigild-vrrp they would pull
// in most of libcrypto, and the shared libcrypto costs the VRRP worker ~1.4 MiB resident (its
// load-time relocations; docs/benchmarks.md). MD5_* and CRYPTO_memcmp are a few KiB.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/md5.h>

#include <array>
#include <cstring>
#include <vector>

namespace vigil::vrrp {

namespace {
constexpr size_t kKeyLen = 8;  // keepalived's auth_data buffer
constexpr size_t kMd5Block = 64;

// HMAC-MD5 (RFC 2104). The key is at most kKeyLen bytes, so never longer than a block.
std::array<unsigned char, MD5_DIGEST_LENGTH> ah_hmac_md5(std::string_view key,
                                                         std::span<const uint8_t> data) {
  unsigned char ipad[kMd5Block] = {};
  unsigned char opad[kMd5Block] = {};
  std::memcpy(ipad, key.data(), key.size());
  std::memcpy(opad, key.data(), key.size());
  for (size_t i = 0; i < kMd5Block; ++i) {
    ipad[i] ^= 0x36;
    opad[i] ^= 0x5c;
  }
  std::array<unsigned char, MD5_DIGEST_LENGTH> inner{}, out{};
  MD5_CTX c;
  MD5_Init(&c);
  MD5_Update(&c, ipad, sizeof ipad);
  MD5_Update(&c, data.data(), data.size());
  MD5_Final(inner.data(), &c);
  MD5_Init(&c);
  MD5_Update(&c, opad, sizeof opad);
  MD5_Update(&c, inner.data(), inner.size());
  MD5_Final(out.data(), &c);
  return out;
}

}  // namespace

AhIcv ah_icv(std::span<const uint8_t> ip_packet, size_t ip_header_len, std::string_view key,
             AhTtl ttl) {
  std::vector<uint8_t> buf(ip_packet.begin(), ip_packet.end());
  // The mutable IPv4 fields keepalived zeroes (see auth_ah.h).
  buf[1] = 0;           // TOS
  buf[6] = buf[7] = 0;  // flags + fragment offset
  if (ttl == AhTtl::Zeroed) buf[8] = 0;
  buf[10] = buf[11] = 0;  // header checksum
  for (size_t i = 0; i < kAhIcvLen; ++i) buf[ip_header_len + kAhIcvOffset + i] = 0;

  const std::string_view k = key.substr(0, kKeyLen);
  const auto md = ah_hmac_md5(k, buf);
  AhIcv icv{};
  for (size_t i = 0; i < kAhIcvLen; ++i) icv[i] = md[i];
  return icv;
}

bool ah_icv_equal(const AhIcv& a, const AhIcv& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::vrrp
