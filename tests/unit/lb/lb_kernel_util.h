// Kernel-test helpers for the lb tests (inside run_in_netns bodies): bridges, routes,
// sysctls, and tiny TCP servers that answer each connection with their name.
#pragma once

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "netlink/routes.h"
#include "netlink/rtnl_socket.h"
#include "../testing/netns.h"

namespace vigil::lb::testing {

inline void write_sysctl(const std::string& path, const std::string& value) {
  std::ofstream f(path);
  f << value;
  EXPECT_TRUE(f.good()) << path;
}

// `ip link set IF master BR`.
inline void set_master(const std::string& ifname, const std::string& master) {
  auto s = netlink::RtnlSocket::open();
  ASSERT_TRUE(s.ok()) << s.error().message;
  netlink::RequestBuffer req;
  auto* ifi = static_cast<ifinfomsg*>(req.start(RTM_NEWLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = vigil::testing::ifindex_of(ifname);
  mnl_attr_put_u32(req.header(), IFLA_MASTER,
                   static_cast<uint32_t>(vigil::testing::ifindex_of(master)));
  auto r = s->request(req.header(), {}, "set master");
  ASSERT_TRUE(r.ok()) << r.error().message;
}

inline void add_default_route(const std::string& gateway) {
  auto s = netlink::RtnlSocket::open();
  ASSERT_TRUE(s.ok()) << s.error().message;
  netlink::RouteSpec spec;
  spec.destination = *IpPrefix::parse("0.0.0.0/0");
  spec.via = IpAddress::parse(gateway);
  auto r = netlink::add_route(*s, spec);
  ASSERT_TRUE(r.ok()) << r.error().message;
}

// Listens on 0.0.0.0:port in the namespace current at construction; every connection gets
// `name` and is closed. Records the local address each connection was made to.
class NameServer {
 public:
  NameServer(std::string name, uint16_t port) : name_(std::move(name)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd_, 128), 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~NameServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::map<std::string, int> local_addresses() {
    std::lock_guard<std::mutex> l(mu_);
    return local_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      sockaddr_in local{};
      socklen_t len = sizeof local;
      getsockname(c, reinterpret_cast<sockaddr*>(&local), &len);
      char buf[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &local.sin_addr, buf, sizeof buf);
      {
        std::lock_guard<std::mutex> l(mu_);
        ++local_[buf];
      }
      (void)!write(c, name_.data(), name_.size());
      close(c);
    }
  }

  std::string name_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, int> local_;
};

// Connects (in the current namespace) and returns what the server sent; "" on failure.
inline std::string fetch(const std::string& address, uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{3, 0};  // bounds connect and recv: a broken data plane fails, never hangs
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, address.c_str(), &a.sin_addr);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    char buf[64];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace vigil::lb::testing
