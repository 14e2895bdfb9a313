// PCRE2 matching of a stream (an HTTP body) for HTTP_GET/SSL_GET's `regex` keywords. The body
// arrives in chunks; BodyRegexMatcher matches each chunk as it comes (PCRE2 partial matching),
// keeping only the unfinished tail, so a large body is never buffered whole.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct BodyRegexSpec {
  std::string pattern;
  std::vector<std::string> options;     // keepalived's names: caseless, multiline, ...
  std::optional<uint32_t> stack_start;  // JIT stack (bytes)
  std::optional<uint32_t> stack_max;
  std::optional<uint32_t> min_offset;  // first body offset where a match may start
  std::optional<uint32_t> max_offset;  // last body offset where a match may start
};

// A compiled pattern, shareable by every check of one url.
class BodyRegex {
 public:
  // Empty with `error` set ("missing closing parenthesis at offset 3") when it does not compile
  // or names an unknown option.
  static std::shared_ptr<const BodyRegex> compile(const BodyRegexSpec& spec, std::string& error);
  ~BodyRegex();
  const BodyRegexSpec& spec() const { return spec_; }

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  BodyRegex(BodyRegexSpec spec, std::unique_ptr<Impl> impl);
  BodyRegexSpec spec_;
  std::unique_ptr<Impl> impl_;
};

// One body's match. feed() every chunk in order, then finish(); matched() is final after it.
class BodyRegexMatcher {
 public:
  explicit BodyRegexMatcher(std::shared_ptr<const BodyRegex> re);
  ~BodyRegexMatcher();
  BodyRegexMatcher(const BodyRegexMatcher&) = delete;
  BodyRegexMatcher& operator=(const BodyRegexMatcher&) = delete;

  void feed(std::string_view chunk);
  void finish();
  bool matched() const { return matched_; }
  // A matching error (resource limits, bad UTF-8 with `utf`): the check fails with it.
  const std::optional<std::string>& error() const { return error_; }

 private:
  void attempt(bool partial);

  std::shared_ptr<const BodyRegex> re_;
  struct State;
  std::unique_ptr<State> st_;
  std::string buf_;    // unconsumed tail of the body (plus lookbehind context)
  uint64_t base_ = 0;  // body offset of buf_[0]
  size_t scan_ = 0;    // where in buf_ the next attempt starts
  bool matched_ = false;
  bool settled_ = false;  // matched, or no match can start any more (max_offset passed)
  std::optional<std::string> error_;
};

}  // namespace vigil
