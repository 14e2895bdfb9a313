#include "base/unix_address.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

namespace vigil {
namespace {

TEST(UnixAddress, PathCarriesItsTerminatingNul) {
  sockaddr_un sa;
  socklen_t len = 0;
  ASSERT_TRUE(unix_address("/run/x.sock", sa, len));
  EXPECT_EQ(std::string(sa.sun_path), "/run/x.sock");
  EXPECT_EQ(len, offsetof(sockaddr_un, sun_path) + 12);
}

TEST(UnixAddress, AtMeansAbstractWithoutNul) {
  sockaddr_un sa;
  socklen_t len = 0;
  ASSERT_TRUE(unix_address("@vigil/notify", sa, len));
  EXPECT_EQ(sa.sun_path[0], '\0');
  EXPECT_EQ(std::string(sa.sun_path + 1, 12), "vigil/notify");
  EXPECT_EQ(len, offsetof(sockaddr_un, sun_path) + 13);
}

TEST(UnixAddress, EmptyOrTooLongIsRefused) {
  sockaddr_un sa;
  socklen_t len = 0;
  EXPECT_FALSE(unix_address("", sa, len));
  EXPECT_FALSE(unix_address(std::string(sizeof(sa.sun_path), 'x'), sa, len));
}

TEST(UnixPathAddress, LeadingAtIsPartOfThePath) {
  sockaddr_un sa;
  socklen_t len = 0;
  ASSERT_TRUE(unix_path_address("@vigil.sock", sa, len));
  EXPECT_EQ(std::string(sa.sun_path), "@vigil.sock");
  EXPECT_EQ(len, offsetof(sockaddr_un, sun_path) + 12);
  EXPECT_FALSE(unix_path_address("", sa, len));
  EXPECT_FALSE(unix_path_address(std::string(sizeof(sa.sun_path), 'x'), sa, len));
}

}  // namespace
}  // namespace vigil
