#include "vrrp/discard.h"

namespace vigil::vrrp {

std::string_view to_string(DiscardReason r) {
  switch (r) {
    case DiscardReason::TtlNot255:
      return "ttl_not_255";
    case DiscardReason::BadIpHeader:
      return "bad_ip_header";
    case DiscardReason::TooShort:
      return "too_short";
    case DiscardReason::BadVersion:
      return "bad_version";
    case DiscardReason::BadType:
      return "bad_type";
    case DiscardReason::LengthMismatch:
      return "length_mismatch";
    case DiscardReason::BadChecksum:
      return "bad_checksum";
    case DiscardReason::VridMismatch:
      return "vrid_mismatch";
    case DiscardReason::AuthTypeMismatch:
      return "auth_type_mismatch";
    case DiscardReason::AuthFailure:
      return "auth_failure";
    case DiscardReason::AhBadHeader:
      return "ah_bad_header";
    case DiscardReason::AhReplay:
      return "ah_replay";
    case DiscardReason::AddressCountZero:
      return "address_count_zero";
    case DiscardReason::IntervalZero:
      return "interval_zero";
    case DiscardReason::IntervalMismatchV2:
      return "interval_mismatch_v2";
    case DiscardReason::FirstAddressNotLinkLocal:
      return "first_address_not_link_local";
  }
  return "unknown";
}

}  // namespace vigil::vrrp
