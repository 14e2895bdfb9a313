#include "base/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vigil {

IpAddress IpAddress::v4(const in_addr& a) {
  IpAddress r;
  r.family_ = Family::V4;
  std::memcpy(r.bytes_.data(), &a, 4);
  return r;
}

IpAddress IpAddress::v6(const in6_addr& a) {
  IpAddress r;
  r.family_ = Family::V6;
  std::memcpy(r.bytes_.data(), &a, 16);
  return r;
}

IpAddress IpAddress::v4_from_host(uint32_t host_order) {
  in_addr a{htonl(host_order)};
  return v4(a);
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string s(text);
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) return v4(a4);
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) return v6(a6);
  return std::nullopt;
}

in_addr IpAddress::to_in_addr() const {
  in_addr a{};
  std::memcpy(&a, bytes_.data(), 4);
  return a;
}

in6_addr IpAddress::to_in6_addr() const {
  in6_addr a{};
  std::memcpy(&a, bytes_.data(), 16);
  return a;
}

uint32_t IpAddress::v4_host_order() const {
  return ntohl(to_in_addr().s_addr);
}

bool IpAddress::is_unspecified() const {
  for (size_t i = 0; i < size(); ++i)
    if (bytes_[i] != 0) return false;
  return true;
}

bool IpAddress::is_multicast() const {
  return is_v4() ? (bytes_[0] & 0xf0) == 0xe0 : bytes_[0] == 0xff;
}

bool IpAddress::is_v6_link_local() const {
  return is_v6() && bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  auto slash = text.find('/');
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  IpPrefix p{*addr, static_cast<uint8_t>(addr->is_v4() ? 32 : 128)};
  if (slash == std::string_view::npos) return p;
  auto len_text = text.substr(slash + 1);
  unsigned len = 0;
  auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (len_text.empty() || ec != std::errc{} || ptr != len_text.data() + len_text.size() ||
      len > p.max_length())
    return std::nullopt;
  p.length = static_cast<uint8_t>(len);
  return p;
}

IpAddress IpPrefix::network() const {
  uint8_t raw[16];
  std::memcpy(raw, address.data(), address.size());
  for (size_t bit = length; bit < address.size() * 8; ++bit) raw[bit / 8] &= ~(0x80 >> (bit % 8));
  if (address.is_v4()) {
    in_addr a;
    std::memcpy(&a, raw, 4);
    return IpAddress::v4(a);
  }
  in6_addr a;
  std::memcpy(&a, raw, 16);
  return IpAddress::v6(a);
}

bool IpPrefix::contains(const IpAddress& a) const {
  if (a.family() != address.family()) return false;
  return IpPrefix{a, length}.network() == network();
}

std::string IpPrefix::to_string() const {
  return address.to_string() + "/" + std::to_string(length);
}

}  // namespace vigil
