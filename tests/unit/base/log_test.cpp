#include "base/log.h"

#include <syslog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

namespace vigil {
namespace {

TEST(LogSetup, ParsesKeepalivedFacilities) {
  EXPECT_EQ(parse_log_facility("0"), LOG_LOCAL0);
  EXPECT_EQ(parse_log_facility("5"), LOG_LOCAL5);
  EXPECT_EQ(parse_log_facility("local7"), LOG_LOCAL7);
  EXPECT_EQ(parse_log_facility("user"), LOG_USER);
  EXPECT_EQ(parse_log_facility("daemon"), LOG_DAEMON);
  EXPECT_FALSE(parse_log_facility("8"));
  EXPECT_FALSE(parse_log_facility("local8"));
  EXPECT_FALSE(parse_log_facility("kern"));
  EXPECT_FALSE(parse_log_facility(""));
  EXPECT_FALSE(parse_log_facility("01"));
}

class LogSetupFile : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    file_ =
        std::filesystem::temp_directory_path() / ("vgl-log-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(file_);
  }
  void TearDown() override {
    spdlog::set_default_logger(previous_);
    std::filesystem::remove(file_);
  }
  std::string contents() {
    spdlog::default_logger()->flush();
    std::stringstream s;
    s << std::ifstream(file_).rdbuf();
    return s.str();
  }
  std::shared_ptr<spdlog::logger> previous_;
  std::filesystem::path file_;
};

TEST_F(LogSetupFile, WritesToTheLogFileAtTheChosenLevel) {
  LogOptions o;
  o.syslog = false;
  o.file = file_.string();
  o.level = "info";
  setup_logging(o);
  spdlog::debug("vgl-hidden-debug");
  spdlog::info("vgl-visible-info");
  std::string text = contents();
  EXPECT_NE(text.find("vgl-visible-info"), std::string::npos) << text;
  EXPECT_EQ(text.find("vgl-hidden-debug"), std::string::npos) << text;

  o.level = "debug";
  setup_logging(o);
  spdlog::debug("vgl-now-debug");
  EXPECT_NE(contents().find("vgl-now-debug"), std::string::npos);
}

TEST_F(LogSetupFile, DetailFlagIsExposed) {
  LogOptions o;
  o.syslog = false;
  o.detail = true;
  setup_logging(o);
  EXPECT_TRUE(log_detail());
  o.detail = false;
  setup_logging(o);
  EXPECT_FALSE(log_detail());
}

TEST_F(LogSetupFile, UnknownLevelIsAnError) {
  LogOptions o;
  o.syslog = false;
  o.level = "chatty";
  EXPECT_THROW(setup_logging(o), std::runtime_error);
}

}  // namespace
}  // namespace vigil
