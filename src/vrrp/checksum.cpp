#include "vrrp/checksum.h"

namespace vigil::vrrp {

namespace {
constexpr uint16_t kProtoVrrp = 112;
}

void ChecksumAccumulator::add(std::span<const uint8_t> bytes) {
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum_ += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (i < bytes.size()) sum_ += static_cast<uint32_t>(bytes[i] << 8);  // odd byte, zero padded
}

uint16_t ChecksumAccumulator::finish() const {
  uint64_t s = sum_;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(~s & 0xffff);
}

uint16_t internet_checksum(std::span<const uint8_t> bytes) {
  ChecksumAccumulator acc;
  acc.add(bytes);
  return acc.finish();
}

uint16_t checksum_with_v4_pseudo_header(const IpAddress& src, const IpAddress& dst,
                                        std::span<const uint8_t> message) {
  ChecksumAccumulator acc;
  acc.add_address(src);
  acc.add_address(dst);
  acc.add_u16(kProtoVrrp);  // zero byte + protocol byte
  acc.add_u16(static_cast<uint16_t>(message.size()));
  acc.add(message);
  return acc.finish();
}

uint16_t checksum_with_v6_pseudo_header(const IpAddress& src, const IpAddress& dst,
                                        std::span<const uint8_t> message) {
  ChecksumAccumulator acc;
  acc.add_address(src);
  acc.add_address(dst);
  const auto len = static_cast<uint32_t>(message.size());
  acc.add_u16(static_cast<uint16_t>(len >> 16));
  acc.add_u16(static_cast<uint16_t>(len & 0xffff));
  acc.add_u16(kProtoVrrp);  // three zero bytes + next header
  acc.add(message);
  return acc.finish();
}

}  // namespace vigil::vrrp
