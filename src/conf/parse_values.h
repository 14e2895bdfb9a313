// One-line setters used by keyword handlers: check the argument count, convert, assign.
// A conversion error is reported by ParseContext and leaves the field unchanged.
#pragma once

#include <optional>
#include <string>

#include "conf/parse_internal.h"

namespace vigil::conf::detail {

// `keyword [BOOL]` (a missing value means true).
inline void set_bool(const Node& n, ParseContext& ctx, bool& dst) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
  if (auto v = ctx.boolean(n, 0)) dst = *v;
}
inline void set_bool(const Node& n, ParseContext& ctx, std::optional<bool>& dst) {
  bool v = true;
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
  if (auto b = ctx.boolean(n, 0))
    v = *b;
  else
    return;
  dst = v;
}
// `keyword` with no value at all.
inline void set_flag(const Node& n, ParseContext& ctx, bool& dst) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 0)) return;
  dst = true;
}
inline void set_string(const Node& n, ParseContext& ctx, std::string& dst) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  dst = n.args[0].text;
}
inline void set_string(const Node& n, ParseContext& ctx, std::optional<std::string>& dst) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  dst = n.args[0].text;
}
template <class T>
void set_int(const Node& n, ParseContext& ctx, T& dst, int64_t min, int64_t max) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  if (auto v = ctx.integer(n, 0, min, max)) dst = static_cast<T>(*v);
}
template <class T>
void set_int(const Node& n, ParseContext& ctx, std::optional<T>& dst, int64_t min, int64_t max) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  if (auto v = ctx.integer(n, 0, min, max)) dst = static_cast<T>(*v);
}
// Whole seconds.
inline void set_seconds(const Node& n, ParseContext& ctx, Seconds& dst, int64_t min, int64_t max) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  if (auto v = ctx.integer(n, 0, min, max)) dst = Seconds(*v);
}
inline void set_seconds(const Node& n, ParseContext& ctx, std::optional<Seconds>& dst, int64_t min,
                        int64_t max) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  if (auto v = ctx.integer(n, 0, min, max)) dst = Seconds(*v);
}
// Decimal seconds with microsecond resolution.
inline void set_micros(const Node& n, ParseContext& ctx, Micros& dst, double min, double max) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
  if (auto v = ctx.decimal(n, 0, min, max, 6)) dst = seconds_to_micros(*v);
}

}  // namespace vigil::conf::detail
