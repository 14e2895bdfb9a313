// `include` and its variants: relative paths, globs, missing files, cycles, depth.
#include <gtest/gtest.h>

#include "conf/reader.h"
#include "reader_test_support.h"

namespace vigil::conf {
namespace {

using testing::loc;
using testing::render;
using testing::TempDir;

struct FileRead {
  Tree tree;
  Diagnostics diag;
};

FileRead read_file(const std::string& path, ReadOptions options = {}) {
  options.config_id = "node1";
  FileRead r;
  r.tree = read_config_file(path, options, r.diag);
  return r;
}

TEST(ReaderInclude, RelativePathsAreRelativeToTheIncludingFile) {
  TempDir d;
  ASSERT_FALSE(d.path().empty());
  auto main = d.write("keepalived.conf", "global_defs {\n  include conf.d/defs.conf\n}\nz 1\n");
  d.write("conf.d/defs.conf", "router_id r1\ninclude more/x.conf\n");
  d.write("conf.d/more/x.conf", "  smtp_server 192.0.2.1\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false), "");
  EXPECT_EQ(render(r.tree), "global_defs\n  router_id r1\n  smtp_server 192.0.2.1\nz 1\n");
  const Node& smtp = r.tree.nodes[0].children[1];
  EXPECT_EQ(loc(smtp.loc()), d.path() + "/conf.d/more/x.conf:1:3");
}

TEST(ReaderInclude, GlobMatchesAreReadInSortedOrderWithBraces) {
  TempDir d;
  auto main = d.write("k.conf", "include \"c/*.conf\"\ninclude c/{x,y}.inc\n");
  d.write("c/b.conf", "b\n");
  d.write("c/a.conf", "a\n");
  d.write("c/skip.txt", "skip\n");
  d.write("c/y.inc", "y\n");
  d.write("c/x.inc", "x\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false), "");
  EXPECT_EQ(render(r.tree), "a\nb\nx\ny\n");
}

TEST(ReaderInclude, BlocksMaySpanIncludedFiles) {
  TempDir d;
  auto main = d.write("k.conf", "vrrp_instance A {\ninclude body.conf\n}\n");
  d.write("body.conf", "state MASTER\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false), "");
  EXPECT_EQ(render(r.tree), "vrrp_instance A\n  state MASTER\n");
}

TEST(ReaderInclude, MissingFileWarnsForPlainIncludeAndFailsForIncludea) {
  TempDir d;
  auto main = d.write("k.conf",
                      "include missing.conf\n"
                      "include none*.conf\n"
                      "includea missing.conf\n"
                      "includew none*.conf\n"
                      "includem none*.conf\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false),
            main + ":1:9: warning: include file `missing.conf` not found\n" + main +
                ":3:10: error: include file `missing.conf` not found\n" + main +
                ":4:10: error: no file matches include pattern `none*.conf`\n");
}

TEST(ReaderInclude, IncludeCheckMakesPlainIncludesStrictFromThatLineOn) {
  TempDir d;
  auto main = d.write("k.conf",
                      "include missing1.conf\n"
                      "global_defs {\n  include_check\n}\n"
                      "include missing2.conf\n"
                      "include none*.conf\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false),
            main + ":1:9: warning: include file `missing1.conf` not found\n" + main +
                ":5:9: error: include file `missing2.conf` not found\n" + main +
                ":6:9: error: no file matches include pattern `none*.conf`\n");
  // The keyword itself still reaches global_defs.
  EXPECT_EQ(render(r.tree), "global_defs\n  include_check\n");
}

TEST(ReaderInclude, IncludeCheckOptionsAddAndRemove) {
  TempDir d;
  auto main = d.write("k.conf",
                      "include_check match -wildcard_match\n"
                      "include none*.conf\n"
                      "include missing.conf\n"
                      "include_check -match +wildcard_match\n"
                      "include none*.conf\n"
                      "include_check bogus\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false),
            main + ":3:9: error: include file `missing.conf` not found\n" + main +
                ":5:9: error: no file matches include pattern `none*.conf`\n" + main +
                ":6:15: error: unknown include_check option `bogus`\n");
}

TEST(ReaderInclude, IncludeCheckSetInAnIncludedFileEndsWithThatFile) {
  TempDir d;
  auto main = d.write("k.conf", "include strict.conf\ninclude missing.conf\n");
  d.write("strict.conf", "include_check\ninclude gone.conf\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false),
            d.path() + "/strict.conf:2:9: error: include file `gone.conf` not found\n" + main +
                ":2:9: warning: include file `missing.conf` not found\n");
}

TEST(ReaderInclude, ParametersAreGlobalAndPwdIsTheCurrentFilesDirectory) {
  TempDir d;
  auto main = d.write("k.conf",
                      "$IF=eth3\n"
                      "@node1 include sub/${IF}.conf\n"
                      "@other include sub/never.conf\n"
                      "k ${_PWD}\n");
  d.write("sub/eth3.conf", "interface $IF\nscript \"${_PWD}/check.sh\"\n$IF=eth4\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false), "");
  EXPECT_EQ(render(r.tree),
            "interface eth3\nscript \"" + d.path() + "/sub/check.sh\"\nk " + d.path() + "\n");
}

TEST(ReaderInclude, IncludeWithoutPatternIsAnError) {
  auto r = testing::read("include\n");
  EXPECT_EQ(r.messages(),
            "/virtual/keepalived.conf:1:1: error: `include` needs a file name or pattern\n");
}

TEST(ReaderInclude, CyclesAreReportedAtTheIncludeLine) {
  TempDir d;
  auto main = d.write("k.conf", "a\ninclude other.conf\n");
  auto other = d.write("other.conf", "b\n  include k.conf\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false), other + ":2:11: error: include cycle: `" + d.path() +
                                      "/k.conf` is already being read\n");
  EXPECT_EQ(render(r.tree), "a\nb\n");
}

TEST(ReaderInclude, DepthIsLimited) {
  TempDir d;
  for (int i = 0; i < 10; ++i)
    d.write("f" + std::to_string(i) + ".conf",
            "x" + std::to_string(i) + "\ninclude f" + std::to_string(i + 1) + ".conf\n");
  d.write("f10.conf", "end\n");
  ReadOptions o;
  o.max_include_depth = 4;
  auto r = read_file(d.path() + "/f0.conf", o);
  EXPECT_EQ(r.diag.error_count(), 1u);
  EXPECT_EQ(r.diag.format(false),
            d.path() + "/f3.conf:2:9: error: includes nested more than 4 deep\n");
  EXPECT_EQ(render(r.tree), "x0\nx1\nx2\nx3\n");
}

TEST(ReaderInclude, UnreadableMainFileIsAnErrorNotACrash) {
  TempDir d;
  auto r = read_file(d.path() + "/nope.conf");
  EXPECT_TRUE(r.diag.has_errors());
  EXPECT_TRUE(r.tree.nodes.empty());
  auto r2 = read_file(d.path());  // a directory
  EXPECT_TRUE(r2.diag.has_errors());
}

TEST(ReaderInclude, DirectoryMatchIsNotReadable) {
  TempDir d;
  auto main = d.write("k.conf", "includer sub\n");
  d.write("sub/x", "x\n");
  auto r = read_file(main);
  EXPECT_EQ(r.diag.format(false), main + ":1:10: error: cannot read include file `" + d.path() +
                                      "/sub`: not a regular file\n");
}

}  // namespace
}  // namespace vigil::conf
