// The genhash tool against a real HTTP responder in a private network namespace: it must print
// the MD5 of the body, the value HTTP_GET's `digest` compares against.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include "../testing/netns.h"
#include "check_test_util.h"

extern char** environ;

namespace vigil::check {
namespace {

using namespace testutil;

// Runs argv, returns (exit status, stdout).
std::pair<int, std::string> run(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int p[2];
  EXPECT_EQ(::pipe(p), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(p[1]);
  std::string out;
  if (rc == 0) {
    char buf[512];
    while (vigil::testing::wait_readable(p[0], Millis(15000))) {
      ssize_t n = ::read(p[0], buf, sizeof(buf));
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(p[0]);
  int st = 0;
  if (rc == 0) ::waitpid(pid, &st, 0);
  return {rc == 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

const std::string kGenhash = std::string(VIGIL_BINARY_DIR) + "/genhash";

TEST(Genhash, PrintsTheBodyDigestAndSendsTheVirtualHost) {
  VIGIL_REQUIRE_ROOT();
  if (::access(kGenhash.c_str(), X_OK) != 0) GTEST_SKIP() << "genhash not built";
  vigil::testing::run_in_netns([] {
    HttpResponder server(200, "hello\n");
    auto [status, out] = run({kGenhash, "-s", "127.0.0.1", "-p", std::to_string(server.port()),
                              "-u", "/index.html", "-V", "www.example.test"});
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("MD5SUM = b1946ac92492d2347c6235b4d2611184"), std::string::npos) << out;
    EXPECT_NE(server.request().find("GET /index.html"), std::string::npos);
    EXPECT_NE(server.request().find("Host: www.example.test"), std::string::npos);
  });
}

TEST(Genhash, FailsWhenTheServerIsDown) {
  VIGIL_REQUIRE_ROOT();
  if (::access(kGenhash.c_str(), X_OK) != 0) GTEST_SKIP() << "genhash not built";
  vigil::testing::run_in_netns([] {
    auto [status, out] = run({kGenhash, "-s", "127.0.0.1", "-p", std::to_string(closed_port())});
    EXPECT_NE(status, 0);
    EXPECT_EQ(out.find("MD5SUM"), std::string::npos);
  });
}

TEST(Genhash, RejectsANonAddressServer) {
  if (::access(kGenhash.c_str(), X_OK) != 0) GTEST_SKIP() << "genhash not built";
  auto [status, out] = run({kGenhash, "-s", "not-an-address"});
  EXPECT_EQ(status, 2);
}

}  // namespace
}  // namespace vigil::check
