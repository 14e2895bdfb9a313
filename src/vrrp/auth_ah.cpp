#include "vrrp/auth_ah.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

namespace vigil::vrrp {

namespace {
constexpr size_t kKeyLen = 8;  // keepalived's auth_data buffer
}

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
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  HMAC(EVP_md5(), k.data(), static_cast<int>(k.size()), buf.data(), buf.size(), md, &md_len);
  AhIcv icv{};
  for (size_t i = 0; i < kAhIcvLen; ++i) icv[i] = md[i];
  return icv;
}

bool ah_icv_equal(const AhIcv& a, const AhIcv& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::vrrp
