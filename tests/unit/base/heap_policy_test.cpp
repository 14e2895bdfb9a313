#include "base/heap_policy.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include <gtest/gtest.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_HEAP_POLICY_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_HEAP_POLICY_ASAN 1
#endif

namespace vigil {
namespace {

// Resident bytes of this process, from /proc/self/statm.
[[maybe_unused]] size_t resident_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "re");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

TEST(SettleHeapAfterLoad, SmallConfigurationKeepsNoReserve) {
  EXPECT_EQ(settle_heap_after_load(kHeapReserveFrom - 1), 0u);
}

TEST(SettleHeapAfterLoad, LargeConfigurationKeepsItsSizeMappedAsFreeHeap) {
#ifdef VIGIL_HEAP_POLICY_ASAN
  GTEST_SKIP() << "ASan's allocator replaces glibc's: mallinfo2() does not describe it";
#else
  const size_t config_bytes = kHeapReserveFrom + (size_t{4} << 20);
  settle_heap_after_load(0);  // start from the trimmed state
  EXPECT_EQ(settle_heap_after_load(config_bytes), config_bytes);
  // The reserve is free heap that stays: allocating and freeing a block does not trim it.
  EXPECT_GE(::mallinfo2().fordblks, config_bytes);
  void* block = ::malloc(size_t{2} << 20);  // below the raised mmap threshold: from the heap
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(::mallinfo2().hblks, 0u) << "a 2 MiB block was mmapped, not taken from the heap";
  ::free(block);
  EXPECT_GE(::mallinfo2().fordblks, config_bytes);
  // Back to a small configuration: the free heap goes back to the kernel.
  const size_t resident_with_reserve = resident_bytes();
  EXPECT_EQ(settle_heap_after_load(0), 0u);
  EXPECT_GE(resident_with_reserve, resident_bytes() + config_bytes / 2);
#endif
}

TEST(RunConfigLoad, RunsTheLoadAndPassesItsExceptionOn) {
  for (const size_t config_bytes : {size_t{0}, kHeapReserveFrom}) {
    settle_heap_after_load(config_bytes);  // small: inline; large: on a thread of its own
    int runs = 0;
    run_config_load([&] { ++runs; });
    EXPECT_EQ(runs, 1);
    EXPECT_THROW(run_config_load([] { throw std::runtime_error("bad"); }), std::runtime_error);
  }
  settle_heap_after_load(0);
}

}  // namespace
}  // namespace vigil
