// The systemd journal's native protocol (systemd.io/JOURNAL_NATIVE_PROTOCOL), written directly:
// one datagram of FIELD=value lines per entry to journald's socket. vigil does not link
// libsystemd for this: with its libgcrypt, liblzma, libzstd, liblz4 and libcap it costs about
// 1 MiB resident in every process (docs/benchmarks.md, "Many instances in one daemon").
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace vigil {

struct JournalField {
  std::string_view name;  // upper case, digits and '_' (journald's rule)
  std::string_view value;
};

// journald's socket.
inline constexpr std::string_view kJournalSocket = "/run/systemd/journal/socket";

// Sends one entry to the datagram socket `socket_path`. A value with a newline is sent in the
// protocol's length-prefixed form; an entry too large for one datagram goes in a sealed memfd
// whose descriptor is passed instead, as journald expects. Returns 0 or a negative errno.
int journal_send(std::span<const JournalField> fields,
                 std::string_view socket_path = kJournalSocket);

// The datagram for `fields` (exposed for tests).
std::string journal_encode(std::span<const JournalField> fields);

}  // namespace vigil
