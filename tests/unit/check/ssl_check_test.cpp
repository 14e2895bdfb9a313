// SSL_GET against `openssl s_server -www` (self-signed certificate: keepalived does not verify
// certificates, neither does vigil) in a private network namespace.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>

#include "../testing/netns.h"
#include "check/curl_multi.h"
#include "check/http_check.h"
#include "check_test_util.h"

extern char** environ;

namespace vigil::check {
namespace {

using namespace testutil;

pid_t spawn(std::vector<std::string> args, int stdout_fd = -1) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  int devnull = ::open("/dev/null", O_RDWR);
  posix_spawn_file_actions_adddup2(&fa, devnull, 0);
  posix_spawn_file_actions_adddup2(&fa, stdout_fd >= 0 ? stdout_fd : devnull, 1);
  posix_spawn_file_actions_adddup2(&fa, devnull, 2);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  ::close(devnull);
  return pid;
}

int wait_exit(pid_t pid) {
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct TlsServer {
  pid_t pid = -1;
  uint16_t port = 0;
  std::string dir;
  TlsServer() {
    char tmpl[] = "/tmp/vigil-tls-XXXXXX";
    dir = ::mkdtemp(tmpl);
    pid_t gen = spawn({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir + "/k.pem", "-out",
                       dir + "/c.pem", "-subj", "/CN=rs.example.test", "-days", "1"});
    EXPECT_EQ(wait_exit(gen), 0);
    port = closed_port();
    int pipefd[2];
    EXPECT_EQ(::pipe(pipefd), 0);
    pid = spawn({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                 dir + "/c.pem", "-key", dir + "/k.pem", "-www"},
                pipefd[1]);
    ::close(pipefd[1]);
    // s_server prints ACCEPT once it listens; wait for it, bounded.
    std::string out;
    while (out.find("ACCEPT") == std::string::npos &&
           vigil::testing::wait_readable(pipefd[0], Millis(10000))) {
      char buf[256];
      ssize_t n = ::read(pipefd[0], buf, sizeof(buf));
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    EXPECT_NE(out.find("ACCEPT"), std::string::npos) << out;
    ::close(pipefd[0]);
  }
  ~TlsServer() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    std::filesystem::remove_all(dir);
  }
};

HttpCheckOptions options(uint16_t port) {
  HttpCheckOptions o;
  o.ssl = true;
  o.target.address = ip("127.0.0.1");
  o.target.port = port;
  o.target.timeout = Millis(5000);
  conf::HttpUrl u;
  u.path = "/";
  o.urls.push_back(u);
  return o;
}

TEST(SslCheck, SucceedsAgainstATlsServerWithSni) {
  VIGIL_REQUIRE_ROOT();
  if (::access("/usr/bin/openssl", X_OK) != 0) GTEST_SKIP() << "openssl not installed";
  vigil::testing::run_in_netns([] {
    TlsServer server;
    loop::Loop loop;
    CurlMulti multi(loop);
    HttpCheckOptions o = options(server.port);
    o.enable_sni = true;
    o.urls[0].virtualhost = "rs.example.test";
    HttpCheck c(multi, o);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
  });
}

TEST(SslCheck, FailsAgainstAPlainHttpServer) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    // Answers plain HTTP at once, so the TLS handshake fails fast on the garbage.
    TcpResponder plain([](int fd) {
      std::string resp = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok";
      ::send(fd, resp.data(), resp.size(), MSG_NOSIGNAL);
      ::shutdown(fd, SHUT_WR);
      read_http_head(fd);
    });
    loop::Loop loop;
    CurlMulti multi(loop);
    HttpCheck c(multi, options(plain.port()));
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success) << r->message;
  });
}

}  // namespace
}  // namespace vigil::check
