// HTTP_GET against a real HTTP responder in a private network namespace, through the Loop-driven
// libcurl multi interface; plus table tests of the pure response evaluation.
#include "check/http_check.h"

#include <gtest/gtest.h>

#include "../testing/netns.h"
#include "check/curl_multi.h"
#include "check/http_response.h"
#include "check_test_util.h"

namespace vigil::check {
namespace {

using namespace testutil;

conf::HttpUrl url(std::string path, std::vector<conf::StatusCodeRange> codes = {},
                  std::optional<std::string> digest = std::nullopt) {
  conf::HttpUrl u;
  u.path = std::move(path);
  u.status_codes = std::move(codes);
  u.digest = std::move(digest);
  return u;
}

struct EvalCase {
  long status;
  std::vector<conf::StatusCodeRange> codes;
  std::optional<std::string> digest;
  bool success;
};

class HttpEvaluate : public ::testing::TestWithParam<EvalCase> {};

TEST_P(HttpEvaluate, StatusRangesAndDigest) {
  const EvalCase& c = GetParam();
  std::string body_md5 = md5_hex("hello\n");
  HttpVerdict v = evaluate_http_response(c.status, body_md5, url("/x", c.codes, c.digest),
                                         "[198.51.100.2]:tcp:80");
  EXPECT_EQ(v.success, c.success) << v.message;
  EXPECT_NE(v.message.find("[198.51.100.2]:tcp:80 url(/x)"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpEvaluate,
    ::testing::Values(EvalCase{200, {}, std::nullopt, true}, EvalCase{299, {}, std::nullopt, true},
                      EvalCase{300, {}, std::nullopt, false},
                      EvalCase{404, {}, std::nullopt, false},
                      EvalCase{404, {{200, 200}, {400, 499}}, std::nullopt, true},
                      EvalCase{503, {{200, 200}, {400, 499}}, std::nullopt, false},
                      // md5("hello\n"), also accepted in upper case
                      EvalCase{200, {}, "b1946ac92492d2347c6235b4d2611184", true},
                      EvalCase{200, {}, "B1946AC92492D2347C6235B4D2611184", true},
                      EvalCase{200, {}, "00000000000000000000000000000000", false},
                      EvalCase{500, {}, "b1946ac92492d2347c6235b4d2611184", false}));

TEST(Md5, MatchesKnownDigests) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("hello\n"), "b1946ac92492d2347c6235b4d2611184");
  Md5Digest d;
  d.update("hel");
  d.update("lo\n");
  EXPECT_EQ(d.hex(), "b1946ac92492d2347c6235b4d2611184");
}

HttpCheckOptions options(uint16_t port, std::vector<conf::HttpUrl> urls) {
  HttpCheckOptions o;
  o.target.address = ip("127.0.0.1");
  o.target.port = port;
  o.target.timeout = Millis(3000);
  o.urls = std::move(urls);
  return o;
}

TEST(HttpCheck, SucceedsWithStatusAndDigestAndSendsVirtualhost) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    HttpResponder server(200, "hello\n");
    loop::Loop loop;
    CurlMulti multi(loop);
    conf::HttpUrl u = url("/health", {}, "b1946ac92492d2347c6235b4d2611184");
    u.virtualhost = "www.example.test";
    HttpCheck c(multi, options(server.port(), {u}));
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;
    std::string req = server.request();
    EXPECT_NE(req.find("GET /health HTTP/1.0"), std::string::npos) << req;
    EXPECT_NE(req.find("Host: www.example.test"), std::string::npos) << req;
  });
}

TEST(HttpCheck, FailsOnAWrongDigest) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    HttpResponder server(200, "changed\n");
    loop::Loop loop;
    CurlMulti multi(loop);
    HttpCheck c(multi, options(server.port(), {url("/", {}, "b1946ac92492d2347c6235b4d2611184")}));
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
    EXPECT_NE(r->message.find("MD5 digest error"), std::string::npos) << r->message;
  });
}

TEST(HttpCheck, FailsOnAStatusOutsideTheRangesAndChecksEveryUrl) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    HttpResponder server(503, "busy");
    loop::Loop loop;
    CurlMulti multi(loop);
    // The first url accepts 503, the second does not: the check must reach the second.
    HttpCheck c(multi, options(server.port(), {url("/a", {{503, 503}}), url("/b")}));
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
    EXPECT_NE(r->message.find("url(/b)"), std::string::npos) << r->message;
    EXPECT_EQ(server.server.connections.load(), 2);
  });
}

