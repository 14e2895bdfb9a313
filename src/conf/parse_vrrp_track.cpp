// vrrp_script, track_file, vrrp_track_process, vrrp_sync_group and garp_group blocks.
#include "conf/parse_keywords.h"

namespace vigil::conf::detail {
namespace {

void weight_line(const Node& n, ParseContext& ctx, int32_t min, int32_t max, int32_t& weight,
                 bool& reverse) {
  if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 2)) return;
  if (auto v = ctx.integer(n, 0, min, max)) weight = int32_t(*v);
  if (n.args.size() > 1) {
    if (auto r = ctx.choice<bool>(n, 1,
                                  {{"reverse", true}, {"noreverse", false}, {"no_reverse", false}}))
      reverse = *r;
  }
}

const KeywordTable<VrrpScript>& script_table() {
  using M = VrrpScript;
  static const KeywordTable<M> table("vrrp_script", {
    KWS(M, "script", m.script = parse_script_command(n, ctx, 0, false)),
        KWS(M, "interval", set_seconds(n, ctx, m.interval, 1, 86400)),
        KWS(M, "timeout", set_seconds(n, ctx, m.timeout, 1, 86400)),
        KWS(M, "weight", weight_line(n, ctx, -253, 253, m.weight, m.reverse)),
        KWS(M, "rise", set_int(n, ctx, m.rise, 1, UINT32_MAX)),
        KWS(M, "fall", set_int(n, ctx, m.fall, 1, UINT32_MAX)),
        KWS(M, "user", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 2)) return;
            m.script.user = n.args[0].text; if (n.args.size() > 1) m.script.group = n.args[1].text),
        KWS(M, "init_fail", set_flag(n, ctx, m.init_fail)),
  });
  return table;
}

const KeywordTable<VrrpTrackFile>& file_table() {
  using M = VrrpTrackFile;
  static const KeywordTable<M> table("track_file", {
    KWS(M, "file", set_string(n, ctx, m.file)),
        KWS(M, "weight", weight_line(n, ctx, -2147483647, 2147483647, m.weight, m.reverse)),
        KWS(
            M, "init_file", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 2)) return;
            m.init_file = true; for (size_t i = 0; i < n.args.size(); ++i) {
              if (n.args[i].text == "overwrite") {
                m.init_overwrite = true;
              } else if (auto v = ctx.integer(n, i, INT32_MIN, INT32_MAX)) {
                m.init_value = *v;
              }
            }),
  });
  return table;
}

const KeywordTable<VrrpTrackProcess>& process_table() {
  using M = VrrpTrackProcess;
  static const KeywordTable<M> table("vrrp_track_process", {
    KWS(M, "process", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, SIZE_MAX)) return;
        m.process.clear(); for (auto& a
                                : n.args) m.process.push_back(a.text);
        if (m.process.size() > 1 && m.param_match == ParamMatch::None) m.param_match =
            ParamMatch::Exact),
        KWS(
            M, "param_match", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 0, 1)) return;
            if (n.args.empty()) {
              m.param_match = ParamMatch::Exact;
              return;
            } if (auto v = ctx.choice<ParamMatch>(n, 0,
                                                  {{"initial", ParamMatch::Initial},
                                                   {"partial", ParamMatch::Partial}}))
                m.param_match = *v),
        KWS(M, "weight", weight_line(n, ctx, -254, 254, m.weight, m.reverse)),
        KWS(M, "quorum", set_int(n, ctx, m.quorum, 0, UINT32_MAX)),
        KWS(M, "quorum_max", set_int(n, ctx, m.quorum_max, 0, UINT32_MAX)),
        KWS(M, "fork_delay", set_micros(n, ctx, m.fork_delay, 0, 3600)),
        KWS(M, "terminate_delay", set_micros(n, ctx, m.terminate_delay, 0, 3600)),
        KWS(M, "delay", set_micros(n, ctx, m.fork_delay, 0, 3600);
            m.terminate_delay = m.fork_delay),
        KWS(M, "full_command", set_flag(n, ctx, m.full_command)),
  });
  return table;
}

