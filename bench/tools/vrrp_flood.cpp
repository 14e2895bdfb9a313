// Flood sender for bench/flood.py: sends prebuilt Ethernet frames (hex on the command line, used
// round-robin) from one interface at a fixed rate through an AF_PACKET socket, in sendmmsg()
// batches paced against the monotonic clock. Python's one-send-per-frame loop tops out far
// below the 100,000 frames/s the hostile-input case needs.
// Usage: vrrp_flood IFNAME FRAMES_PER_SEC SECONDS HEXFRAME...
// Prints one line: sent=N seconds=S rate=R (frames/s actually reached).
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr size_t kBatch = 64;

double mono_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool from_hex(const char* hex, std::vector<uint8_t>& out) {
  const size_t n = std::strlen(hex);
  if (n % 2 != 0 || n < 28) return false;  // at least an Ethernet header
  for (size_t i = 0; i < n; i += 2) {
    char byte[3] = {hex[i], hex[i + 1], 0};
    char* end = nullptr;
    out.push_back(static_cast<uint8_t>(std::strtoul(byte, &end, 16)));
    if (*end != 0) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s IFNAME FRAMES_PER_SEC SECONDS HEXFRAME...\n", argv[0]);
    return 2;
  }
  const unsigned ifindex = if_nametoindex(argv[1]);
  const double rate = std::atof(argv[2]);
  const double seconds = std::atof(argv[3]);
  if (ifindex == 0 || rate <= 0 || seconds <= 0) {
    std::fprintf(stderr, "vrrp_flood: bad interface, rate or duration\n");
    return 2;
  }
  std::vector<std::vector<uint8_t>> frames(static_cast<size_t>(argc - 4));
  for (int i = 4; i < argc; ++i) {
    if (!from_hex(argv[i], frames[static_cast<size_t>(i - 4)])) {
      std::fprintf(stderr, "vrrp_flood: frame %d is not an even-length hex string\n", i - 3);
      return 2;
    }
  }
  const int fd = socket(AF_PACKET, SOCK_RAW, 0);  // protocol 0: send only, receive nothing
  if (fd < 0) {
    std::perror("vrrp_flood: socket");
    return 1;
  }
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_ifindex = static_cast<int>(ifindex);
  addr.sll_halen = ETH_ALEN;

  // One batch of messages over the frames, round-robin; reused for every sendmmsg().
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> msgs(kBatch);
  for (size_t i = 0; i < kBatch; ++i) {
    auto& f = frames[i % frames.size()];
    iov[i] = {f.data(), f.size()};
    msgs[i] = {};
    msgs[i].msg_hdr.msg_name = &addr;
    msgs[i].msg_hdr.msg_namelen = sizeof addr;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }

  const uint64_t total = static_cast<uint64_t>(rate * seconds);
  const double start = mono_seconds();
  uint64_t sent = 0;
  while (sent < total) {
    // Pace: never ahead of rate * elapsed; sleep off any lead of more than a batch.
    const double due = static_cast<double>(sent) / rate;
    const double lead = due - (mono_seconds() - start);
    if (lead > 0) {
      timespec ts{static_cast<time_t>(lead),
                  static_cast<long>((lead - static_cast<long>(lead)) * 1e9)};
      nanosleep(&ts, nullptr);
    }
    const unsigned n = static_cast<unsigned>(std::min<uint64_t>(kBatch, total - sent));
    const int r = sendmmsg(fd, msgs.data(), n, 0);
    if (r < 0) {
      if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) continue;  // qdisc full: retry
      std::perror("vrrp_flood: sendmmsg");
      return 1;
    }
    sent += static_cast<uint64_t>(r);
  }
  const double took = mono_seconds() - start;
  std::printf("sent=%llu seconds=%.3f rate=%.0f\n", static_cast<unsigned long long>(sent), took,
              static_cast<double>(sent) / took);
  return 0;
}
