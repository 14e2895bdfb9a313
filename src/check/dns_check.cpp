#include "check/dns_check.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>
#include <mutex>

#include "loop/loop.h"

namespace vigil::check {
namespace {

void library_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

uint16_t read16(const unsigned char* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

}  // namespace

int dns_type_code(conf::DnsQueryType t) {
  switch (t) {
    case conf::DnsQueryType::A:
      return 1;
    case conf::DnsQueryType::NS:
      return 2;
    case conf::DnsQueryType::CNAME:
      return 5;
    case conf::DnsQueryType::SOA:
      return 6;
    case conf::DnsQueryType::MX:
      return 15;
    case conf::DnsQueryType::TXT:
      return 16;
    case conf::DnsQueryType::AAAA:
      return 28;
  }
  return 6;
}

bool dns_answer_has_type(std::span<const unsigned char> response, int rr_type, std::string& why) {
  const unsigned char* buf = response.data();
  const int len = static_cast<int>(response.size());
  if (len < 12) {
    why = "short response";
    return false;
  }
  int qdcount = read16(buf + 4);
  int ancount = read16(buf + 6);
  const unsigned char* p = buf + 12;
  // Names are skipped with c-ares' own decompressor, which bounds-checks pointers.
  auto skip_name = [&](const unsigned char*& at) {
    char* name = nullptr;
    long enclen = 0;
    if (ares_expand_name(at, buf, len, &name, &enclen) != ARES_SUCCESS) return false;
    ares_free_string(name);
    at += enclen;
    return true;
  };
  for (int i = 0; i < qdcount; ++i) {
    if (!skip_name(p) || p + 4 > buf + len) {
      why = "malformed question";
      return false;
    }
    p += 4;
  }
  for (int i = 0; i < ancount; ++i) {
    if (!skip_name(p) || p + 10 > buf + len) {
      why = "malformed answer";
      return false;
    }
    int type = read16(p);
    int rdlen = read16(p + 8);
    p += 10;
    if (p + rdlen > buf + len) {
      why = "malformed answer";
      return false;
    }
    if (type == rr_type) return true;
    p += rdlen;
  }
  why = ancount == 0 ? "no answer" : "no answer of the queried type";
  return false;
}

DnsCheck::DnsCheck(loop::Loop& loop, CheckTarget target, conf::DnsQueryType type, std::string name)
    : loop_(loop),
      target_(std::move(target)),
      type_(type),
      name_(std::move(name)),
      timer_(loop, [this] { process(ARES_SOCKET_BAD, ARES_SOCKET_BAD); }) {
  library_init_once();
}

DnsCheck::~DnsCheck() {
  cancel();
}

bool DnsCheck::open_channel(std::string& error) {
  ares_options opts{};
  opts.sock_state_cb = &DnsCheck::on_sock_state;
  opts.sock_state_cb_data = this;
  opts.timeout = static_cast<int>(std::chrono::duration_cast<Millis>(target_.timeout).count());
  opts.tries = 1;
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP;
  char lookups[] = "b";
  opts.lookups = lookups;
  int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
             ARES_OPT_LOOKUPS;
  int rc = ares_init_options(&channel_, &opts, mask);
  if (rc != ARES_SUCCESS) {
    channel_ = nullptr;
    error = std::string("ares_init: ") + ares_strerror(rc);
    return false;
  }
  ares_addr_port_node server{};
  server.family = target_.address.is_v4() ? AF_INET : AF_INET6;
  if (target_.address.is_v4())
    server.addr.addr4 = target_.address.to_in_addr();
  else
    std::memcpy(&server.addr.addr6, target_.address.data(), 16);
  server.udp_port = target_.port;
  server.tcp_port = target_.port;
  rc = ares_set_servers_ports(channel_, &server);
  if (rc != ARES_SUCCESS) {
    error = std::string("ares_set_servers: ") + ares_strerror(rc);
    close_channel();
    return false;
  }
  if (target_.bindto) {
    if (target_.bindto->is_v4())
      ares_set_local_ip4(channel_, target_.bindto->v4_host_order());
    else
      ares_set_local_ip6(channel_, target_.bindto->data());
  }
  if (target_.bind_if) ares_set_local_dev(channel_, target_.bind_if->c_str());
  ares_set_socket_configure_callback(channel_, &DnsCheck::on_socket_created, this);
  return true;
}

int DnsCheck::on_socket_created(ares_socket_t fd, int, void* data) {
  auto* self = static_cast<DnsCheck*>(data);
  if (self->target_.fwmark) {
    uint32_t mark = *self->target_.fwmark;
    if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) return -1;
  }
  return 0;
}

void DnsCheck::close_channel() {
  if (!channel_) return;
  ares_channel ch = channel_;
  channel_ = nullptr;
  ares_destroy(ch);  // runs pending callbacks with ARES_EDESTRUCTION; generation guards them
  watches_.clear();
  timer_.cancel();
}

void DnsCheck::start(CheckDone done) {
  cancel();
  done_ = std::move(done);
  std::string error;
  if (!open_channel(error)) {
    loop_.post([this, alive = std::weak_ptr<bool>(alive_), gen = generation_, error] {
      if (!alive.expired() && gen == generation_)
        finish(false, "DNS check to " + target() + ": " + error + ".");
    });
    return;
  }
  struct Query {
    DnsCheck* self;
    uint64_t generation;
  };
  ares_query(
      channel_, name_.c_str(), 1 /* C_IN */, dns_type_code(type_),
      [](void* arg, int status, int, unsigned char* abuf, int alen) {
        std::unique_ptr<Query> q(static_cast<Query*>(arg));
        if (q->generation != q->self->generation_) return;
        q->self->on_answer(status, abuf, alen);
      },
      new Query{this, generation_});
  rearm_timer();
}

void DnsCheck::on_answer(int status, const unsigned char* abuf, int alen) {
  std::string what = "DNS check to " + target() + " for " + name_;
  if (status != ARES_SUCCESS) {
    finish(false, what + " failed: " + ares_strerror(status) + ".");
    return;
  }
  std::string why;
  if (dns_answer_has_type(std::span<const unsigned char>(abuf, static_cast<size_t>(alen)),
                          dns_type_code(type_), why))
    finish(true, what + " success.");
  else
    finish(false, what + " failed: " + why + ".");
}

void DnsCheck::process(int read_fd, int write_fd) {
  if (!channel_) return;
  uint64_t gen = generation_;
  ares_process_fd(channel_, read_fd, write_fd);
  if (gen == generation_ && channel_) rearm_timer();
}

void DnsCheck::rearm_timer() {
  timeval tv{};
  if (ares_timeout(channel_, nullptr, &tv))
    timer_.arm_after(Micros(int64_t{tv.tv_sec} * 1'000'000 + tv.tv_usec));
  else
    timer_.cancel();
}

void DnsCheck::on_sock_state(void* data, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<DnsCheck*>(data);
  if (!readable && !writable) {
    self->watches_.erase(fd);
    return;
  }
  auto& w = self->watches_[fd];
  if (!w)
    w = std::make_unique<IoWatch>(self->loop_, fd, [self, fd](bool r, bool wr) {
      self->process(r ? fd : ARES_SOCKET_BAD, wr ? fd : ARES_SOCKET_BAD);
    });
  w->want(readable != 0, writable != 0);
}

void DnsCheck::cancel() {
  ++generation_;
  done_ = nullptr;
  close_channel();
}

void DnsCheck::finish(bool success, std::string message) {
  auto done = std::move(done_);
  done_ = nullptr;
  ++generation_;
  // Destroying the channel from inside its own callback is not allowed: do it on the loop.
  loop_.post([this, alive = std::weak_ptr<bool>(alive_), gen = generation_] {
    if (!alive.expired() && gen == generation_) close_channel();
  });
  if (done) done({success, std::move(message), std::nullopt});
}

}  // namespace vigil::check
