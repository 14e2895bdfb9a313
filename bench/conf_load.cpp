// Load time and peak memory of very large configurations, generated in memory with ~SEQ:
//   vrrp: 256 interfaces x 254 VRIDs = 65,024 vrrp_instances
//   lvs:  2,277 virtual servers with 37,205 real servers (once the LVS keywords are built in)
// Usage: bench_conf_load [vrrp|manpage|lvs]  (default: all). Target: < 1 s each.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "conf/load.h"
#include "manpage_config.h"

namespace {

std::string vrrp_config() {
  return R"($INST=vrrp_instance VI_${ifn}_${vrid} { \
  interface eth${ifn} \
  virtual_router_id ${vrid} \
  priority 100 \
  advert_int 1 \
  virtual_ipaddress { \
    192.0.2.${vrid}/24 \
  } \
}
~SEQ(ifn, 0, 255) ~SEQ(vrid, 1, 254) $INST
)";
}

// 2,277 = 99 x 23 virtual servers; 37,205 real servers: the first 2,276 virtual servers get 16
// each (36,416) and the last one 789.
std::string lvs_config() {
  std::string s = R"($RS=real_server 198.51.100.${r} ${port} { \
  weight 1 \
  TCP_CHECK { \
    connect_timeout 3 \
  } \
}
)";
  s += R"($VS=virtual_server 203.0.113.${a} ${port} { \
  delay_loop 6 \
  lb_algo rr \
  lb_kind DR \
  protocol TCP \
  ~SEQ(r, 1, 16) $RS \
}
)";
  s += "~SEQ(a, 1, 99) ~SEQ(port, 1000, 1021) $VS\n";  // 99 x 22 = 2,178
  s += "~SEQ(a, 1, 98) ~SEQ(port, 1022, 1022) $VS\n";  // + 98 = 2,276
  s += R"(virtual_server 203.0.113.99 1022 {
  delay_loop 6
  lb_algo rr
  lb_kind DR
  protocol TCP
  ~SEQ(r, 1, 789) real_server 198.51.100.1 ${r} { weight 1 }
}
)";
  return s;
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int run(const char* name, const std::string& text, size_t (*count)(const vigil::conf::Config&)) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = vigil::conf::load_config_text(std::string(name) + ".conf", text, {});
  auto t1 = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(t1 - t0).count();
  if (!r.config) {
    std::fprintf(stderr, "%s: load failed (%zu errors)\n%s", name, r.diag.error_count(),
                 r.diag.format(false).substr(0, 2000).c_str());
    return 1;
  }
  std::printf("%s: %zu objects loaded in %.3f s, peak RSS %ld MiB%s\n", name, count(*r.config),
              secs, peak_rss_kb() / 1024, secs < 1.0 ? "" : "  (over the 1 s target)");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = argc > 1 ? argv[1] : "all";
  int rc = 0;
  if (which == "all" || which == "vrrp")
    rc |= run("vrrp", vrrp_config(),
              [](const vigil::conf::Config& c) { return c.vrrp_instances.size(); });
  if (which == "all" || which == "manpage")
    rc |= run("manpage", vigil::bench::manpage_seq_config(),
              [](const vigil::conf::Config& c) { return c.vrrp_instances.size(); });
  if (which == "all" || which == "lvs")
    rc |= run("lvs", lvs_config(), [](const vigil::conf::Config&) { return size_t(2277); });
  return rc;
}
