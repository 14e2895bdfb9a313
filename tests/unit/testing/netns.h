// Network-namespace sandbox for kernel-touching C++ tests. The test process itself never
// changes namespace: run_in_netns() forks a child that unshare(CLONE_NEWNET)s, brings lo up,
// runs the body and reports gtest failures back through its exit status. Inside the body,
// extra namespaces (made with new_netns()) are handled by fd, so two "hosts" joined by a veth
// can be driven from one single-threaded body.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "netlink/rtnl_socket.h"
#include "netlink/types.h"

namespace vigil::testing {

bool is_root();

// Use at the top of a TEST: skips unless the process may create namespaces.
#define VIGIL_REQUIRE_ROOT() \
  if (!::vigil::testing::is_root()) GTEST_SKIP() << "needs root (network namespaces)"

// Forks; the child enters a fresh network namespace (lo up, IPv6 DAD off), runs `body` and
// exits. Any gtest failure in the child (or a crash, or exceeding `timeout`) fails the test.
void run_in_netns(const std::function<void()>& body,
                  std::chrono::seconds timeout = std::chrono::seconds(20));

// --- helpers for use inside a body ---

// An fd for the current namespace (caller closes).
int current_netns_fd();
// Creates another namespace (lo up, DAD off) and returns its fd; stays in the current one.
int new_netns();
// Runs f with the calling thread in namespace `ns_fd`, then switches back.
void in_netns(int ns_fd, const std::function<void()>& f);

// `ip link add NAME type veth peer name PEER [netns PEER_NS]`; both ends are set up.
void create_veth(const std::string& name, const std::string& peer, int peer_ns_fd = -1);
// A standalone Ethernet-like link, set up: a port-less bridge (the dummy driver is missing on
// some test kernels). It has a MAC but no carrier.
void create_test_link(const std::string& name);
int ifindex_of(const std::string& name);
netlink::MacAddress mac_of(const std::string& name);
// Adds an address (IPv6 without DAD) and asserts success.
void add_test_address(const std::string& ifname, const std::string& prefix);
// Waits (poll on a monitor, bounded) until `ifname` is operationally up.
void wait_link_up(const std::string& ifname,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

// poll() for readability of fd with a bounded timeout.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace vigil::testing
