#include "notify/notify_fifo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "notify/notify_args.h"

namespace vigil::notify {
namespace {

namespace fs = std::filesystem;

class NotifyFifoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vgl-fifo-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "notify.fifo").string(); }
  fs::path dir_;
};

TEST_F(NotifyFifoTest, CreatesFifoWritesLinesAndRemovesIt) {
  std::string error;
  auto fifo = NotifyFifo::open(path(), error);
  ASSERT_TRUE(fifo) << error;
  struct stat st {};
  ASSERT_EQ(::stat(path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  int reader = ::open(path().c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  EXPECT_TRUE(fifo->write_line(notify_fifo_line(NotifySubject::Instance, "VI_1", "MASTER", 100)));
  EXPECT_TRUE(fifo->write_line(notify_fifo_line(NotifySubject::Group, "G1", "BACKUP", 0)));
  char buf[256];
  ssize_t n = ::read(reader, buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)),
            "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" BACKUP 0\n");
  ::close(reader);
  fifo.reset();
  EXPECT_FALSE(fs::exists(path()));
}

TEST_F(NotifyFifoTest, KeepsAnExistingFifo) {
  ASSERT_EQ(::mkfifo(path().c_str(), 0644), 0);
  std::string error;
  auto fifo = NotifyFifo::open(path(), error);
  ASSERT_TRUE(fifo) << error;
  fifo.reset();
  EXPECT_TRUE(fs::exists(path()));  // not ours to remove
}

TEST_F(NotifyFifoTest, RefusesARegularFile) {
  std::ofstream(path()) << "x";
  std::string error;
  EXPECT_FALSE(NotifyFifo::open(path(), error));
  EXPECT_NE(error.find("not a FIFO"), std::string::npos) << error;
  EXPECT_TRUE(fs::exists(path()));
}

TEST_F(NotifyFifoTest, ReportsUncreatablePath) {
  std::string error;
  EXPECT_FALSE(NotifyFifo::open((dir_ / "missing" / "f").string(), error));
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
}

TEST_F(NotifyFifoTest, NeverBlocksWithoutAReaderAndCountsDrops) {
  std::string error;
  auto fifo = NotifyFifo::open(path(), error);
  ASSERT_TRUE(fifo) << error;
  std::string line = notify_fifo_line(NotifySubject::Instance, "VI_1", "MASTER", 100);
  int written = 0;
  // A pipe holds at most a few MiB; well before this bound a write must be refused.
  while (fifo->write_line(line) && written < 1000000) ++written;
  EXPECT_LT(written, 1000000);
  EXPECT_EQ(fifo->dropped(), 1u);
}

}  // namespace
}  // namespace vigil::notify
