// Runs every configuration in tests/conf: valid/NAME.conf must load and match NAME.json
// (to_json); invalid/NAME.conf must fail with exactly the diagnostics in NAME.expected
// (first lines only). VIGIL_UPDATE_GOLDEN=1 rewrites the expected files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conf/load.h"

namespace vigil::conf {
namespace {

namespace fs = std::filesystem;

fs::path corpus_dir() {
  const char* env = std::getenv("VIGIL_SOURCE_DIR");
  return fs::path(env ? env : VIGIL_SOURCE_DIR) / "tests" / "conf";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool update_golden() {
  const char* v = std::getenv("VIGIL_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

std::vector<fs::path> confs(const char* sub) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(corpus_dir() / sub))
    if (e.path().extension() == ".conf") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

LoadResult load(const fs::path& p, const char* sub) {
  std::string rel = std::string(sub) + "/" + p.filename().string();
  return load_config_text(rel, slurp(p), LoadOptions{});
}

TEST(ConfCorpus, ValidConfigsMatchJson) {
  auto files = confs("valid");
  ASSERT_FALSE(files.empty());
  for (const auto& p : files) {
    SCOPED_TRACE(p.string());
    auto r = load(p, "valid");
    ASSERT_TRUE(r.config.has_value()) << r.diag.format(false);
    // Files named lvs_* cover the LVS part; the others leave it out so that their goldens do
    // not change with every LVS keyword added.
    auto dump = to_json(*r.config);
    if (p.filename().string().rfind("lvs_", 0) != 0) dump.erase("lvs");
    std::string got = dump.dump(2) + "\n";
    fs::path golden = p;
    golden.replace_extension(".json");
    if (update_golden()) {
      std::ofstream(golden) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "missing " << golden << " (VIGIL_UPDATE_GOLDEN=1)";
    EXPECT_EQ(got, slurp(golden));
  }
}

// A valid config's warnings are part of its contract too: NAME.warnings holds them, and a
// config without that file must load without any.
TEST(ConfCorpus, ValidConfigsReportExpectedWarnings) {
  for (const auto& p : confs("valid")) {
    SCOPED_TRACE(p.string());
    auto r = load(p, "valid");
    std::string got = r.diag.format(false);
    fs::path golden = p;
    golden.replace_extension(".warnings");
    if (update_golden()) {
      if (!got.empty()) std::ofstream(golden) << got;
      continue;
    }
    EXPECT_EQ(got, fs::exists(golden) ? slurp(golden) : std::string());
  }
}

TEST(ConfCorpus, InvalidConfigsReportExpectedDiagnostics) {
  auto files = confs("invalid");
  ASSERT_FALSE(files.empty());
  for (const auto& p : files) {
    SCOPED_TRACE(p.string());
    auto r = load(p, "invalid");
    EXPECT_FALSE(r.config.has_value());
    EXPECT_TRUE(r.diag.has_errors());
    std::string got = r.diag.format(false);
    fs::path golden = p;
    golden.replace_extension(".expected");
    if (update_golden()) {
      std::ofstream(golden) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "missing " << golden << " (VIGIL_UPDATE_GOLDEN=1)";
    EXPECT_EQ(got, slurp(golden));
  }
}

}  // namespace
}  // namespace vigil::conf
