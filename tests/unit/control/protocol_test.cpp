#include "control/protocol.h"

#include <gtest/gtest.h>

#include "control/commands.h"

namespace vigil::control {
namespace {

using nlohmann::json;

std::string error_of(std::string_view line) {
  auto r = parse_request(line);
  auto* e = std::get_if<RequestError>(&r);
  return e ? e->message : "";
}

TEST(ControlProtocol, ParsesACommandObject) {
  auto r = parse_request(R"({"command":"status","id":7})");
  ASSERT_TRUE(std::holds_alternative<Request>(r));
  EXPECT_EQ(std::get<Request>(r).command, "status");
  EXPECT_EQ(std::get<Request>(r).body["id"], 7);
}

TEST(ControlProtocol, RejectsMalformedInputWithAReason) {
  EXPECT_EQ(error_of("{not json"), "malformed JSON");
  EXPECT_EQ(error_of(""), "malformed JSON");
  EXPECT_EQ(error_of("[1,2]"), "a request must be a JSON object");
  EXPECT_EQ(error_of("\"status\""), "a request must be a JSON object");
  EXPECT_EQ(error_of(R"({"cmd":"status"})"), "missing \"command\" (a string)");
  EXPECT_EQ(error_of(R"({"command":5})"), "missing \"command\" (a string)");
  EXPECT_EQ(error_of(R"({"command":""})"), "empty \"command\"");
  EXPECT_EQ(error_of("{\"command\":\"\xff\xfe\"}"), "malformed JSON");  // invalid UTF-8
}

TEST(ControlProtocol, RejectsOversizedRequests) {
  std::string big = R"({"command":"status","pad":")" + std::string(kMaxRequestBytes, 'x') + "\"}";
  EXPECT_NE(error_of(big).find("too large"), std::string::npos);
}

TEST(ControlProtocol, DeepNestingIsAnErrorNotACrash) {
  std::string deep(20000, '[');
  EXPECT_EQ(error_of(deep), "malformed JSON");
}

TEST(ControlProtocol, PriorityOffsetArguments) {
  auto parse = [](const char* text) {
    return parse_priority_offset(std::get<Request>(parse_request(text)));
  };
  auto ok = parse(R"({"command":"instance","name":"VI_1","priority_offset":-60})");
  ASSERT_TRUE(std::holds_alternative<PriorityOffsetRequest>(ok));
  EXPECT_EQ(std::get<PriorityOffsetRequest>(ok).instance, "VI_1");
  EXPECT_EQ(std::get<PriorityOffsetRequest>(ok).offset, -60);

  EXPECT_TRUE(
      std::holds_alternative<RequestError>(parse(R"({"command":"instance","priority_offset":1})")));
  EXPECT_TRUE(std::holds_alternative<RequestError>(
      parse(R"({"command":"instance","name":"VI_1","priority_offset":"5"})")));
  EXPECT_TRUE(std::holds_alternative<RequestError>(
      parse(R"({"command":"instance","name":"VI_1","priority_offset":1.5})")));
  EXPECT_TRUE(std::holds_alternative<RequestError>(
      parse(R"({"command":"instance","name":"VI_1","priority_offset":255})")));
  EXPECT_TRUE(std::holds_alternative<RequestError>(
      parse(R"({"command":"instance","name":"VI_1","priority_offset":-99999999999999})")));
  EXPECT_TRUE(std::holds_alternative<PriorityOffsetRequest>(
      parse(R"({"command":"instance","name":"VI_1","priority_offset":254})")));
}

TEST(ControlProtocol, ReplyLineIsOneLineEvenWithBadUtf8) {
  std::string line = reply_line(error_reply("no vrrp_instance \"\xff\""));
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_FALSE(json::parse(line)["ok"].get<bool>());
}

TEST(ControlRegistry, DispatchesEchoesIdAndReportsUnknownCommands) {
  CommandRegistry reg;
  reg.add("ping", [](const Request& r) { return ok_reply({{"echo", r.body.value("x", 0)}}); });
  reg.add("boom", [](const Request&) -> json { throw std::runtime_error("bad"); });

  json r = reg.dispatch(R"({"command":"ping","x":3,"id":"a"})");
  EXPECT_TRUE(r["ok"].get<bool>());
  EXPECT_EQ(r["echo"], 3);
  EXPECT_EQ(r["id"], "a");

  r = reg.dispatch(R"({"command":"rs","action":"drain"})");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"], "unknown command \"rs\"");

  r = reg.dispatch(R"({"command":"boom"})");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"], "internal error: bad");

  r = reg.dispatch("garbage");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"], "malformed JSON");
}

TEST(ControlRegistry, CoreCommandsWithoutRouterOrReloadHook) {
  CommandRegistry reg;
  register_core_commands(reg, nullptr, nullptr);
  json r = reg.dispatch(R"({"command":"reload"})");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_NE(r["error"].get<std::string>().find("not available"), std::string::npos);

  r = reg.dispatch(R"({"command":"instance","name":"VI_1","priority_offset":-5})");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"], "no vrrp_instance \"VI_1\"");

  r = reg.dispatch(R"({"command":"status"})");
  EXPECT_TRUE(r["ok"].get<bool>());
  EXPECT_TRUE(r["status"]["instances"].empty());
}

TEST(ControlRegistry, ReloadHookResultBecomesTheReply) {
  CommandRegistry reg;
  int calls = 0;
  std::string answer;
  register_core_commands(reg, nullptr, [&] {
    ++calls;
    return answer;
  });
  EXPECT_TRUE(reg.dispatch(R"({"command":"reload"})")["ok"].get<bool>());
  answer = "configuration invalid";
  json r = reg.dispatch(R"({"command":"reload"})");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"], "configuration invalid");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace vigil::control
