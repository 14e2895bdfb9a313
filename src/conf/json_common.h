// JSON building blocks for to_json(Config): values, optionals, enums and shared structs.
// Durations carry their unit in the key: `_s` whole seconds, `_us` microseconds.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "conf/model.h"

namespace vigil::conf::json_detail {

using nlohmann::json;

json j(const ScriptCommand& s);
json j(const NotifyFifo& f);
json j(const TrackRef& r);
json j(const TrackedInterface& t);
json j(const VirtualAddress& a);
json j(const Route& r);
json j(const Rule& r);
json j(AddressScope s);

inline json j(const IpAddress& a) {
  return a.to_string();
}
inline json j(const IpPrefix& p) {
  return p.to_string();
}
inline json j(Seconds s) {
  return s.count();
}
inline json j(Micros s) {
  return s.count();
}
inline json j(const std::string& s) {
  return s;
}
inline json j(bool b) {
  return b;
}
template <class T>
requires std::is_arithmetic_v<T> json j(T v) {
  return v;
}
template <class T>
json j(const std::optional<T>& o) {
  return o ? j(*o) : json(nullptr);
}
template <class T>
json j(const std::vector<T>& v) {
  json a = json::array();
  for (const auto& x : v) a.push_back(j(x));
  return a;
}

json global_json(const GlobalDefs& g);
json vrrp_json(const Config& c);

}  // namespace vigil::conf::json_detail
