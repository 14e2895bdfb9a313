// keepalived.conf(5)'s ~SEQ example, shared by the config benchmarks: one line that expands to
// 65,024 vrrp_instances with use_vmac, each tracking its own track_file. Only text: nothing
// here reaches an interface.
#pragma once

#include <string>

namespace vigil::bench {

inline std::string manpage_seq_config() {
  return "$VI4= \\\n"
         "track_file offset_instance_4.${IF}.${NUM}.${ID} { \\\n"
         "    file \"${_PWD}/679/track_files/4.${IF}.${NUM}.${ID}\" \\\n"
         "    weight -100 \\\n"
         "} \\\n"
         "vrrp_instance vrrp4.${IF}.${NUM}.${ID} { \\\n"
         "    interface bond${IF}.${NUM} \\\n"
         "    use_vmac vrrp4.${IF}.${NUM}.${ID} \\\n"
         "    virtual_router_id ${ID} \\\n"
         "    priority 130 \\\n"
         "    virtual_ipaddress { \\\n"
         "        10.${IF}.${NUM}.${ID}/24 \\\n"
         "    } \\\n"
         "    track_file { \\\n"
         "        offset_instance_4.${IF}.${NUM}.${ID} \\\n"
         "    } \\\n"
         "}\n"
         "\n"
         "~SEQ(IF,0,7) ~SEQ(NUM,0,31) ~SEQ(ID,1,254) $VI4\n";
}

}  // namespace vigil::bench
