// `vigilctl status`: the control socket's status JSON as a table a person reads at a glance.
//
//   INSTANCE  STATE   PRIO (EFF/BASE)  MASTER     VIPS            LAST TRANSITION
//   VI_1      MASTER  100/100          192.0.2.1  192.0.2.100/24  BACKUP->MASTER 2m ago (...)
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vigil::control {

// `now_epoch`: the current wall clock (seconds) for the "... ago" column.
std::string render_status_table(const nlohmann::json& status, double now_epoch);

// "5s", "3m", "2h", "4d".
std::string short_duration(double seconds);

}  // namespace vigil::control
