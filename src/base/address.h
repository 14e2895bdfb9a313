// IPv4/IPv6 address and prefix value types, shared by every module.
#pragma once

#include <netinet/in.h>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

enum class Family : uint8_t { V4, V6 };

// The socket-API family (AF_INET / AF_INET6) of a Family, as the kernel's messages carry it.
constexpr uint8_t address_family(Family f) {
  return f == Family::V4 ? AF_INET : AF_INET6;
}

// An IPv4 or IPv6 address held in network byte order. Value type: cheap to copy, comparable.
class IpAddress {
 public:
  IpAddress() = default;
  static IpAddress v4(const in_addr& a);
  static IpAddress v6(const in6_addr& a);
  static IpAddress v4_from_host(uint32_t host_order);
  // Accepts dotted quad or RFC 4291 text; no prefix, no scope id.
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  bool is_v6() const { return family_ == Family::V6; }
  // 4 or 16.
  size_t size() const { return is_v4() ? 4 : 16; }
  const uint8_t* data() const { return bytes_.data(); }
  in_addr to_in_addr() const;
  in6_addr to_in6_addr() const;
  uint32_t v4_host_order() const;

  bool is_unspecified() const;
  bool is_multicast() const;
  bool is_v6_link_local() const;
  std::string to_string() const;

  // Orders by family, then bytes in network order: the "higher primary address" of RFC 5798.
  auto operator<=>(const IpAddress&) const = default;

 private:
  Family family_ = Family::V4;
  std::array<uint8_t, 16> bytes_{};  // v4 uses the first 4 bytes
};

// An address with a prefix length, as in "192.0.2.1/24".
struct IpPrefix {
  IpAddress address;
  uint8_t length = 0;

  // "ADDR" (full-length prefix) or "ADDR/LEN".
  static std::optional<IpPrefix> parse(std::string_view text);
  uint8_t max_length() const { return address.is_v4() ? 32 : 128; }
  // The address with host bits cleared.
  IpAddress network() const;
  bool contains(const IpAddress& a) const;
  std::string to_string() const;
  auto operator<=>(const IpPrefix&) const = default;
};

}  // namespace vigil
