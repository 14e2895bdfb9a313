// vigilctl: talk to a running vigild through its control socket (control/protocol.h).
//
//   vigilctl [--socket PATH] status [--json]
//   vigilctl [--socket PATH] reload
//   vigilctl [--socket PATH] instance NAME priority-offset N
//   vigilctl [--socket PATH] rs drain|enable VIRTUAL_SERVER REAL_SERVER
//
// Exit status: 0 done, 1 the daemon answered with an error, 2 usage, 3 vigild not running,
// 4 permission denied, 5 other I/O problems.
#include <chrono>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "control/client.h"
#include "control/server.h"
#include "control/status_table.h"

namespace {

using nlohmann::json;
using vigil::control::ClientResult;

int exit_code_for(ClientResult::Error e) {
  switch (e) {
    case ClientResult::Error::None:
      return 0;
    case ClientResult::Error::NotRunning:
      return 3;
    case ClientResult::Error::PermissionDenied:
      return 4;
    default:
      return 5;
  }
}

double now_epoch() {
  using namespace std::chrono;
  return duration_cast<duration<double>>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigilctl: status and control of a running vigild"};
  app.require_subcommand(1);
  std::string socket = vigil::control::kDefaultControlSocket;
  app.add_option("-s,--socket", socket, "control socket of vigild")
      ->default_str(socket)
      ->envname("VIGIL_CONTROL_SOCKET");

  auto* status = app.add_subcommand("status", "show instances, states, priorities and masters");
  bool as_json = false;
  status->add_flag("--json", as_json, "print the daemon's JSON instead of a table");

  auto* reload = app.add_subcommand("reload", "re-read the configuration (as SIGHUP)");

  auto* instance = app.add_subcommand("instance", "act on one vrrp_instance");
  std::string instance_name, instance_action;
  int offset = 0;
  instance->add_option("NAME", instance_name, "vrrp_instance name")->required();
  instance->add_option("ACTION", instance_action, "priority-offset")
      ->required()
      ->check(CLI::IsMember({"priority-offset"}));
  instance->add_option("N", offset, "offset added to the priority, -254..254 (0 clears it)")
      ->required()
      ->check(CLI::Range(-254, 254));

  auto* rs = app.add_subcommand("rs", "drain or enable a real server without a reload");
  std::string rs_action, vs_name, rs_name;
  rs->add_option("ACTION", rs_action, "drain or enable")
      ->required()
      ->check(CLI::IsMember({"drain", "enable"}));
  rs->add_option("VIRTUAL_SERVER", vs_name, "virtual server (as `vigilctl lvs` names it)")
      ->required();
  rs->add_option("REAL_SERVER", rs_name, "real server (as `vigilctl lvs` names it)")->required();

  auto* lvs = app.add_subcommand("lvs", "show virtual and real servers with their health");
  bool lvs_json = false;
  lvs->add_flag("--json", lvs_json, "print the daemon's JSON instead of a table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  json request;
  if (status->parsed())
    request = {{"command", "status"}};
  else if (reload->parsed())
    request = {{"command", "reload"}};
  else if (instance->parsed())
    request = {{"command", "instance"}, {"name", instance_name}, {"priority_offset", offset}};
  else if (lvs->parsed())
    request = {{"command", "lvs"}};
  else
    request = {{"command", "rs"},
               {"action", rs_action},
               {"virtual_server", vs_name},
               {"real_server", rs_name}};

  ClientResult r = vigil::control::send_request(socket, request);
  if (r.error != ClientResult::Error::None) {
    std::cerr << "vigilctl: " << r.message << "\n";
    return exit_code_for(r.error);
  }
  if (!r.reply.value("ok", false)) {
    std::cerr << "vigilctl: " << r.reply.value("error", std::string("request failed")) << "\n";
    return 1;
  }
  if (status->parsed()) {
    const json st = r.reply.contains("status") ? r.reply["status"] : json::object();
    if (as_json)
      std::cout << st.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    else
      std::cout << vigil::control::render_status_table(st, now_epoch());
  } else if (instance->parsed()) {
    const json in = r.reply.contains("instance") ? r.reply["instance"] : json::object();
    std::cout << instance_name << ": priority offset " << offset;
    if (in.contains("priority") && in["priority"].is_object())
      std::cout << ", effective priority " << in["priority"].value("effective", 0);
    std::cout << "\n";
  } else if (lvs->parsed()) {
    const json vss = r.reply.value("virtual_servers", json::array());
    if (lvs_json) {
      std::cout << vss.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    } else {
      for (const json& vs : vss) {
        std::cout << vs.value("name", "?") << "  quorum "
                  << (vs.value("quorum_up", false) ? "up" : "DOWN") << ", live weight "
                  << vs.value("live_weight", 0) << "\n";
        for (const json& rs : vs.value("real_servers", json::array()))
          std::cout << "  " << rs.value("name", "?") << "  "
                    << (rs.value("up", false) ? "up" : "DOWN") << "  weight "
                    << rs.value("weight", 0) << (rs.value("drained", false) ? "  drained" : "")
                    << "\n";
      }
    }
  } else if (reload->parsed()) {
    std::cout << "reloaded\n";
  } else {
    std::cout << "done\n";
  }
  return 0;
}
