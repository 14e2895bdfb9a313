#include "loop/loop.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "loop/fd_watch.h"
#include "loop/signal_watch.h"
#include "loop/timer.h"

namespace vigil::loop {
namespace {

// Upper bound for every wait in these tests: reaching it means the feature is broken.
constexpr Millis kLoopBound{5000};

TEST(LoopTimer, FiresInDeadlineOrderNotArmingOrder) {
  Loop loop;
  std::vector<int> fired;
  MonoTime base = loop.now();
  Timer late(loop, [&] {
    fired.push_back(3);
    loop.stop();
  });
  Timer early(loop, [&] { fired.push_back(1); });
  Timer middle(loop, [&] { fired.push_back(2); });
  late.arm(base + Millis(30));
  early.arm(base + Millis(5));
  middle.arm(base + Millis(15));
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  EXPECT_FALSE(late.armed());
}

TEST(LoopLateness, ReportsATimerThatRanLate) {
  Loop loop;
  std::vector<std::pair<MonoTime, Micros>> reported;
  loop.set_lateness_watch(Millis(20),
                          [&](MonoTime due, Micros late) { reported.emplace_back(due, late); });
  const MonoTime base = loop.now();
  // `blocker` keeps the loop busy for 60 ms (as a stall would), so `starved`, due 5 ms after
  // the start, runs about 55 ms late.
  Timer blocker(loop, [] { ::usleep(60'000); });
  Timer starved(loop, [&] { loop.stop(); });
  blocker.arm(base);
  starved.arm(base + Millis(5));
  ASSERT_TRUE(loop.run_for(kLoopBound));
  ASSERT_FALSE(reported.empty());
  // Due at base + 5 ms, or when it was armed if a loaded machine got there later.
  EXPECT_GE(reported.back().first, base + Millis(5));
  EXPECT_GE(reported.back().second, Millis(50));
}

TEST(LoopLateness, DeadlineAlreadyPastWhenArmedIsNotLate) {
  Loop loop;
  int reports = 0;
  loop.set_lateness_watch(Millis(200), [&](MonoTime, Micros) { ++reports; });
  Timer overdue(loop, [&] { loop.stop(); });
  overdue.arm(loop.now() - Millis(500));  // "as soon as possible"
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(reports, 0);
}

TEST(LoopTimer, CancelledTimerNeverFires) {
  Loop loop;
  int cancelled_fired = 0;
  Timer cancelled(loop, [&] { ++cancelled_fired; });
  Timer stopper(loop, [&] { loop.stop(); });
  cancelled.arm(loop.now());  // already due: only cancel() stops it
  cancelled.cancel();
  stopper.arm_after(Millis(10));
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(cancelled_fired, 0);
  EXPECT_FALSE(cancelled.armed());
}

TEST(LoopTimer, RearmingReplacesTheDeadline) {
  Loop loop;
  int fired = 0;
  MonoTime fired_at{};
  Timer t(loop, [&] {
    ++fired;
    fired_at = loop.now();
  });
  Timer stopper(loop, [&] { loop.stop(); });
  MonoTime base = loop.now();
  t.arm(base + Millis(1));
  t.arm(base + Millis(20));  // replaces the first deadline
  stopper.arm(base + Millis(60));
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(fired, 1);
  EXPECT_GE(fired_at, base + Millis(20));
}

TEST(LoopTimer, CallbackMayRearmItself) {
  Loop loop;
  int count = 0;
  std::unique_ptr<Timer> t;
  t = std::make_unique<Timer>(loop, [&] {
    if (++count == 3)
      loop.stop();
    else
      t->arm_after(Millis(1));
  });
  t->arm_after(Millis(1));
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(count, 3);
}

TEST(LoopTimer, DestroyedTimerNeverFires) {
  Loop loop;
  int fired = 0;
  auto t = std::make_unique<Timer>(loop, [&] { ++fired; });
  t->arm(loop.now());
  t.reset();
  Timer stopper(loop, [&] { loop.stop(); });
  stopper.arm_after(Millis(10));
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(fired, 0);
}

TEST(LoopTimer, ManyTimersAllFire) {
  Loop loop;
  constexpr int kCount = 2000;
  int fired = 0;
  std::vector<std::unique_ptr<Timer>> timers;
  MonoTime base = loop.now();
  for (int i = 0; i < kCount; ++i) {
    timers.push_back(std::make_unique<Timer>(loop, [&] {
      if (++fired == kCount) loop.stop();
    }));
    timers.back()->arm(base + Micros(i % 100));
  }
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(fired, kCount);
}

TEST(LoopPost, RunsLaterNotInline) {
  Loop loop;
  std::vector<int> order;
  loop.post([&] {
    order.push_back(2);
    loop.stop();
  });
  order.push_back(1);
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(LoopRun, RunForReturnsFalseWhenNothingStopsIt) {
  Loop loop;
  EXPECT_FALSE(loop.run_for(Millis(5)));
}

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe2(fds_, O_CLOEXEC | O_NONBLOCK), 0); }
  ~Pipe() {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_write() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

TEST(LoopFdWatch, CallsBackWhenReadableAndKeepsWatching) {
  Loop loop;
  Pipe p;
  std::string got;
  FdWatch watch(loop, p.read_end(), [&] {
    char buf[16];
    ssize_t n = ::read(p.read_end(), buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<size_t>(n));
    if (got == "ab") loop.stop();
    if (got == "a") {
      ASSERT_EQ(::write(p.write_end(), "b", 1), 1);
    }
  });
  ASSERT_EQ(::write(p.write_end(), "a", 1), 1);
  ASSERT_TRUE(loop.run_for(kLoopBound));
  EXPECT_EQ(got, "ab");
}

TEST(LoopFdWatch, DestroyingTheWatchLeavesTheFdOpen) {
  Loop loop;
  Pipe p;
  {
    FdWatch watch(loop, p.read_end(), [] {});
  }
  EXPECT_NE(::fcntl(p.read_end(), F_GETFD), -1);
  ASSERT_EQ(::write(p.write_end(), "x", 1), 1);
  char c = 0;
  EXPECT_EQ(::read(p.read_end(), &c, 1), 1);
}

TEST(LoopFdWatch, NotCalledWhileNothingToRead) {
  Loop loop;
  Pipe p;
  int calls = 0;
  FdWatch watch(loop, p.read_end(), [&] { ++calls; });
  EXPECT_FALSE(loop.run_for(Millis(10)));
  EXPECT_EQ(calls, 0);
}

TEST(LoopSignals, DeliversRaisedSignalOnTheLoop) {
  Loop loop;
  std::vector<int> got;
  SignalWatch watch(loop, {SIGUSR1, SIGUSR2}, [&](int signo) {
    got.push_back(signo);
    if (got.size() == 2) loop.stop();
  });
  ::raise(SIGUSR2);
  ::raise(SIGUSR1);
  EXPECT_TRUE(got.empty());  // never inside the signal handler
  ASSERT_TRUE(loop.run_for(kLoopBound));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(std::count(got.begin(), got.end(), SIGUSR1), 1);
  EXPECT_EQ(std::count(got.begin(), got.end(), SIGUSR2), 1);
}

}  // namespace
}  // namespace vigil::loop
