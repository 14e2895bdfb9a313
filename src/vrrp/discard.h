// Why a received VRRP packet was not accepted: one reason per receive check of RFC 9568
// section 7.1 (and RFC 3768 section 7.1 for v2), each with its own counter at the instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil::vrrp {

enum class DiscardReason : uint8_t {
  TtlNot255,           // IPv4 TTL / IPv6 hop limit is not 255
  BadIpHeader,         // IPv4: not version 4, bad IHL, total length beyond the buffer, protocol
                       // neither VRRP (112) nor AH (51)
  TooShort,            // shorter than the fixed 8-byte VRRP header
  BadVersion,          // VRRP version neither 2 nor 3, v2 over IPv6, or not the instance's version
  BadType,             // type is not 1 (Advertisement)
  LengthMismatch,      // length disagrees with Count IPvX Addrs (+ auth data for v2)
  BadChecksum,         // no accepted checksum form matches
  VridMismatch,        // not an error: another virtual router's advert ("not for us");
                       // counted apart from the real discards
  AuthTypeMismatch,    // v2 auth type differs from the configured one (or AH header missing)
  AuthFailure,         // v2 password or AH HMAC-MD5-96 does not match
  AhBadHeader,         // AH header malformed (next header not 112, wrong length)
  AhReplay,            // AH sequence number not above the last accepted one
  AddressCountZero,    // Count IPvX Addrs is 0
  IntervalZero,        // (Max) Adver Int is 0
  IntervalMismatchV2,  // v2: Adver Int differs from the configured one (RFC 3768 7.1)
  FirstAddressNotLinkLocal,  // IPv6, strict mode only: the first address is not link-local
};

inline constexpr size_t kDiscardReasonCount =
    static_cast<size_t>(DiscardReason::FirstAddressNotLinkLocal) + 1;

// snake_case, stable: used as a Prometheus label value and in logs.
std::string_view to_string(DiscardReason r);

}  // namespace vigil::vrrp
