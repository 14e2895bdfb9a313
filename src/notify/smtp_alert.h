// keepalived's smtp_alert: one short mail per state change, sent through libcurl's SMTP on a
// detached worker thread so that a slow or dead mail server never delays VRRP. Every send is
// bounded by smtp_connect_timeout (connect) and a total time limit.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "conf/model_global.h"

namespace vigil::notify {

struct MailSettings {
  std::string server;  // host or IP address of smtp_server
  uint16_t port = 25;
  std::string from;             // notification_email_from
  std::vector<std::string> to;  // notification_email
  std::string helo;             // smtp_helo_name (default: router_id)
  std::string router_id;        // the "[router_id]" prefix of subjects
  std::chrono::seconds connect_timeout{30};
};

// The settings of global_defs (smtp_server, notification_email*, smtp_helo_name, router_id)
// with keepalived's defaults: router_id and the sender's domain fall back to the host name.
// Only meaningful when g.smtp_server is set.
MailSettings mail_settings_from(const conf::GlobalDefs& g);

struct Mail {
  std::string subject;
  std::string body;
};

// keepalived's wording for a VRRP instance or group entering `state` ("MASTER", ...).
Mail vrrp_state_mail(const MailSettings& s, bool group, const std::string& name,
                     const std::string& state);
// The RFC 5322 message (headers + body) as it is handed to the server.
std::string format_message(const MailSettings& s, const Mail& m);

// Queues the mail; returns at once. Failures are logged.
void send_mail_async(const MailSettings& s, Mail m);

}  // namespace vigil::notify
