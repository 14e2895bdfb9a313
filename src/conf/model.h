// The typed configuration: everything keepalived.conf says, with defaults applied and
// cross-references validated. Built by load_config_file/load_config_text (conf/load.h).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "conf/model_common.h"
#include "conf/model_global.h"
#include "conf/model_vrrp.h"
#include "conf/model_lvs.h"

namespace vigil::conf {

struct Config {
  GlobalDefs global;
  std::vector<LinkbeatInterface> linkbeat_interfaces;
  std::vector<InterfaceDelay> interface_delays;
  std::vector<TrackGroup> track_groups;
  StaticConfig statics;

  std::vector<VrrpScript> vrrp_scripts;
  std::vector<VrrpTrackFile> track_files;
  std::vector<VrrpTrackProcess> track_processes;
  std::vector<VrrpSyncGroup> sync_groups;
  std::vector<GarpGroup> garp_groups;
  // A deque: instances arrive one at a time from the streaming parser, and a vector of 65,024
  // ~1.1 KB instances would be moved over and over as it grows.
  std::deque<VrrpInstance> vrrp_instances;
  LvsConfig lvs;

  const VrrpInstance* find_instance(std::string_view name) const;
  const VrrpScript* find_script(std::string_view name) const;
  const VrrpTrackFile* find_track_file(std::string_view name) const;
  const VrrpTrackProcess* find_track_process(std::string_view name) const;
  const VrrpSyncGroup* find_sync_group(std::string_view name) const;
};

}  // namespace vigil::conf
