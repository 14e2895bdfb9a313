// The supervisor's relay pieces on a real Loop: a control server answering later
// (ControlServer::open_async) and relay_request() to another server, with its errors.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "control/protocol.h"
#include "control/relay_client.h"
#include "control/server.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::control {
namespace {

using nlohmann::json;

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vigil-relay-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// Replies arrive 50 ms after each request, so a pipelined second request waits its turn.
TEST_F(RelayTest, AsyncServerAnswersInOrderAndRelayGetsTheReply) {
  loop::Loop loop;
  std::vector<std::unique_ptr<loop::Timer>> timers;
  std::string error;
  ControlServerOptions so;
  so.path = dir_ + "/async.ctl";
  so.mode = 0600;
  auto server = ControlServer::open_async(
      loop,
      [&](const std::string& line, ReplyFn reply) {
        auto t = std::make_unique<loop::Timer>(loop, [line, reply] {
          reply(ok_reply({{"echo", json::parse(line)}}));
        });
        t->arm_after(Millis(50));
        timers.push_back(std::move(t));
      },
      so, error);
  ASSERT_TRUE(server) << error;
  EXPECT_EQ(std::filesystem::status(so.path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // Two requests in one write on one connection.
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", so.path.c_str());
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string two = "{\"command\":\"a\",\"id\":1}\n{\"command\":\"b\",\"id\":2}\n";
  ASSERT_EQ(::write(fd, two.data(), two.size()), static_cast<ssize_t>(two.size()));

  std::optional<json> relayed;
  std::string relay_error;
  relay_request(loop, so.path, json{{"command", "c"}}, Millis(2000),
                [&](std::optional<json> r, std::string e) {
                  relayed = std::move(r);
                  relay_error = std::move(e);
                });
  std::string got;
  loop::Timer bound(loop, [&] { loop.stop(); });
  bound.arm_after(Millis(5000));
  while (bound.armed() && (std::count(got.begin(), got.end(), '\n') < 2 || !relayed)) {
    loop.run_for(Millis(20));
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  auto nl = got.find('\n');
  ASSERT_NE(nl, std::string::npos) << got;
  EXPECT_EQ(json::parse(got.substr(0, nl))["echo"]["command"], "a");
  EXPECT_EQ(json::parse(got.substr(nl + 1))["echo"]["command"], "b");
  ASSERT_TRUE(relayed) << relay_error;
  EXPECT_EQ((*relayed)["echo"]["command"], "c");
}

TEST_F(RelayTest, RelaySaysNotRunningAndTimesOut) {
  loop::Loop loop;
  std::string error;
  ControlServerOptions so;
  so.path = dir_ + "/silent.ctl";
  // Never answers: the relay's bound must.
  auto server = ControlServer::open_async(
      loop, [](const std::string&, ReplyFn) {}, so, error);
  ASSERT_TRUE(server) << error;
  std::vector<std::string> errors;
  int pending = 2;
  auto done = [&](std::optional<json> r, std::string e) {
    EXPECT_FALSE(r);
    errors.push_back(e);
    if (--pending == 0) loop.stop();
  };
  relay_request(loop, dir_ + "/absent.ctl", json{{"command", "status"}}, Millis(200), done);
  relay_request(loop, so.path, json{{"command", "status"}}, Millis(200), done);
  loop.run_for(Millis(5000));
  ASSERT_EQ(errors.size(), 2u);
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ(errors[0], "no answer within 200 ms");
  EXPECT_EQ(errors[1], "not running");
}

}  // namespace
}  // namespace vigil::control
