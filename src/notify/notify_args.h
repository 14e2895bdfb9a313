// What keepalived hands to notify scripts and notify FIFOs (pure functions, no I/O).
//
// A configured script string is split into words by keepalived itself, never by a shell:
// unquoted whitespace separates words; '...' keeps everything literally (spaces included);
// "..." groups too, with backslash escaping; a backslash outside single quotes escapes the
// next character. So `notify_master "/etc/k/notify.sh master 'a b'"` runs notify.sh with
// the two arguments "master" and "a b".
//
// notify_master / notify_backup / notify_fault / notify_stop run the words as given;
// `notify` additionally gets four arguments appended after the configured ones:
//   "INSTANCE"|"GROUP", the instance or group name, the new state
//   ("MASTER"|"BACKUP"|"FAULT"|"STOP"|"DELETED"), and the priority.
// A notify FIFO gets the same four values as one line:  INSTANCE "VI_1" MASTER 100
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::notify {

// Splits a script string into argv words. On an unterminated quote (or a trailing lone
// backslash) returns nullopt and sets `error`.
std::optional<std::vector<std::string>> split_script_words(std::string_view script,
                                                           std::string& error);

enum class NotifySubject { Instance, Group };
enum class NotifyState { Master, Backup, Fault, Stop, Deleted };

std::string_view subject_name(NotifySubject subject);  // "INSTANCE" / "GROUP"
std::string_view state_name(NotifyState state);        // "MASTER", ..., "DELETED"

// argv for the generic `notify` script: the configured words plus the four values.
std::vector<std::string> notify_script_argv(std::vector<std::string> words, NotifySubject subject,
                                            std::string_view name, NotifyState state, int priority);

// One notify-FIFO line, newline-terminated. `state` is a string because FIFOs also carry
// MASTER_RX_LOWER_PRI, MASTER_PRIORITY and BACKUP_PRIORITY events.
std::string notify_fifo_line(NotifySubject subject, std::string_view name, std::string_view state,
                             int priority);

}  // namespace vigil::notify
