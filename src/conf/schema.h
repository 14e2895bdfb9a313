// Keyword tables: how a section's children are matched to handlers that fill the typed model.
// Each section (global_defs, vrrp_instance, virtual_server, HTTP_GET, ...) declares one
// KeywordTable<Model>; unknown keywords become errors with a "did you mean" suggestion and
// deprecated aliases become warnings that name the current keyword.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/address.h"
#include "conf/diag.h"
#include "conf/tree.h"

namespace vigil::conf {

// Typed access to a Node's arguments. Every accessor reports a located error and returns
// nullopt when the argument is missing or invalid, so handlers can simply skip assignment.
class ParseContext {
 public:
  explicit ParseContext(Diagnostics& d) : diag(d) {}
  Diagnostics& diag;

  // True when n has between min and max arguments; otherwise reports an error.
  bool expect_args(const Node& n, size_t min, size_t max);
  // A block is required (e.g. `virtual_ipaddress {`); reports an error when missing.
  bool expect_block(const Node& n);
  bool expect_no_block(const Node& n);

  std::optional<int64_t> integer(const Node& n, size_t index, int64_t min, int64_t max);
  // Decimal like "0.5" or "3"; max_decimals limits precision (e.g. advert_int: 2).
  std::optional<double> decimal(const Node& n, size_t index, double min, double max,
                                int max_decimals = 6);
  // keepalived's truth values: on/off, true/false, yes/no; a missing argument means true.
  std::optional<bool> boolean(const Node& n, size_t index);
  std::optional<std::string> string(const Node& n, size_t index);
  std::optional<IpAddress> address(const Node& n, size_t index);
  std::optional<IpPrefix> prefix(const Node& n, size_t index);
  // TCP/UDP port 0-65535 (allow_zero=false: 1-65535).
  std::optional<uint16_t> port(const Node& n, size_t index, bool allow_zero = false);

  // One of a fixed set of words (case-sensitive unless fold_case), with a suggestion on error.
  template <class E>
  std::optional<E> choice(const Node& n, size_t index,
                          std::initializer_list<std::pair<std::string_view, E>> options,
                          bool fold_case = false) {
    std::vector<std::string_view> names;
    for (const auto& [name, value] : options) names.push_back(name);
    auto i = choice_index(n, index, names, fold_case);
    if (!i) return std::nullopt;
    return (options.begin() + *i)->second;
  }

  // The Token at index, or nullptr (reporting "expected VALUE") when absent.
  const Token* arg(const Node& n, size_t index, std::string_view what = "value");

 private:
  std::optional<size_t> choice_index(const Node& n, size_t index,
                                     const std::vector<std::string_view>& names, bool fold_case);
};

template <class Model>
struct Keyword {
  std::string_view name;
  std::function<void(const Node&, Model&, ParseContext&)> handle;
  // Non-empty for a deprecated alias: accepted, with a warning naming this keyword.
  std::string_view replaced_by = {};
};

// The closest candidate by edit distance, or "" when nothing is close enough to be useful.
std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates);
// "unknown keyword `x` in vrrp_instance" with hint "did you mean `y`?".
void report_unknown_keyword(ParseContext& ctx, const Node& n, std::string_view section,
                            const std::vector<std::string_view>& candidates);
void report_deprecated_keyword(ParseContext& ctx, const Node& n, std::string_view replaced_by);

template <class Model>
class KeywordTable {
 public:
  KeywordTable(std::string_view section, std::vector<Keyword<Model>> keywords)
      : section_(section), keywords_(std::move(keywords)) {
    for (const auto& k : keywords_) names_.push_back(k.name);
  }

  const Keyword<Model>* find(std::string_view name) const {
    for (const auto& k : keywords_)
      if (k.name == name) return &k;
    return nullptr;
  }

  // Runs the handler of every node; unknown keywords are reported, not fatal.
  void apply(const std::vector<Node>& nodes, Model& model, ParseContext& ctx) const {
    for (const auto& n : nodes) {
      const Keyword<Model>* k = find(n.keyword.text);
      if (!k) {
        report_unknown_keyword(ctx, n, section_, names_);
        continue;
      }
      if (!k->replaced_by.empty()) report_deprecated_keyword(ctx, n, k->replaced_by);
      k->handle(n, model, ctx);
    }
  }

  std::string_view section() const { return section_; }
  const std::vector<std::string_view>& names() const { return names_; }

 private:
  std::string_view section_;
  std::vector<Keyword<Model>> keywords_;
  std::vector<std::string_view> names_;
};

}  // namespace vigil::conf
