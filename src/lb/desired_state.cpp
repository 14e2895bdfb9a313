#include "lb/desired_state.h"

#include <algorithm>

namespace vigil::lb {

std::string ServiceKey::to_string() const {
  if (fwmark != 0) {
    return "FWM " + std::to_string(fwmark) + (family == Family::V6 ? " inet6" : " inet");
  }
  std::string proto(conf::to_string(protocol));
  std::string a = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return proto + " " + a + ":" + std::to_string(port);
}

const Service* DesiredState::find(const ServiceKey& key) const {
  auto it = std::lower_bound(services.begin(), services.end(), key,
                             [](const Service& s, const ServiceKey& k) { return s.key < k; });
  return it != services.end() && it->key == key ? &*it : nullptr;
}

}  // namespace vigil::lb