const KeywordTable<VrrpSyncGroup>& sync_group_table() {
  using M = VrrpSyncGroup;
  static const KeywordTable<M> table = [] {
    std::vector<Keyword<M>> k = {
      KWS(M, "group",
          for (auto& w
               : block_words(n, ctx)) m.members.push_back(w)),
      KWSD(M, "global_tracking", "sync_group_tracking_weight", set_flag(n, ctx, m.global_tracking)),
      KWS(M, "sync_group_tracking_weight", set_flag(n, ctx, m.sync_group_tracking_weight)),
    };
    add_notify_keywords(k);
    add_tracking_keywords(k);
    return KeywordTable<M>("vrrp_sync_group", std::move(k));
  }();
  return table;
}

const KeywordTable<GarpGroup>& garp_group_table() {
  using M = GarpGroup;
  static const KeywordTable<M> table("garp_group", {
    KWS(M, "garp_interval", set_micros(n, ctx, m.garp_interval, 0, 1)),
        KWS(M, "gna_interval", set_micros(n, ctx, m.gna_interval, 0, 1)),
        KWS(M, "interface", if (!ctx.expect_no_block(n) || !ctx.expect_args(n, 1, 1)) return;
            m.interfaces.push_back(n.args[0].text)),
        KWS(M, "interfaces",
            for (auto& w
                 : block_words(n, ctx)) m.interfaces.push_back(w.name)),
  });
  return table;
}

// `vrrp_script NAME {` : the name argument and the block.
bool named_block(const Node& n, ParseContext& ctx, std::string& name, SourceLoc& loc) {
  loc = n.loc();
  if (!ctx.expect_args(n, 1, 1)) return false;
  name = n.args[0].text;
  return ctx.expect_block(n);
}

}  // namespace

void parse_vrrp_script(const Node& n, VrrpScript& s, ParseContext& ctx) {
  if (!named_block(n, ctx, s.name, s.loc)) return;
  script_table().apply(n.children, s, ctx);
  if (s.script.empty())
    ctx.diag.error(n.loc(), "vrrp_script `" + s.name + "` has no `script`", {},
                   unsigned(n.keyword.text.size()));
}

void parse_track_file(const Node& n, VrrpTrackFile& f, ParseContext& ctx) {
  if (!named_block(n, ctx, f.name, f.loc)) return;
  file_table().apply(n.children, f, ctx);
  if (f.file.empty())
    ctx.diag.error(n.loc(), "track_file `" + f.name + "` has no `file`", {},
                   unsigned(n.keyword.text.size()));
}

void parse_track_process(const Node& n, VrrpTrackProcess& p, ParseContext& ctx) {
  if (!named_block(n, ctx, p.name, p.loc)) return;
  process_table().apply(n.children, p, ctx);
  if (p.process.empty())
    ctx.diag.error(n.loc(), "vrrp_track_process `" + p.name + "` has no `process`", {},
                   unsigned(n.keyword.text.size()));
  if (p.quorum_max < p.quorum)
    ctx.diag.error(n.loc(), "vrrp_track_process `" + p.name + "`: quorum_max " +
                                std::to_string(p.quorum_max) + " is below quorum " +
                                std::to_string(p.quorum));
}

void parse_sync_group(const Node& n, VrrpSyncGroup& g, ParseContext& ctx) {
  if (!named_block(n, ctx, g.name, g.loc)) return;
  sync_group_table().apply(n.children, g, ctx);
}

void parse_garp_group(const Node& n, GarpGroup& g, ParseContext& ctx) {
  g.loc = n.loc();
  if (!ctx.expect_args(n, 0, 0) || !ctx.expect_block(n)) return;
  garp_group_table().apply(n.children, g, ctx);
  if (g.interfaces.empty())
    ctx.diag.error(n.loc(), "garp_group needs `interface` or `interfaces`", {},
                   unsigned(n.keyword.text.size()));
}

}  // namespace vigil::conf::detail
