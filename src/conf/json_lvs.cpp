// JSON dump of the LVS model (vigil --dump-conf and the golden corpus). Keys use keepalived's
// current keyword names; values that keepalived defaults are shown with their effective value,
// settings that only cascade (timing on virtual/real servers) appear only when written.
#include "conf/parse_lvs.h"

namespace vigil::conf {
namespace {

using nlohmann::json;

double seconds(Micros m) {
  return static_cast<double>(m.count()) / 1e6;
}

template <class T, class F>
void put(json& j, const char* key, const std::optional<T>& v, F convert) {
  if (v) j[key] = convert(*v);
}

template <class T>
void put(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

json script_json(const LvsScript& s) {
  json j = {{"command", s.command}};
  put(j, "user", s.user);
  put(j, "group", s.group);
  return j;
}

json forwarding_json(const ForwardingMethod& f) {
  json j = {{"method", to_string(f.method)}};
  if (f.method == LvsForwarding::Tun) {
    j["tunnel_type"] = to_string(f.tunnel_type);
    if (f.tunnel_type == TunnelType::Gue) j["tunnel_port"] = f.tunnel_port;
    if (f.tunnel_checksum) j["tunnel_checksum"] = to_string(*f.tunnel_checksum);
  }
  return j;
}

json timing_options_json(const CheckTimingOptions& t) {
  json j = json::object();
  put(j, "alpha", t.alpha);
  put(j, "connect_timeout", t.connect_timeout, seconds);
  put(j, "retry", t.retry);
  put(j, "delay_before_retry", t.delay_before_retry, seconds);
  put(j, "warmup", t.warmup, seconds);
  put(j, "delay_loop", t.delay_loop, seconds);
  return j;
}

json connection_json(const CheckerConnection& c) {
  json j = json::object();
  auto addr = [](const IpAddress& a) { return a.to_string(); };
  put(j, "connect_ip", c.connect_ip, addr);
  put(j, "connect_port", c.connect_port);
  put(j, "bindto", c.bindto, addr);
  put(j, "bind_if", c.bind_if);
  put(j, "bind_port", c.bind_port);
  put(j, "fwmark", c.fwmark);
  return j;
}

json url_json(const HttpUrl& u) {
  json j = {{"path", u.path}};
  put(j, "digest", u.digest);
  json codes = json::array();
  for (const auto& r : u.effective_status_codes())
    codes.push_back(r.first == r.last ? std::to_string(r.first)
                                      : std::to_string(r.first) + "-" + std::to_string(r.last));
  j["status_code"] = codes;
  put(j, "virtualhost", u.virtualhost);
  put(j, "regex", u.regex);
  if (u.regex_no_match) j["regex_no_match"] = true;
  if (!u.regex_options.empty()) j["regex_options"] = u.regex_options;
  if (u.regex_stack_start) j["regex_stack"] = {*u.regex_stack_start, *u.regex_stack_max};
  put(j, "regex_min_offset", u.regex_min_offset);
  put(j, "regex_max_offset", u.regex_max_offset);
  return j;
}

std::string hex(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

struct SpecJson {
  json& j;
  void operator()(const TcpCheck&) {}
  void operator()(const PingCheck&) {}
  void operator()(const HttpCheck& h) {
    if (h.http_protocol) j["http_protocol"] = to_string(*h.http_protocol);
    if (h.fast_recovery) j["fast_recovery"] = true;
    if (h.enable_sni) j["enable_sni"] = true;
    put(j, "virtualhost", h.virtualhost);
    json urls = json::array();
    for (const auto& u : h.urls) urls.push_back(url_json(u));
    j["urls"] = urls;
  }
  void operator()(const SmtpCheck& s) {
    put(j, "helo_name", s.helo_name);
    if (!s.hosts.empty()) {
      json hosts = json::array();
      for (const auto& h : s.hosts) hosts.push_back(connection_json(h.connection));
      j["hosts"] = hosts;
    }
  }
  void operator()(const DnsCheck& d) {
    j["type"] = to_string(d.type);
    j["name"] = d.name;
  }
  void operator()(const MiscCheck& m) {
    j["misc_path"] = m.path;
    put(j, "misc_timeout", m.timeout, seconds);
    if (m.dynamic) j["misc_dynamic"] = true;
    put(j, "user", m.user);
    put(j, "group", m.group);
  }
  void operator()(const UdpCheck& u) {
    put(j, "payload", u.payload, hex);
    if (u.require_reply) {
      std::string pattern;
      for (const auto& n : u.reply_pattern)
        pattern += n.wildcard ? 'x' : "0123456789abcdef"[n.value & 15];
      j["require_reply"] = pattern;
    }
    j["min_reply_length"] = u.min_reply_length;
    j["max_reply_length"] = u.max_reply_length;
  }
  void operator()(const FileCheck& f) {
    j["track_file"] = f.track_file;
    if (f.dynamic) j["dynamic"] = true;
    put(j, "weight", f.weight);
    if (f.reverse) j["reverse"] = true;
  }
  void operator()(const BfdCheck& b) { j["name"] = b.bfd_instance; }
};

json checker_json(const VirtualServer& vs, const RealServer& rs, const HealthChecker& c) {
  json j = {{"type", checker_keyword(c.kind)}};
  if (c.kind != CheckerKind::File && c.kind != CheckerKind::Bfd) {
    j.update(connection_json(c.common.connection));
    CheckerTiming t = resolve_checker_timing(vs, rs, c);
    j["alpha"] = t.alpha;
    j["connect_timeout"] = seconds(t.connect_timeout);
    j["retry"] = t.retry;
    j["delay_before_retry"] = seconds(t.delay_before_retry);
    j["warmup"] = seconds(t.warmup);
    j["delay_loop"] = seconds(t.delay_loop);
    j["log_all_failures"] = t.log_all_failures;
  }
  std::visit(SpecJson{j}, c.spec);
  return j;
}

json real_server_json(const VirtualServer& vs, const RealServer& rs) {
  json j = {{"address", rs.address.to_string()}, {"weight", rs.weight}};
  put(j, "port", rs.port);
  j["lvs_method"] = forwarding_json(effective_forwarding(vs, rs));
  put(j, "notify_up", *rs.notify_up, script_json);
  put(j, "notify_down", *rs.notify_down, script_json);
  put(j, "uthreshold", rs.uthreshold);
  put(j, "lthreshold", rs.lthreshold);
  put(j, "smtp_alert", rs.smtp_alert);
  put(j, "virtualhost", rs.virtualhost);
  put(j, "snmp_name", rs.snmp_name);
  j["inhibit_on_failure"] = effective_inhibit_on_failure(vs, rs);
  j.update(timing_options_json(rs.timing));
  json checkers = json::array();
  for (const auto& c : rs.checkers) checkers.push_back(checker_json(vs, rs, c));
  j["checkers"] = checkers;
  return j;
}

json virtual_server_json(const VirtualServer& vs) {
  json j;
  switch (vs.kind) {
    case VirtualServerKind::Address:
      j["address"] = vs.address.to_string();
      put(j, "port", vs.port);
      break;
    case VirtualServerKind::Fwmark:
      j["fwmark"] = vs.fwmark;
      break;
    case VirtualServerKind::Group:
      j["group"] = vs.group;
      break;
  }
  j["lvs_sched"] = to_string(effective_scheduler(vs));
  j["lvs_method"] = forwarding_json(vs.forwarding.value_or(ForwardingMethod{}));
  if (vs.kind != VirtualServerKind::Fwmark) j["protocol"] = to_string(effective_protocol(vs));
  json flags = json::array();
  if (vs.flag_1) flags.push_back("flag-1");
  if (vs.flag_2) flags.push_back("flag-2");
  if (vs.flag_3) flags.push_back("flag-3");
  if (!flags.empty()) j["scheduler_flags"] = flags;
  if (vs.ops) j["ops"] = true;
  put(j, "persistence_engine", vs.persistence_engine);
  put(j, "persistence_timeout", vs.persistence_timeout);
  put(j, "persistence_granularity", vs.persistence_granularity,
      [](uint8_t len) { return int(len); });
  if (vs.ha_suspend) j["ha_suspend"] = true;
  put(j, "smtp_alert", vs.smtp_alert);
  put(j, "virtualhost", vs.virtualhost);
  put(j, "snmp_name", vs.snmp_name);
  if (vs.omega) j["omega"] = true;
  j["quorum"] = vs.quorum;
  j["hysteresis"] = vs.hysteresis;
  put(j, "quorum_up", vs.quorum_up, script_json);
  put(j, "quorum_down", vs.quorum_down, script_json);
  put(j, "ip_family", vs.ip_family, [](Family f) { return f == Family::V4 ? "inet" : "inet6"; });
  if (vs.sorry_server) {
    json s = {{"address", vs.sorry_server->address.to_string()}};
    put(s, "port", vs.sorry_server->port);
    if (vs.sorry_server_inhibit) s["inhibit"] = true;
    put(s, "lvs_method", vs.sorry_server_forwarding, forwarding_json);
    j["sorry_server"] = s;
  }
  put(j, "inhibit_on_failure", vs.inhibit_on_failure);
  j.update(timing_options_json(vs.timing));
  json rss = json::array();
  for (const auto& rs : vs.real_servers) rss.push_back(real_server_json(vs, rs));
  j["real_servers"] = rss;
  return j;
}

json group_json(const VirtualServerGroup& g) {
  json entries = json::array();
  for (const auto& e : g.entries) {
    json j;
    if (e.is_fwmark) {
      j["fwmark"] = e.fwmark;
      put(j, "ip_family", e.family, [](Family f) { return f == Family::V4 ? "inet" : "inet6"; });
    } else {
      j["first"] = e.first.to_string();
      j["last"] = e.last.to_string();
      put(j, "port", e.port);
    }
    entries.push_back(j);
  }
  return {{"name", g.name}, {"entries", entries}};
}

json bfd_json(const BfdInstance& b) {
  json j = {{"name", b.name},
            {"min_rx_ms", double(b.min_rx.count()) / 1000},
            {"min_tx_ms", double(b.min_tx.count()) / 1000},
            {"idle_tx_ms", double(b.idle_tx.count()) / 1000},
            {"multiplier", b.multiplier},
            {"passive", b.passive},
            {"ttl", b.ttl},
            {"hoplimit", b.hoplimit},
            {"max_hops", b.max_hops},
            {"weight", b.weight},
            {"reverse", b.reverse},
            {"notify_vrrp", b.notify_vrrp},
            {"notify_checker", b.notify_checker}};
  auto addr = [](const IpAddress& a) { return a.to_string(); };
  put(j, "neighbor_ip", b.neighbor_ip, addr);
  put(j, "source_ip", b.source_ip, addr);
  return j;
}

}  // namespace

nlohmann::json lvs_to_json(const LvsConfig& lvs) {
  json j = json::object();
  json groups = json::array(), vss = json::array(), bfds = json::array();
  for (const auto& g : lvs.groups) groups.push_back(group_json(g));
  for (const auto& vs : lvs.virtual_servers) vss.push_back(virtual_server_json(vs));
  for (const auto& b : lvs.bfd) bfds.push_back(bfd_json(b));
  j["virtual_server_groups"] = groups;
  j["virtual_servers"] = vss;
  j["bfd_instances"] = bfds;
  if (lvs.ssl) {
    json s = json::object();
    put(s, "password", lvs.ssl->password);
    put(s, "ca", lvs.ssl->ca);
    put(s, "certificate", lvs.ssl->certificate);
    put(s, "key", lvs.ssl->key);
    j["ssl"] = s;
  }
  return j;
}

}  // namespace vigil::conf
