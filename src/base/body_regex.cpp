#include "base/body_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <utility>

namespace vigil {
namespace {

struct OptionName {
  std::string_view name;
  uint32_t flag;
};

// keepalived.conf(5)'s list of regex_options, each a pcre2_compile() option.
constexpr OptionName kOptions[] = {
    {"allow_empty_class", PCRE2_ALLOW_EMPTY_CLASS},
    {"alt_bsux", PCRE2_ALT_BSUX},
    {"auto_callout", PCRE2_AUTO_CALLOUT},
    {"caseless", PCRE2_CASELESS},
    {"dollar_endonly", PCRE2_DOLLAR_ENDONLY},
    {"dotall", PCRE2_DOTALL},
    {"dupnames", PCRE2_DUPNAMES},
    {"extended", PCRE2_EXTENDED},
    {"firstline", PCRE2_FIRSTLINE},
    {"match_unset_backref", PCRE2_MATCH_UNSET_BACKREF},
    {"multiline", PCRE2_MULTILINE},
    {"never_ucp", PCRE2_NEVER_UCP},
    {"never_utf", PCRE2_NEVER_UTF},
    {"no_auto_capture", PCRE2_NO_AUTO_CAPTURE},
    {"no_auto_possess", PCRE2_NO_AUTO_POSSESS},
    {"no_dotstar_anchor", PCRE2_NO_DOTSTAR_ANCHOR},
    {"no_start_optimize", PCRE2_NO_START_OPTIMIZE},
    {"ucp", PCRE2_UCP},
    {"ungreedy", PCRE2_UNGREEDY},
    {"utf", PCRE2_UTF},
    {"never_backslash_c", PCRE2_NEVER_BACKSLASH_C},
    {"alt_circumflex", PCRE2_ALT_CIRCUMFLEX},
    {"alt_verbnames", PCRE2_ALT_VERBNAMES},
    {"use_offset_limit", PCRE2_USE_OFFSET_LIMIT},
};

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  int n = pcre2_get_error_message(code, buf, sizeof(buf));
  if (n < 0) return "PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// Bytes at the end of `s` that start a UTF-8 character without completing it.
size_t incomplete_utf8_tail(const std::string& s) {
  for (size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    unsigned char c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

}  // namespace

struct BodyRegex::Impl {
  pcre2_code* code = nullptr;
  pcre2_jit_stack* stack = nullptr;
  uint32_t flags = 0;
  size_t keep = 1;  // bytes of context kept before the next start (lookbehind, ^ after \n)
  ~Impl() {
    pcre2_jit_stack_free(stack);
    pcre2_code_free(code);
  }
};

BodyRegex::BodyRegex(BodyRegexSpec spec, std::unique_ptr<Impl> impl)
    : spec_(std::move(spec)), impl_(std::move(impl)) {}

BodyRegex::~BodyRegex() = default;

std::shared_ptr<const BodyRegex> BodyRegex::compile(const BodyRegexSpec& spec, std::string& error) {
  auto impl = std::make_unique<Impl>();
  for (const std::string& o : spec.options) {
    auto it = std::find_if(std::begin(kOptions), std::end(kOptions),
                           [&](const OptionName& k) { return k.name == o; });
    if (it == std::end(kOptions)) {
      error = "unknown regex option `" + o + "`";
      return nullptr;
    }
    impl->flags |= it->flag;
  }
  int code = 0;
  PCRE2_SIZE at = 0;
  impl->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(spec.pattern.data()), spec.pattern.size(),
                             impl->flags, &code, &at, nullptr);
  if (!impl->code) {
    error = pcre2_message(code) + " at offset " + std::to_string(at);
    return nullptr;
  }
  // The interpreter is the fallback when JIT is unavailable (error ignored on purpose).
  pcre2_jit_compile(impl->code, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
  if (spec.stack_start && spec.stack_max)
    impl->stack = pcre2_jit_stack_create(*spec.stack_start, *spec.stack_max, nullptr);
  uint32_t lookbehind = 0;
  pcre2_pattern_info(impl->code, PCRE2_INFO_MAXLOOKBEHIND, &lookbehind);
  // Lookbehind counts characters; a UTF-8 character is at most 4 bytes.
  impl->keep = std::max<size_t>(1, size_t(lookbehind) * ((impl->flags & PCRE2_UTF) ? 4 : 1));
  return std::shared_ptr<const BodyRegex>(new BodyRegex(spec, std::move(impl)));
}

struct BodyRegexMatcher::State {
  pcre2_match_data* md = nullptr;
  pcre2_match_context* mc = nullptr;
  ~State() {
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
  }
};

BodyRegexMatcher::BodyRegexMatcher(std::shared_ptr<const BodyRegex> re)
    : re_(std::move(re)), st_(std::make_unique<State>()) {
  const BodyRegex::Impl& r = re_->impl();
  st_->md = pcre2_match_data_create_from_pattern(r.code, nullptr);
  st_->mc = pcre2_match_context_create(nullptr);
  if (r.stack) pcre2_jit_stack_assign(st_->mc, nullptr, r.stack);
}

BodyRegexMatcher::~BodyRegexMatcher() = default;

void BodyRegexMatcher::feed(std::string_view chunk) {
  if (settled_ || chunk.empty()) return;
  buf_.append(chunk);
  attempt(true);
}

void BodyRegexMatcher::finish() {
  if (settled_) return;
  // Without a pending partial match every start position up to the end was already tried,
  // except for the empty body (and an empty match at the very end, which the partial mode
  // reports as partial).
  attempt(false);
  settled_ = true;
}

void BodyRegexMatcher::attempt(bool partial) {
  const BodyRegex::Impl& r = re_->impl();
  const BodyRegexSpec& spec = re_->spec();
  const uint64_t end = base_ + buf_.size();
  uint64_t start = base_ + scan_;
  if (spec.min_offset) start = std::max<uint64_t>(start, *spec.min_offset);
  if (start > end) {
    // Not reached min_offset yet: keep only the context that the first attempt may need.
    if (buf_.size() > r.keep) {
      size_t drop = buf_.size() - r.keep;
      buf_.erase(0, drop);
      base_ += drop;
      scan_ = 0;
    }
    return;
  }
  if (spec.max_offset && start > *spec.max_offset) {
    settled_ = true;
    return;
  }
  uint32_t opts = partial ? PCRE2_PARTIAL_HARD : 0;
  // A start inside the buffer: ^ can only match there through multiline's preceding \n.
  if (base_ > 0 && start == base_) opts |= PCRE2_NOTBOL;
  size_t len = buf_.size();
  // PCRE2 rejects a subject ending inside a UTF-8 character: hold such a tail back until the
  // next chunk completes it.
  if (partial && (r.flags & PCRE2_UTF)) len -= incomplete_utf8_tail(buf_);
  if (start - base_ > len) return;
  int rc = pcre2_match(r.code, reinterpret_cast<PCRE2_SPTR>(buf_.data()), len,
                       static_cast<PCRE2_SIZE>(start - base_), opts, st_->md, st_->mc);
  // PCRE2 finds the leftmost match (or partial match) first, so one that starts after
  // regex_max_offset means none can start in time.
  const auto past_max = [&](PCRE2_SIZE at) {
    return spec.max_offset && base_ + at > *spec.max_offset;
  };
  size_t next;  // buffer index where the next attempt starts
  if (rc >= 0) {
    matched_ = !past_max(pcre2_get_ovector_pointer(st_->md)[0]);
    settled_ = true;
    return;
  } else if (rc == PCRE2_ERROR_PARTIAL) {
    next = static_cast<size_t>(pcre2_get_ovector_pointer(st_->md)[0]);
    if (past_max(next)) {
      settled_ = true;
      return;
    }
  } else if (rc == PCRE2_ERROR_NOMATCH) {
    next = len;
  } else {
    error_ = "regex matching failed: " + pcre2_message(rc);
    settled_ = true;
    return;
  }
  // Drop what no later attempt can use, keeping `keep` bytes of context before `next`.
  size_t drop = next > r.keep ? next - r.keep : 0;
  if (r.flags & PCRE2_UTF)
    while (drop > 0 && (static_cast<unsigned char>(buf_[drop]) & 0xC0) == 0x80) --drop;
  buf_.erase(0, drop);
  base_ += drop;
  scan_ = next - drop;
}

}  // namespace vigil
