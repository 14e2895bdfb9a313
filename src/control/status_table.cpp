#include "control/status_table.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace vigil::control {

using nlohmann::json;

namespace {

// Reads a member without throwing on a missing or mistyped one (the reply comes over a socket).
template <typename T>
T get(const json& j, const char* key, T fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

}  // namespace

std::string short_duration(double seconds) {
  if (seconds < 0) seconds = 0;
  const auto s = static_cast<long long>(seconds);
  if (s < 120) return fmt::format("{}s", s);
  if (s < 2 * 3600) return fmt::format("{}m", s / 60);
  if (s < 2 * 86400) return fmt::format("{}h", s / 3600);
  return fmt::format("{}d", s / 86400);
}

std::string render_status_table(const json& status, double now_epoch) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"INSTANCE", "STATE", "PRIO EFF/BASE", "MASTER", "VIPS", "LAST TRANSITION"});
  const json empty = json::object();
  const json& instances =
      status.is_object() && status.contains("instances") ? status["instances"] : json::array();
  for (const auto& in : instances) {
    const json& prio = in.is_object() && in.contains("priority") ? in["priority"] : empty;
    std::string p = fmt::format("{}/{}", get<int>(prio, "effective", 0), get<int>(prio, "base", 0));
    if (int off = get<int>(prio, "offset", 0); off != 0) p += fmt::format(" ({:+})", off);
    const json& master = in.is_object() && in.contains("master") ? in["master"] : empty;
    std::string m = get<std::string>(master, "address", "-");
    std::string vips;
    if (in.is_object() && in.contains("addresses") && in["addresses"].is_array())
      for (const auto& a : in["addresses"])
        if (a.is_string()) vips += (vips.empty() ? "" : ",") + a.get<std::string>();
    if (vips.empty()) vips = "-";
    std::string state = get<std::string>(in, "state", "?");
    if (state == "FAULT") {
      std::string why = get<std::string>(in, "fault_reason", "");
      if (!why.empty()) state += " (" + why + ")";
    }
    std::string last = "-";
    const json& t =
        in.is_object() && in.contains("last_transition") ? in["last_transition"] : empty;
    if (t.is_object()) {
      last = fmt::format("{}->{} {} ago", get<std::string>(t, "from", "?"),
                         get<std::string>(t, "to", "?"),
                         short_duration(now_epoch - get<double>(t, "when_epoch", now_epoch)));
      std::string why = get<std::string>(t, "why", "");
      if (!why.empty()) last += " (" + why + ")";
    }
    rows.push_back({get<std::string>(in, "name", "?"), state, p, m, vips, last});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      if (i + 1 == r.size())
        line += r[i];
      else
        line += fmt::format("{:<{}}  ", r[i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  if (instances.empty()) out += "(no VRRP instances)\n";
  const json& groups =
      status.is_object() && status.contains("sync_groups") ? status["sync_groups"] : json::array();
  for (const auto& g : groups) {
    std::string members;
    if (g.is_object() && g.contains("members") && g["members"].is_array())
      for (const auto& m : g["members"])
        if (m.is_string()) members += (members.empty() ? "" : ", ") + m.get<std::string>();
    out += fmt::format("sync group {}: {} [{}]\n", get<std::string>(g, "name", "?"),
                       get<std::string>(g, "state", "?"), members);
  }
  return out;
}

}  // namespace vigil::control
