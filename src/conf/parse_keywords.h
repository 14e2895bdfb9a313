// Keyword-table building blocks shared by vrrp_instance and vrrp_sync_group.
#pragma once

#include <vector>

#include "conf/parse_values.h"

// A table entry whose handler body is written inline; `m` is the section's model.
#define KWS(Model, name, ...)                                             \
  Keyword<Model> {                                                        \
    name, [](const Node& n, Model& m, ParseContext& ctx) { __VA_ARGS__; } \
  }
// The same for a deprecated alias of keyword `current`.
#define KWSD(Model, name, current, ...)                                            \
  Keyword<Model> {                                                                 \
    name, [](const Node& n, Model& m, ParseContext& ctx) { __VA_ARGS__; }, current \
  }

namespace vigil::conf::detail {

// Keywords shared by vrrp_sync_group and vrrp_instance for notify scripts.
template <class M>
void add_notify_keywords(std::vector<Keyword<M>>& k) {
  k.push_back(KWS(M, "notify_master", m.notify.mut().master = parse_script_command(n, ctx)));
  k.push_back(KWS(M, "notify_backup", m.notify.mut().backup = parse_script_command(n, ctx)));
  k.push_back(KWS(M, "notify_fault", m.notify.mut().fault = parse_script_command(n, ctx)));
  k.push_back(KWS(M, "notify_stop", m.notify.mut().stop = parse_script_command(n, ctx)));
  k.push_back(KWS(M, "notify", m.notify.mut().any = parse_script_command(n, ctx)));
  k.push_back(
      KWS(M, "notify_deleted", m.notify.mut().deleted = true;
          if (!n.args.empty()) m.notify.mut().deleted_script = parse_script_command(n, ctx)));
  k.push_back(KWS(M, "notify_priority_changes", set_bool(n, ctx, m.notify.mut().priority_changes)));
  k.push_back(KWS(M, "smtp_alert", set_bool(n, ctx, m.notify.mut().smtp_alert)));
}

template <class M>
void add_tracking_keywords(std::vector<Keyword<M>>& k) {
  k.push_back(KWS(M, "track_interface", parse_track_interfaces(n, m.tracking.interfaces, ctx)));
  k.push_back(KWS(M, "track_script", parse_track_refs(n, m.tracking.scripts, ctx, -253, 253)));
  k.push_back(KWS(M, "track_file", parse_track_refs(n, m.tracking.files, ctx, -254, 254)));
  k.push_back(KWS(M, "track_process", parse_track_refs(n, m.tracking.processes, ctx, -254, 254)));
  k.push_back(KWS(M, "track_bfd", parse_track_refs(n, m.tracking.bfds, ctx, -253, 253)));
}

}  // namespace vigil::conf::detail
