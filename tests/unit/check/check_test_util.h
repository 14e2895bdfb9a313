// Helpers for checker tests: run one check to completion on a Loop (bounded), and a listening
// TCP socket to act as a peer.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <optional>

#include "check/checker.h"
#include "loop/loop.h"
#include "loop/timer.h"

namespace vigil::check::testutil {

// Runs one check like CheckerDriver does (the checker's timeout gives on_timeout()); nullopt
// only if nothing happened within `bound`.
inline std::optional<CheckResult> check_once(loop::Loop& loop, Checker& checker,
                                             Millis bound = Millis(15000)) {
  std::optional<CheckResult> result;
  loop::Timer deadline(loop, [&] {
    checker.cancel();
    result = checker.on_timeout();
    loop.stop();
  });
  deadline.arm_after(checker.timeout());
  checker.start([&](CheckResult r) {
    result = std::move(r);
    deadline.cancel();
    loop.stop();
  });
  loop.run_for(bound);
  return result;
}

inline IpAddress ip(const char* s) {
  return *IpAddress::parse(s);
}

// A TCP listener on 127.0.0.1 (or ::1) with a kernel-chosen port.
struct Listener {
  int fd = -1;
  uint16_t port = 0;
  explicit Listener(bool v6 = false) {
    fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_storage ss{};
    socklen_t len;
    if (v6) {
      auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
      s6->sin6_family = AF_INET6;
      s6->sin6_addr = in6addr_loopback;
      len = sizeof(*s6);
    } else {
      auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
      s4->sin_family = AF_INET;
      s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      len = sizeof(*s4);
    }
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&ss), len), 0);
    EXPECT_EQ(::listen(fd, 128), 0);
    len = sizeof(ss);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                    : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  }
  ~Listener() { close_now(); }
  void close_now() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// A port on which nothing listens (bound then closed: the kernel answers RST).
inline uint16_t closed_port() {
  Listener l;
  uint16_t p = l.port;
  return p;
}

}  // namespace vigil::check::testutil

#include <sys/socket.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace vigil::check::testutil {

// A tiny TCP server thread: for each connection, `serve(fd)` runs (read request, write reply);
// then the connection is closed. Stopped by shutting the listener down (wakes accept()).
struct TcpResponder {
  Listener listener;
  std::function<void(int)> serve;
  std::thread thread;
  std::atomic<int> connections{0};

  explicit TcpResponder(std::function<void(int)> s, bool v6 = false)
      : listener(v6), serve(std::move(s)) {
    thread = std::thread([this] {
      while (true) {
        int c = ::accept(listener.fd, nullptr, nullptr);
        if (c < 0) return;
        connections++;
        serve(c);
        ::close(c);
      }
    });
  }
  ~TcpResponder() {
    ::shutdown(listener.fd, SHUT_RDWR);
    thread.join();
  }
  uint16_t port() const { return listener.port; }
};

// Reads until the end of an HTTP request head (bounded by the peer closing).
inline std::string read_http_head(int fd) {
  std::string req;
  char buf[1024];
  while (req.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    req.append(buf, static_cast<size_t>(n));
  }
  return req;
}

// An HTTP responder answering every request with `status` and `body`; remembers the last
// request head.
struct HttpResponder {
  std::mutex mu;
  std::string last_request;
  TcpResponder server;
  HttpResponder(int status, std::string body)
      : server([this, status, body](int fd) {
          std::string req = read_http_head(fd);
          {
            std::lock_guard<std::mutex> l(mu);
            last_request = req;
          }
          std::string resp = "HTTP/1.0 " + std::to_string(status) +
                             " X\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\nConnection: close\r\n\r\n" + body;
          ::send(fd, resp.data(), resp.size(), MSG_NOSIGNAL);
        }) {}
  std::string request() {
    std::lock_guard<std::mutex> l(mu);
    return last_request;
  }
  uint16_t port() const { return server.port(); }
};

}  // namespace vigil::check::testutil
