#include "control/dumps.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include <fmt/format.h>

#include "control/status_json.h"

namespace vigil::control {

using vrrp::DiscardReason;

namespace {

// "1795626050.950117 (Wed Nov 25 17:00:50.950117 2026)", keepalived's time form.
std::string keepalived_time(vrrp::WallTime t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  char day[64];
  std::strftime(day, sizeof day, "%a %b %e %H:%M:%S", &tm);
  return fmt::format("{}.{:06} ({}.{:06} {})", secs, us % 1'000'000, day, us % 1'000'000,
                     tm.tm_year + 1900);
}

uint64_t d(const vrrp::InstanceCounters& c, DiscardReason r) {
  return c.discards[static_cast<size_t>(r)];
}

}  // namespace

std::string render_data_dump(const vrrp::RouterStatus& status, const conf::Config& config) {
  const auto& g = config.global;
  std::string out = "------< Global definitions >------\n";
  out += fmt::format(" Network namespace = {}\n", g.net_namespace.value_or("(default)"));
  if (g.router_id) out += fmt::format(" Router ID = {}\n", *g.router_id);
  out += fmt::format(" Default interface = {}\n", g.default_interface);
  out += fmt::format(" VRRP IPv4 mcast group = {}\n", g.vrrp_mcast_group4.to_string());
  out += fmt::format(" VRRP IPv6 mcast group = {}\n", g.vrrp_mcast_group6.to_string());
  out += fmt::format(" VRRP default protocol version = {}\n", g.vrrp_version);
  out += fmt::format(" VRRP strict mode = {}\n", g.vrrp_strict ? "true" : "false");
  if (g.vigil_metrics_listen) out += fmt::format(" vigil metrics = {}\n", *g.vigil_metrics_listen);
  out += "------< VRRP Topology >------\n";
  for (const auto& st : status.instances) {
    out += fmt::format(" VRRP Instance = {}\n", st.name);
    out += fmt::format("   VRRP Version = {}\n", st.version);
    out += fmt::format("   State = {}\n", to_string(st.state));
    if (!st.fault_reason.empty()) out += fmt::format("   Fault reason = {}\n", st.fault_reason);
    if (st.last_transition) {
      out += fmt::format("   Last transition = {}\n", keepalived_time(st.last_transition->when));
      out += fmt::format("   Last transition reason = {} -> {}: {}\n",
                         to_string(st.last_transition->from), to_string(st.last_transition->to),
                         st.last_transition->why);
    }
    out += fmt::format("   Master down timer = {} usecs\n", st.master_down_interval.count());
    out += fmt::format("   Interface = {}\n", st.interface);
    if (st.primary_address)
      out += fmt::format("   Using src_ip = {}\n", st.primary_address->to_string());
    if (st.master_address)
      out += fmt::format("   Master router = {} priority {}\n", st.master_address->to_string(),
                         st.master_priority);
    if (st.sync_group) out += fmt::format("   Sync group = {}\n", *st.sync_group);
    out += fmt::format("   Virtual Router ID = {}\n", st.vrid);
    out += fmt::format("   Priority = {}\n", st.base_priority);
    out += fmt::format("   Effective priority = {}\n", st.effective_priority);
    if (st.priority_offset != 0)
      out += fmt::format("   Maintenance priority offset = {}\n", st.priority_offset);
    const auto us = st.advert_interval.count();
    if (us % 1'000'000 == 0)
      out += fmt::format("   Advert interval = {} sec\n", us / 1'000'000);
    else
      out += fmt::format("   Advert interval = {} milli-sec\n", us / 1000);
    out += fmt::format("   Virtual IP ({}):\n", st.addresses.size());
    for (const auto& a : st.addresses)
      out += fmt::format("     {} dev {}{}\n", a, st.interface, st.addresses_held ? " set" : "");
  }
  if (!status.sync_groups.empty()) out += "------< VRRP Sync groups >------\n";
  for (const auto& sg : status.sync_groups) {
    out += fmt::format(" VRRP Sync Group = {}, {}\n", sg.name, to_string(sg.state));
    for (const auto& m : sg.members) out += fmt::format("   monitor = {}\n", m);
  }
  return out;
}

std::string render_stats_dump(const vrrp::RouterStatus& status) {
  std::string out;
  for (const auto& st : status.instances) {
    const auto& c = st.counters;
    out += fmt::format("VRRP Instance: {}\n", st.name);
    out += "  Advertisements:\n";
    out += fmt::format("    Received: {}\n", c.adverts_received);
    out += fmt::format("    Sent: {}\n", c.adverts_sent);
    out += fmt::format("  Became master: {}\n", c.became_master);
    out += fmt::format("  Released master: {}\n", c.released_master);
    out += "  Packet Errors:\n";
    out += fmt::format("    Length: {}\n",
                       d(c, DiscardReason::TooShort) + d(c, DiscardReason::LengthMismatch));
    out += fmt::format("    TTL: {}\n", d(c, DiscardReason::TtlNot255));
    out += fmt::format("    Invalid Type: {}\n", d(c, DiscardReason::BadType));
    out += fmt::format("    Advertisement Interval: {}\n",
                       d(c, DiscardReason::IntervalMismatchV2) + d(c, DiscardReason::IntervalZero));
    out += fmt::format("    Address List: {}\n", d(c, DiscardReason::AddressCountZero));
    out += "  Authentication Errors:\n";
    out += fmt::format("    Invalid Type: {}\n", d(c, DiscardReason::AhBadHeader));
    out += fmt::format("    Type Mismatch: {}\n", d(c, DiscardReason::AuthTypeMismatch));
    out += fmt::format("    Failure: {}\n",
                       d(c, DiscardReason::AuthFailure) + d(c, DiscardReason::AhReplay));
    out += "  Priority Zero:\n";
    out += fmt::format("    Received: {}\n", c.priority_zero_received);
    out += fmt::format("    Sent: {}\n", c.priority_zero_sent);
    // vigil's finer breakdown, after keepalived's block so parsers of that one keep working.
    out += "  Discards by reason:\n";
    for (size_t i = 0; i < c.discards.size(); ++i) {
      if (i == static_cast<size_t>(DiscardReason::VridMismatch)) continue;
      out += fmt::format("    {}: {}\n", to_string(static_cast<DiscardReason>(i)), c.discards[i]);
    }
  }
  return out;
}

std::string render_json_dump(const vrrp::RouterStatus& status) {
  return keepalived_json(status).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

std::string write_private_file(const std::string& path, const std::string& content) {
  std::string tmpl = path + ".XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());  // created 0600, O_EXCL
  if (fd < 0) return fmt::format("cannot create {}: {}", tmpl, std::strerror(errno));
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(name.data());
      return fmt::format("cannot write {}: {}", path, std::strerror(err));
    }
    off += static_cast<size_t>(n);
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  if (::rename(name.data(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(name.data());
    return fmt::format("cannot rename to {}: {}", path, std::strerror(err));
  }
  return {};
}

}  // namespace vigil::control