TEST(HttpCheck, FailsWhenNothingListensAndHttp11IsRequested) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    loop::Loop loop;
    CurlMulti multi(loop);
    HttpCheckOptions o = options(closed_port(), {url("/")});
    o.protocol = conf::HttpProtocol::V1_1;
    HttpCheck c(multi, o);
    auto r = check_once(loop, c);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
  });
}

TEST(HttpEvaluate, RegexAfterStatusAndDigest) {
  conf::HttpUrl u = url("/r");
  u.regex = "status: ok";
  const std::string md5 = md5_hex("x");
  EXPECT_TRUE(evaluate_http_response(200, md5, u, "[198.51.100.2]:tcp:80", true).success);
  HttpVerdict v = evaluate_http_response(200, md5, u, "[198.51.100.2]:tcp:80", false);
  EXPECT_FALSE(v.success);
  EXPECT_NE(v.message.find("regex(status: ok) not found"), std::string::npos) << v.message;
  // A status error is reported before the regex.
  v = evaluate_http_response(500, md5, u, "[198.51.100.2]:tcp:80", true);
  EXPECT_FALSE(v.success);
  EXPECT_NE(v.message.find("status_code [500]"), std::string::npos) << v.message;
  u.regex_no_match = true;
  EXPECT_TRUE(evaluate_http_response(200, md5, u, "[198.51.100.2]:tcp:80", false).success);
  v = evaluate_http_response(200, md5, u, "[198.51.100.2]:tcp:80", true);
  EXPECT_FALSE(v.success);
  EXPECT_NE(v.message.find("found (regex_no_match)"), std::string::npos) << v.message;
  v = evaluate_http_response(200, md5, u, "[198.51.100.2]:tcp:80", false, "match limit");
  EXPECT_FALSE(v.success);
}

TEST(HttpCheck, RegexOnTheBody) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    // A body larger than one read, the match near its end.
    HttpResponder server(200, std::string(200000, '.') + "<b>Status: OK</b>\n");
    loop::Loop loop;
    CurlMulti multi(loop);
    conf::HttpUrl good = url("/");
    good.regex = "status: (ok|degraded)";
    good.regex_options = {"caseless"};
    HttpCheck c1(multi, options(server.port(), {good}));
    auto r = check_once(loop, c1);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->success) << r->message;

    conf::HttpUrl bad = good;
    bad.regex_options.clear();  // case matters now: no match
    HttpCheck c2(multi, options(server.port(), {bad}));
    r = check_once(loop, c2);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success);
    EXPECT_NE(r->message.find("Regex match error"), std::string::npos) << r->message;

    conf::HttpUrl limited = good;
    limited.regex_max_offset = 1000;  // the match starts at 200003
    HttpCheck c3(multi, options(server.port(), {limited}));
    r = check_once(loop, c3);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->success) << r->message;
  });
}

TEST(HttpCheck, ABadPatternIsAFactoryError) {
  HttpCheckOptions o = options(80, {url("/")});
  o.urls[0].regex = "(unclosed";
  std::string error;
  EXPECT_FALSE(compile_url_regexes(o, error));
  EXPECT_NE(error.find("missing closing parenthesis"), std::string::npos) << error;
}

TEST(HttpCheck, ManyConcurrentChecksShareOneMulti) {
  VIGIL_REQUIRE_ROOT();
  vigil::testing::run_in_netns([] {
    HttpResponder server(200, "ok");
    loop::Loop loop;
    CurlMulti multi(loop);
    std::vector<std::unique_ptr<HttpCheck>> checks;
    int done = 0, ok = 0;
    for (int i = 0; i < 20; ++i) {
      checks.push_back(std::make_unique<HttpCheck>(multi, options(server.port(), {url("/")})));
      checks.back()->start([&](CheckResult r) {
        ++done;
        ok += r.success;
        if (done == 20) loop.stop();
      });
    }
    loop.run_for(Millis(15000));
    EXPECT_EQ(done, 20);
    EXPECT_EQ(ok, 20);
  });
}

}  // namespace
}  // namespace vigil::check
