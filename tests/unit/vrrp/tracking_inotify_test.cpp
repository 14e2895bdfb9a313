#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "conf/load.h"
#include "loop/loop.h"
#include "vrrp/tracking.h"

namespace vigil::vrrp {
namespace {

void write_value(const std::string& path, int v) {
  std::ofstream(path) << v << "\n";
}

TEST(TrackersInotify, AnEventRereadsOnlyTheFileItNames) {
  char watched[] = "/tmp/vigil-track-XXXXXX";
  char elsewhere[] = "/tmp/vigil-track-other-XXXXXX";
  ASSERT_NE(::mkdtemp(watched), nullptr);
  ASSERT_NE(::mkdtemp(elsewhere), nullptr);
  const std::string a = std::string(watched) + "/a";
  const std::string b = std::string(watched) + "/b";  // a symlink to a file elsewhere
  const std::string b_target = std::string(elsewhere) + "/b";
  write_value(a, 1);
  write_value(b_target, 2);
  ASSERT_EQ(::symlink(b_target.c_str(), b.c_str()), 0);
  const std::string text =
      "track_file a {\n  file \"" + a + "\"\n}\ntrack_file b {\n  file \"" + b + "\"\n}\n";
  conf::LoadResult r = conf::load_config_text("/test/keepalived.conf", text, {});
  ASSERT_TRUE(r.config);
  loop::Loop loop;
  int changes = 0;
  Trackers trackers(loop, *r.config, [&] {
    ++changes;
    loop.stop();
  });
  trackers.start();
  EXPECT_EQ(trackers.file_value("a"), 1);
  EXPECT_EQ(trackers.file_value("b"), 2);
  // b's content changes where no watch sees it; then a is written in the watched directory.
  write_value(b_target, 20);
  write_value(a, 10);
  loop.run_for(Millis(5000));  // bounded; the change callback stops the loop
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(trackers.file_value("a"), 10);
  // b was not named by any event: not re-read (it still holds the value seen at start).
  EXPECT_EQ(trackers.file_value("b"), 2);
  // An event naming b (the link itself replaced) re-reads it.
  ::unlink(b.c_str());
  ASSERT_EQ(::symlink(b_target.c_str(), b.c_str()), 0);
  loop.run_for(Millis(5000));
  EXPECT_EQ(trackers.file_value("b"), 20);
  trackers.stop();
  ::unlink(b.c_str());
  ::unlink(a.c_str());
  ::unlink(b_target.c_str());
  ::rmdir(watched);
  ::rmdir(elsewhere);
}

}  // namespace
}  // namespace vigil::vrrp
