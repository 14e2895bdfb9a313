// Every keepalived sample configuration loads with the outcome recorded in
// tests/conf/samples.expected (which also notes where vigil and `keepalived -t` disagree).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "conf/load.h"

namespace vigil::conf {
namespace {

namespace fs = std::filesystem;
const fs::path kSamples = "/usr/share/doc/keepalived/samples";

struct Expectation {
  std::string file, config_id, outcome, note;
};

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

std::vector<Expectation> expectations() {
  const char* env = std::getenv("VIGIL_SOURCE_DIR");
  std::ifstream in(fs::path(env ? env : VIGIL_SOURCE_DIR) / "tests/conf/samples.expected");
  std::vector<Expectation> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    size_t pos = 0;
    while (true) {
      size_t bar = line.find(" |", pos);
      cols.push_back(trim(line.substr(pos, bar == std::string::npos ? bar : bar - pos)));
      if (bar == std::string::npos) break;
      pos = bar + 2;
    }
    cols.resize(4);
    out.push_back({cols[0], cols[1], cols[2], cols[3]});
  }
  return out;
}

TEST(ConfSamples, EverySampleHasTheRecordedOutcome) {
  if (!fs::exists(kSamples)) GTEST_SKIP() << "keepalived samples not installed";
  auto exp = expectations();
  ASSERT_FALSE(exp.empty());
  std::set<std::string> covered;
  for (const auto& e : exp) {
    SCOPED_TRACE(e.file + " -i '" + e.config_id + "'");
    covered.insert(e.file);
    auto r = load_config_file((kSamples / e.file).string(), LoadOptions{e.config_id});
    std::string diag = r.diag.format(false);
    if (e.outcome == "valid") {
      EXPECT_TRUE(r.config.has_value()) << diag;
    } else if (e.outcome == "invalid") {
      EXPECT_FALSE(r.config.has_value()) << "expected a rejection: " << e.note;
    } else if (e.outcome == "lvs") {
      EXPECT_TRUE(r.config.has_value()) << diag;
    } else {
      ADD_FAILURE() << "unknown outcome `" << e.outcome << "`";
    }
  }
  // A new sample file must be added to the table.
  for (const auto& f : fs::directory_iterator(kSamples)) {
    auto name = f.path().filename().string();
    if (name.rfind("keepalived.conf", 0) == 0) {
      EXPECT_TRUE(covered.count(name)) << name << " is missing from samples.expected";
    }
  }
}

}  // namespace
}  // namespace vigil::conf
