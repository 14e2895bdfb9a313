// The control socket on a real Loop, with vigilctl's client talking to it from a thread.
#include "control/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "control/client.h"
#include "control/dumps.h"
#include "loop/loop.h"

namespace vigil::control {
namespace {

using nlohmann::json;

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vigil-ctl-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/vigild.ctl";
    registry_.add("echo", [](const Request& r) { return ok_reply({{"body", r.body}}); });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `client` on a thread while the loop serves; returns once the client is done.
  template <typename F>
  void with_client(loop::Loop& loop, F client) {
    std::atomic<bool> done{false};
    std::thread t([&] {
      client();
      done = true;
      loop.post([&loop] { loop.stop(); });
    });
    loop.run_for(Millis(10000));
    t.join();
    EXPECT_TRUE(done.load());
  }

  std::string dir_, path_;
  CommandRegistry registry_;
};

TEST_F(ControlServerTest, AnswersRequestsAndSurvivesGarbage) {
  loop::Loop loop;
  std::string error;
  auto server = ControlServer::open(loop, registry_, {path_, std::nullopt, 16}, error);
  ASSERT_TRUE(server) << error;
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);

  ClientResult a, b, c;
  std::string raw_reply;
  with_client(loop, [&] {
    a = send_request(path_, {{"command", "echo"}, {"x", 1}});
    b = send_request(path_, {{"command", "nope"}});
    // Raw garbage, then a valid request on the same connection.
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      std::string req = "{garbage\n{\"command\":\"echo\",\"id\":2}\n";
      (void)::write(fd, req.data(), req.size());
      char buf[4096];
      while (std::count(raw_reply.begin(), raw_reply.end(), '\n') < 2) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        raw_reply.append(buf, static_cast<size_t>(n));
      }
    }
    ::close(fd);
    c = send_request(path_, {{"command", "echo"}, {"after", true}});
  });
  ASSERT_EQ(a.error, ClientResult::Error::None) << a.message;
  EXPECT_TRUE(a.reply["ok"].get<bool>());
  EXPECT_EQ(a.reply["body"]["x"], 1);
  EXPECT_EQ(b.reply["error"], "unknown command \"nope\"");
  auto nl = raw_reply.find('\n');
  ASSERT_NE(nl, std::string::npos) << raw_reply;
  EXPECT_EQ(json::parse(raw_reply.substr(0, nl))["error"], "malformed JSON");
  EXPECT_EQ(json::parse(raw_reply.substr(nl + 1))["id"], 2);
  EXPECT_TRUE(c.reply["ok"].get<bool>());
}

TEST_F(ControlServerTest, OversizedRequestGetsAnErrorAndTheConnectionCloses) {
  loop::Loop loop;
  std::string error;
  auto server = ControlServer::open(loop, registry_, {path_, std::nullopt, 16}, error);
  ASSERT_TRUE(server) << error;
  std::string reply;
  with_client(loop, [&] {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    std::string blob(kMaxRequestBytes + 4096, 'x');  // no newline at all
    size_t off = 0;
    while (off < blob.size()) {
      ssize_t n = ::send(fd, blob.data() + off, blob.size() - off, MSG_NOSIGNAL);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;  // the server closed
      reply.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
  });
  EXPECT_NE(reply.find("request too large"), std::string::npos) << reply;
}

TEST_F(ControlServerTest, ClientSaysWhenNoDaemonRuns) {
  ClientResult r = send_request(dir_ + "/absent.ctl", {{"command", "status"}});
  EXPECT_EQ(r.error, ClientResult::Error::NotRunning);
  EXPECT_NE(r.message.find("not running"), std::string::npos);
}

TEST_F(ControlServerTest, StaleSocketIsReplacedLiveOneIsNot) {
  {
    // A socket file nobody listens on (as left by a killed daemon).
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
  }
  loop::Loop loop;
  std::string error;
  auto first = ControlServer::open(loop, registry_, {path_, std::nullopt, 16}, error);
  ASSERT_TRUE(first) << error;
  auto second = ControlServer::open(loop, registry_, {path_, std::nullopt, 16}, error);
  EXPECT_FALSE(second);
  EXPECT_NE(error.find("another daemon"), std::string::npos) << error;
  first.reset();
  EXPECT_FALSE(std::filesystem::exists(path_));  // removed on shutdown
}

TEST_F(ControlServerTest, PrivateFileIsWrittenWith0600AndReplacesSymlinks) {
  const std::string target = dir_ + "/victim";
  const std::string path = dir_ + "/keepalived.data";
  ASSERT_TRUE(std::filesystem::exists(dir_));
  { std::ofstream(target) << "precious"; }
  std::filesystem::create_symlink(target, path);
  ASSERT_EQ(write_private_file(path, "hello\n"), "");
  struct stat st {};
  ASSERT_EQ(::lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(target);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "precious");
  EXPECT_NE(write_private_file(dir_ + "/missing/dir/file", "x"), "");
}

}  // namespace
}  // namespace vigil::control
