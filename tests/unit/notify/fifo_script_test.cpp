#include "notify/fifo_script.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::notify {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FifoScript, AnExitingScriptIsStartedAgainUntilStopped) {
  char dir[] = "/tmp/vigil-fifo-script-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string out = std::string(dir) + "/runs";
  loop::Loop loop;
  loop::ChildSpec spec;
  // Each run appends its last argument (the FIFO path) and exits at once.
  spec.argv = {"/bin/sh", "-c", "echo \"$0\" >> " + out + "; exit 3", "/run/x.fifo"};
  FifoScript script(loop, spec, "test-reader",
                    RestartBackoff({Millis(5), Millis(20), Millis(60'000)}));
  script.start();
  // Bounded wait for the third restart; the loop wakes up for each exit and restart timer.
  for (int i = 0; i < 500 && script.restarts() < 3; ++i) loop.run_for(Millis(10));
  ASSERT_GE(script.restarts(), 3u);
  script.stop();
  for (int i = 0; i < 500 && script.pid() != -1; ++i) loop.run_for(Millis(10));
  EXPECT_EQ(script.pid(), -1);
  // Stopped: no further run, however long the loop goes on.
  const unsigned after_stop = script.restarts();
  loop.run_for(Millis(50));
  EXPECT_EQ(script.restarts(), after_stop);
  const std::string runs = read_file(out);
  EXPECT_NE(runs.find("/run/x.fifo\n/run/x.fifo\n/run/x.fifo\n"), std::string::npos) << runs;
  std::remove(out.c_str());
  ::rmdir(dir);
}

}  // namespace
}  // namespace vigil::notify
