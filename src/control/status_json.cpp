#include "control/status_json.h"

#include <ctime>

#include <fmt/format.h>

namespace vigil::control {

using nlohmann::json;
using vrrp::DiscardReason;
using vrrp::InstanceStatus;
using vrrp::State;

namespace {

json opt_address(const std::optional<IpAddress>& a) {
  return a ? json(a->to_string()) : json(nullptr);
}

double seconds(Micros d) {
  return static_cast<double>(d.count()) / 1e6;
}

json counters_json(const vrrp::InstanceCounters& c) {
  json discards = json::object();
  for (size_t i = 0; i < c.discards.size(); ++i) {
    if (i == static_cast<size_t>(DiscardReason::VridMismatch)) continue;  // not an error
    discards[std::string(to_string(static_cast<DiscardReason>(i)))] = c.discards[i];
  }
  json forms = json::object();
  for (size_t i = 0; i < c.checksum_forms.size(); ++i)
    forms[std::string(to_string(static_cast<vrrp::ChecksumForm>(i)))] = c.checksum_forms[i];
  return {{"adverts_sent", c.adverts_sent},
          {"adverts_received", c.adverts_received},
          {"became_master", c.became_master},
          {"released_master", c.released_master},
          {"transitions", c.transitions},
          {"priority_zero_received", c.priority_zero_received},
          {"priority_zero_sent", c.priority_zero_sent},
          {"other_vrid_received", c.discards[static_cast<size_t>(DiscardReason::VridMismatch)]},
          {"discards_total", c.discards_total()},
          {"discards", discards},
          {"checksum_forms", forms}};
}

// keepalived's numeric states in its JSON dump.
int keepalived_state_number(State s) {
  switch (s) {
    case State::Backup:
      return 1;
    case State::Master:
      return 2;
    case State::Fault:
      return 3;
    default:
      return 0;
  }
}

uint64_t discard(const vrrp::InstanceCounters& c, DiscardReason r) {
  return c.discards[static_cast<size_t>(r)];
}

}  // namespace

std::string rfc3339_utc(vrrp::WallTime t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us % 1'000'000);
}

double epoch_seconds(vrrp::WallTime t) {
  return static_cast<double>(
             std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count()) /
         1e6;
}

json instance_to_json(const InstanceStatus& st) {
  json transition = nullptr;
  if (st.last_transition) {
    const auto& t = *st.last_transition;
    transition = {{"from", std::string(to_string(t.from))},
                  {"to", std::string(to_string(t.to))},
                  {"when", rfc3339_utc(t.when)},
                  {"when_epoch", epoch_seconds(t.when)},
                  {"why", t.why}};
  }
  return {
      {"name", st.name},
      {"interface", st.interface},
      {"vrid", st.vrid},
      {"version", st.version},
      {"family", st.family == Family::V4 ? "ipv4" : "ipv6"},
      {"state", std::string(to_string(st.state))},
      {"priority",
       {{"base", st.base_priority},
        {"effective", st.effective_priority},
        {"offset", st.priority_offset}}},
      {"master", {{"address", opt_address(st.master_address)}, {"priority", st.master_priority}}},
      {"primary_address", opt_address(st.primary_address)},
      {"timers",
       {{"advert_interval_s", seconds(st.advert_interval)},
        {"master_advert_interval_s", seconds(st.master_advert_interval)},
        {"master_down_interval_s", seconds(st.master_down_interval)}}},
      {"addresses", st.addresses},
      {"addresses_held", st.addresses_held},
      {"fault_reason", st.fault_reason.empty() ? json(nullptr) : json(st.fault_reason)},
      {"sync_group", st.sync_group ? json(*st.sync_group) : json(nullptr)},
      {"counters", counters_json(st.counters)},
      {"last_transition", transition}};
}

json status_to_json(const vrrp::RouterStatus& status) {
  json instances = json::array();
  for (const auto& st : status.instances) instances.push_back(instance_to_json(st));
  json groups = json::array();
  for (const auto& g : status.sync_groups)
    groups.push_back(
        {{"name", g.name}, {"members", g.members}, {"state", std::string(to_string(g.state))}});
  // Router-wide counters, not attributable to an instance.
  json counters = {{"vrid_errors", status.vrid_errors}};
  return {{"instances", instances}, {"sync_groups", groups}, {"counters", counters}};
}

json keepalived_json(const vrrp::RouterStatus& status) {
  json out = json::array();
  for (const auto& st : status.instances) {
    const auto& c = st.counters;
    json data = {
        {"iname", st.name},
        {"ifp_ifname", st.interface},
        {"vrid", st.vrid},
        {"version", st.version},
        {"state", keepalived_state_number(st.state)},
        {"base_priority", st.base_priority},
        {"effective_priority", st.effective_priority},
        {"master_priority", st.state == State::Backup ? st.master_priority : 0},
        {"last_transition", st.last_transition ? epoch_seconds(st.last_transition->when) : 0.0},
        {"adver_int", seconds(st.advert_interval)},
        {"master_adver_int", seconds(st.master_advert_interval)},
        {"vipset", st.addresses_held},
        {"vips", st.addresses},
    };
    json stats = {
        {"advert_rcvd", c.adverts_received},
        {"advert_sent", c.adverts_sent},
        {"become_master", c.became_master},
        {"release_master", c.released_master},
        {"packet_len_err",
         discard(c, DiscardReason::TooShort) + discard(c, DiscardReason::LengthMismatch)},
        {"advert_interval_err",
         discard(c, DiscardReason::IntervalMismatchV2) + discard(c, DiscardReason::IntervalZero)},
        {"ip_ttl_err", discard(c, DiscardReason::TtlNot255)},
        {"invalid_type_rcvd", discard(c, DiscardReason::BadType)},
        {"addr_list_err", discard(c, DiscardReason::AddressCountZero)},
        {"invalid_authtype", discard(c, DiscardReason::AhBadHeader)},
        {"authtype_mismatch", discard(c, DiscardReason::AuthTypeMismatch)},
        {"auth_failure",
         discard(c, DiscardReason::AuthFailure) + discard(c, DiscardReason::AhReplay)},
        {"pri_zero_rcvd", c.priority_zero_received},
        {"pri_zero_sent", c.priority_zero_sent},
    };
    out.push_back({{"data", data}, {"stats", stats}});
  }
  return out;
}

}  // namespace vigil::control
