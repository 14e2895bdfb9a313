#include "netns.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "netlink/addresses.h"
#include "netlink/links.h"
#include "netlink/monitor.h"

namespace vigil::testing {

using namespace vigil::netlink;

namespace {

void write_sysctl(const std::string& path, const std::string& value) {
  std::ofstream f(path);
  f << value;
}

// Fresh-namespace set-up: lo up (multicast loop and 127.0.0.1 need it) and no IPv6 DAD, so
// link-local and test addresses are usable immediately instead of after ~1 s of DAD.
void prepare_namespace() {
  write_sysctl("/proc/sys/net/ipv6/conf/all/accept_dad", "0");
  write_sysctl("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
  auto s = RtnlSocket::open();
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto lo = get_link(*s, "lo");
  ASSERT_TRUE(lo.ok()) << lo.error().message;
  auto r = set_link_up(*s, lo->ifindex, true);
  ASSERT_TRUE(r.ok()) << r.error().message;
}

RtnlSocket rtnl() {
  auto s = RtnlSocket::open();
  if (!s) {
    ADD_FAILURE() << s.error().message;
    std::_Exit(3);
  }
  return std::move(*s);
}

}  // namespace

bool is_root() {
  return geteuid() == 0;
}

void run_in_netns(const std::function<void()>& body, std::chrono::seconds timeout) {
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0) << "fork failed";
  if (pid == 0) {
    alarm(static_cast<unsigned>(timeout.count()));  // a hung body dies with SIGALRM
    if (unshare(CLONE_NEWNET) != 0) {
      std::perror("unshare(CLONE_NEWNET)");
      std::_Exit(2);
    }
    prepare_namespace();
    if (!::testing::Test::HasFatalFailure()) body();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) FAIL() << "waitpid failed";
  }
  if (WIFSIGNALED(status)) {
    FAIL() << "namespace child died of signal " << WTERMSIG(status)
           << (WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
  }
  EXPECT_EQ(WEXITSTATUS(status), 0) << "namespace child reported failures (see above)";
}

int current_netns_fd() {
  int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0);
  return fd;
}

int new_netns() {
  int here = current_netns_fd();
  EXPECT_EQ(unshare(CLONE_NEWNET), 0);
  prepare_namespace();
  int fresh = current_netns_fd();
  EXPECT_EQ(setns(here, CLONE_NEWNET), 0);
  close(here);
  return fresh;
}

void in_netns(int ns_fd, const std::function<void()>& f) {
  int here = current_netns_fd();
  EXPECT_EQ(setns(ns_fd, CLONE_NEWNET), 0);
  f();
  EXPECT_EQ(setns(here, CLONE_NEWNET), 0);
  close(here);
}

void create_veth(const std::string& name, const std::string& peer, int peer_ns_fd) {
  auto s = rtnl();
  RequestBuffer req;
  auto* ifi =
      static_cast<ifinfomsg*>(req.start(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  nlmsghdr* nlh = req.header();
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  nlattr* peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
  auto* peer_ifi = static_cast<ifinfomsg*>(mnl_nlmsg_get_payload_tail(nlh));
  nlh->nlmsg_len += MNL_ALIGN(sizeof(ifinfomsg));
  *peer_ifi = ifinfomsg{};
  mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.c_str());
  if (peer_ns_fd >= 0) mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(peer_ns_fd));
  mnl_attr_nest_end(nlh, peer_nest);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  auto r = s.request(nlh, {}, "create veth");
  ASSERT_TRUE(r.ok()) << r.error().message;
  // Up only after creation: a veth end cannot open before its peer exists (ENOTCONN).
  auto up = [](const std::string& ifname) {
    auto ps = rtnl();
    auto l = get_link(ps, ifname);
    ASSERT_TRUE(l.ok()) << l.error().message;
    auto u = set_link_up(ps, l->ifindex, true);
    ASSERT_TRUE(u.ok()) << u.error().message;
  };
  up(name);
  if (peer_ns_fd >= 0)
    in_netns(peer_ns_fd, [&] { up(peer); });
  else
    up(peer);
}

void create_test_link(const std::string& name) {
  auto s = rtnl();
  RequestBuffer req;
  auto* ifi =
      static_cast<ifinfomsg*>(req.start(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_flags = ifi->ifi_change = IFF_UP;
  nlmsghdr* nlh = req.header();
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
  mnl_attr_nest_end(nlh, linkinfo);
  auto r = s.request(nlh, {}, "create bridge");
  ASSERT_TRUE(r.ok()) << r.error().message;
}

int ifindex_of(const std::string& name) {
  auto s = rtnl();
  auto l = get_link(s, name);
  EXPECT_TRUE(l.ok()) << (l.ok() ? "" : l.error().message);
  return l.ok() ? l->ifindex : 0;
}

MacAddress mac_of(const std::string& name) {
  auto s = rtnl();
  auto l = get_link(s, name);
  EXPECT_TRUE(l.ok() && l->mac) << name;
  return l.ok() && l->mac ? *l->mac : MacAddress{};
}

void add_test_address(const std::string& ifname, const std::string& prefix) {
  auto s = rtnl();
  auto p = IpPrefix::parse(prefix);
  ASSERT_TRUE(p.has_value()) << prefix;
  AddressSpec spec;
  spec.ifindex = ifindex_of(ifname);
  spec.prefix = *p;
  spec.nodad = p->address.is_v6();
  auto r = add_address(s, spec);
  ASSERT_TRUE(r.ok()) << r.error().message;
}

void wait_link_up(const std::string& ifname, std::chrono::milliseconds timeout) {
  auto mon = LinkMonitor::open();
  ASSERT_TRUE(mon.ok()) << mon.error().message;
  auto s = rtnl();
  // Subscribed first, then checked: an event between the two is not lost.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto l = get_link(s, ifname);
    ASSERT_TRUE(l.ok()) << l.error().message;
    if (l->is_up()) return;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    ASSERT_GT(left.count(), 0) << ifname << " did not come up";
    if (wait_readable(mon->fd(), left)) (void)mon->handle_readable();
  }
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  do {
    rc = poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  return rc > 0 && (p.revents & POLLIN);
}

}  // namespace vigil::testing
