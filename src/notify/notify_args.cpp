#include "notify/notify_args.h"

#include <fmt/format.h>

namespace vigil::notify {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

std::optional<std::vector<std::string>> split_script_words(std::string_view script,
                                                           std::string& error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // distinguishes an empty quoted word ('') from no word at all
  size_t i = 0;
  while (i < script.size()) {
    char c = script[i];
    if (is_space(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\'') {
      size_t end = script.find('\'', i + 1);
      if (end == std::string_view::npos) {
        error = fmt::format("unterminated ' quote at offset {} in script \"{}\"", i, script);
        return std::nullopt;
      }
      word.append(script.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < script.size() && script[j] != '"') {
        if (script[j] == '\\' && j + 1 < script.size()) ++j;
        word.push_back(script[j]);
        ++j;
      }
      if (j >= script.size()) {
        error = fmt::format("unterminated \" quote at offset {} in script \"{}\"", i, script);
        return std::nullopt;
      }
      in_word = true;
      i = j + 1;
    } else if (c == '\\') {
      if (i + 1 >= script.size()) {
        error = fmt::format("trailing backslash in script \"{}\"", script);
        return std::nullopt;
      }
      word.push_back(script[i + 1]);
      in_word = true;
      i += 2;
    } else {
      word.push_back(c);
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) {
    error = "empty script";
    return std::nullopt;
  }
  return words;
}

std::string_view subject_name(NotifySubject subject) {
  return subject == NotifySubject::Group ? "GROUP" : "INSTANCE";
}

std::string_view state_name(NotifyState state) {
  switch (state) {
    case NotifyState::Master:
      return "MASTER";
    case NotifyState::Backup:
      return "BACKUP";
    case NotifyState::Fault:
      return "FAULT";
    case NotifyState::Stop:
      return "STOP";
    case NotifyState::Deleted:
      return "DELETED";
  }
  return "FAULT";
}

std::vector<std::string> notify_script_argv(std::vector<std::string> words, NotifySubject subject,
                                            std::string_view name, NotifyState state,
                                            int priority) {
  words.emplace_back(subject_name(subject));
  words.emplace_back(name);
  words.emplace_back(state_name(state));
  words.push_back(std::to_string(priority));
  return words;
}

std::string notify_fifo_line(NotifySubject subject, std::string_view name, std::string_view state,
                             int priority) {
  return fmt::format("{} \"{}\" {} {}\n", subject_name(subject), name, state, priority);
}

}  // namespace vigil::notify
