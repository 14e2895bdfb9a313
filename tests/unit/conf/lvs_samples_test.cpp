// Every LVS section of keepalived's shipped sample configurations parses without errors.
#include <gtest/gtest.h>

#include <filesystem>

#include "conf/parse_lvs.h"
#include "conf/reader.h"

namespace vigil::conf {
namespace {

constexpr const char* kSamples = "/usr/share/doc/keepalived/samples";

TEST(LvsSamples, LvsSectionsOfKeepalivedSamplesParse) {
  if (!std::filesystem::is_directory(kSamples)) GTEST_SKIP() << kSamples << " not installed";
  size_t virtual_servers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSamples)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".gz" ||
        entry.path().extension() == ".sh")
      continue;
    Diagnostics read_diag;
    ReadOptions opts;
    opts.config_id = "main";
    Tree tree = read_config_file(entry.path().string(), opts, read_diag);
    Diagnostics diag;
    ParseContext ctx(diag);
    LvsConfig lvs;
    for (const Node& n : tree.nodes) parse_lvs_section(n, lvs, ctx);
    validate_lvs(lvs, LvsExternalNames{}, ctx);
    EXPECT_FALSE(diag.has_errors()) << entry.path() << "\n" << diag.format();
    virtual_servers += lvs.virtual_servers.size();
  }
  EXPECT_GT(virtual_servers, 10u);  // the samples really were read
}

}  // namespace
}  // namespace vigil::conf
