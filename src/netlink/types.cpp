#include "netlink/types.h"

// <net/if.h> before <linux/if.h>: the other order breaks any later <net/if.h> in the same
// translation unit (unity builds). Its own include block keeps clang-format from reordering it.
#include <net/if.h>

#include <linux/if.h>
#include <charconv>
#include <cstdio>

namespace vigil::netlink {

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  MacAddress m;
  size_t pos = 0;
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0) {
      if (pos >= text.size() || (text[pos] != ':' && text[pos] != '-')) return std::nullopt;
      ++pos;
    }
    if (pos + 2 > text.size()) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + 2, v, 16);
    if (ec != std::errc{} || p != text.data() + pos + 2) return std::nullopt;
    m.bytes[i] = static_cast<uint8_t>(v);
    pos += 2;
  }
  if (pos != text.size()) return std::nullopt;
  return m;
}

std::string MacAddress::to_string() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                bytes[3], bytes[4], bytes[5]);
  return buf;
}

bool LinkInfo::is_up() const {
  if (!(flags & IFF_UP)) return false;
  // Oper state is authoritative when the driver reports it; "unknown" (lo, dummy, tun) falls
  // back to IFF_RUNNING, which is what the kernel derives from carrier for those.
  if (oper_state == IF_OPER_UP) return true;
  if (oper_state == IF_OPER_UNKNOWN) return (flags & IFF_RUNNING) != 0;
  return false;
}

}  // namespace vigil::netlink
