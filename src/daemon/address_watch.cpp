#include "daemon/address_watch.h"

#include <limits>
#include <variant>

#include <spdlog/spdlog.h>

#include "loop/fd_watch.h"
#include "loop/loop.h"
#include "netlink/addresses.h"
#include "netlink/monitor.h"
#include "netlink/rtnl_socket.h"

namespace vigil::daemon {

AddressWatch::AddressWatch(loop::Loop& loop, std::function<void()> changed)
    : loop_(loop), changed_(std::move(changed)) {}

AddressWatch::~AddressWatch() {
  watch_.reset();
}

std::unique_ptr<AddressWatch> AddressWatch::open(loop::Loop& loop, std::function<void()> changed,
                                                 std::string& error) {
  std::unique_ptr<AddressWatch> w(new AddressWatch(loop, std::move(changed)));
  // Subscribe before the dump, so nothing between the two is lost.
  auto mon = netlink::LinkMonitor::open();
  if (!mon) {
    error = "cannot open rtnetlink monitor: " + mon.error().message;
    return nullptr;
  }
  w->monitor_ = std::make_unique<netlink::LinkMonitor>(std::move(*mon));
  if (!w->dump(error)) return nullptr;
  AddressWatch* raw = w.get();
  w->watch_ =
      std::make_unique<loop::FdWatch>(loop, w->monitor_->fd(), [raw] { raw->on_readable(); });
  return w;
}

bool AddressWatch::dump(std::string& error) {
  auto sock = netlink::RtnlSocket::open();
  if (!sock) {
    error = "cannot open rtnetlink: " + sock.error().message;
    return false;
  }
  auto list = netlink::list_addresses(*sock, 0);
  if (!list) {
    error = "cannot list addresses: " + list.error().message;
    return false;
  }
  addresses_.clear();
  for (const auto& a : *list) addresses_.emplace(a.prefix.address, a.ifindex);
  return true;
}

bool AddressWatch::present(const IpAddress& address) const {
  auto it = addresses_.lower_bound({address, std::numeric_limits<int>::min()});
  return it != addresses_.end() && it->first == address;
}

void AddressWatch::on_readable() {
  bool changed = false;
  for (auto& ev : monitor_->handle_readable()) {
    if (auto* add = std::get_if<netlink::AddressAdded>(&ev)) {
      changed |= addresses_.emplace(add->prefix.address, add->ifindex).second;
    } else if (auto* del = std::get_if<netlink::AddressRemoved>(&ev)) {
      changed |= addresses_.erase({del->prefix.address, del->ifindex}) > 0;
    } else if (auto* gone = std::get_if<netlink::LinkRemoved>(&ev)) {
      // The kernel drops a removed link's addresses without one event per address.
      for (auto it = addresses_.begin(); it != addresses_.end();)
        if (it->second == gone->ifindex) {
          it = addresses_.erase(it);
          changed = true;
        } else {
          ++it;
        }
    } else if (std::holds_alternative<netlink::ResyncNeeded>(ev)) {
      std::string error;
      if (!dump(error)) spdlog::warn("address watch: {}", error);
      changed = true;
    }
  }
  if (changed && changed_) changed_();
}

}  // namespace vigil::daemon
