#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "conf/check_mode.h"

namespace vigil::conf {
namespace {

using ::testing::HasSubstr;

// A configuration file in a private temporary directory, removed afterwards.
class TempConf {
 public:
  explicit TempConf(const std::string& text) {
    char dir[] = "/tmp/vigil-conf-XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/keepalived.conf";
    std::ofstream(path_) << text;
  }
  ~TempConf() {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

TEST(ConfCheckMode, ValidConfigExitsZeroAndDumpsJson) {
  TempConf f(
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
      "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_config_check(f.path(), {}, true, out, err), 0);
  EXPECT_EQ(err.str(), "vigild: configuration valid\n");
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["schema"], "vigil-config/1");
  EXPECT_EQ(j["vrrp"]["vrrp_instances"][0]["virtual_router_id"], 51);
  EXPECT_EQ(j["vrrp"]["vrrp_instances"][0]["virtual_ipaddress"][0]["address"], "192.0.2.100/24");
}

TEST(ConfCheckMode, InvalidConfigPrintsDiagnosticsWithExcerptAndSummary) {
  TempConf f(
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 300\n  priority 0\n"
      "  authentication {\n    auth_type PASS\n    auth_pass 123456789\n  }\n"
      "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_config_check(f.path(), {}, true, out, err), 1);
  EXPECT_TRUE(out.str().empty());  // no JSON for an invalid configuration
  EXPECT_THAT(err.str(),
              HasSubstr(f.path() + ":3:21: error: `virtual_router_id`: 300 is out of range"));
  EXPECT_THAT(err.str(), HasSubstr("  virtual_router_id 300\n"));  // the excerpt
  EXPECT_THAT(err.str(), HasSubstr("^"));                          // the caret
  EXPECT_THAT(err.str(), HasSubstr("vigild: configuration invalid: 2 errors, 1 warning\n"));
}

TEST(ConfCheckMode, MissingFileIsInvalid) {
  std::ostringstream out, err;
  EXPECT_EQ(run_config_check("/nonexistent/vigil.conf", {}, false, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("configuration invalid"));
}

TEST(ConfCheckMode, SummaryLine) {
  Diagnostics d;
  EXPECT_EQ(summary_line(d), "configuration valid");
  d.warning({}, "w");
  EXPECT_EQ(summary_line(d), "configuration valid: 1 warning");
  d.error({}, "e");
  d.error({}, "e");
  EXPECT_EQ(summary_line(d), "configuration invalid: 2 errors, 1 warning");
}

}  // namespace
}  // namespace vigil::conf
