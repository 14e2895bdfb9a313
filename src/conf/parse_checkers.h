// Keyword tables shared by the checker parsers (internal to conf/parse_checkers*.cpp).
#pragma once

#include <vector>

#include "conf/model_lvs.h"
#include "conf/parse_lvs_util.h"
#include "conf/schema.h"

namespace vigil::conf::lvs_detail {

using CheckerKeywords = std::vector<Keyword<HealthChecker>>;

// connect_ip, connect_port, bindto, bind_if, bind_port, fwmark into get(model).
template <class Model, class Get>
void add_connection_keywords(std::vector<Keyword<Model>>& kws, Get get) {
  kws.push_back({"connect_ip", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (ctx.expect_args(n, 1, 1)) get(m).connect_ip = ctx.address(n, 0);
                 }});
  kws.push_back({"connect_port", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (ctx.expect_args(n, 1, 1)) get(m).connect_port = ctx.port(n, 0);
                 }});
  kws.push_back({"bindto", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (ctx.expect_args(n, 1, 1)) get(m).bindto = ctx.address(n, 0);
                 }});
  kws.push_back({"bind_if", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (ctx.expect_args(n, 1, 1)) get(m).bind_if = n.args[0].text;
                 }});
  kws.push_back({"bind_port", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (ctx.expect_args(n, 1, 1)) get(m).bind_port = ctx.port(n, 0);
                 }});
  kws.push_back({"fwmark", [get](const Node& n, Model& m, ParseContext& ctx) {
                   if (ctx.expect_args(n, 1, 1)) get(m).fwmark = u32(ctx, n, 0);
                 }});
}

// The keywords every checker but FILE_CHECK and BFD_CHECK accepts.
CheckerKeywords common_checker_keywords();

// Tables for HTTP_GET (ssl=false) and SSL_GET (ssl=true), in parse_checkers_http.cpp.
const KeywordTable<HealthChecker>& http_checker_table(bool ssl);

}  // namespace vigil::conf::lvs_detail
