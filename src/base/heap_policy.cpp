#include "base/heap_policy.h"

#include <malloc.h>

#include <algorithm>
#include <climits>
#include <exception>
#include <thread>
#include <vector>

namespace vigil {

namespace {

constexpr int kSmallThreshold = 64 * 1024;
// glibc's ceiling for M_MMAP_THRESHOLD on 64-bit systems: blocks below it come from the heap.
constexpr int kLargeMmapThreshold = 32 * 1024 * 1024;
// The reserve is touched in blocks below that ceiling, so they come from the heap too.
constexpr size_t kReserveBlock = size_t{1} << 20;
constexpr size_t kPageSize = 4096;  // a smaller step than a real larger page size does no harm

// Whether the thresholds are those of a large configuration now.
bool keeping_heap = false;
// Where the last load allocated (the configuration in force after a reload), and where the
// configuration before it did (freed by the reload).
bool last_load_in_arena = false;
bool previous_load_in_arena = false;

// Maps `bytes` of free heap in the calling thread's arena: allocates them, touches every page,
// frees them. The blocks coalesce into free space that the raised trim threshold keeps.
void map_free_heap(size_t bytes) {
  std::vector<void*> blocks;
  for (size_t missing = bytes; missing > 0; missing -= std::min(missing, kReserveBlock)) {
    void* block = ::malloc(kReserveBlock);
    if (!block) break;  // no memory for a reserve: the next reload faults its pages instead
    // A write per page maps it; volatile, or the compiler drops stores to memory freed below.
    auto* bytes_of_block = static_cast<volatile char*>(block);
    for (size_t at = 0; at < kReserveBlock; at += kPageSize) bytes_of_block[at] = 0;
    blocks.push_back(block);
  }
  for (void* block : blocks) ::free(block);
}

// malloc_trim() gives back free pages inside every arena but shrinks only the main arena's
// top; a thread arena's top shrinks when a large block next to it is freed under a small trim
// threshold. Runs in the configurations' arena; the mmap threshold is raised for the moment so
// that the block comes from the arena (the caller sets both thresholds afterwards).
void release_arena_top() {
  ::mallopt(M_MMAP_THRESHOLD, kLargeMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kSmallThreshold);
  ::free(::malloc(2 * kSmallThreshold));
}

// Runs `work` on a thread of its own and waits for it: glibc gives each new thread the arena
// the previous one left when it exited, so all of them use one arena. An exception `work`
// throws is rethrown here.
void run_on_arena_thread(const std::function<void()>& work) {
  std::exception_ptr failure;
  std::thread thread([&] {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

void run_config_load(const std::function<void()>& work) {
  previous_load_in_arena = last_load_in_arena;
  last_load_in_arena = keeping_heap;
  if (keeping_heap)
    run_on_arena_thread(work);
  else
    work();
}

void limit_heap_retention() {
  ::mallopt(M_MMAP_THRESHOLD, kSmallThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kSmallThreshold);
}

size_t settle_heap_after_load(size_t config_bytes) {
  if (config_bytes < kHeapReserveFrom) {
    const bool was_keeping = keeping_heap;
    keeping_heap = false;
    if (was_keeping) run_on_arena_thread(release_arena_top);
    limit_heap_retention();
    ::malloc_trim(0);
    return 0;
  }
  // Room for the reserve and for what the running configuration frees at the next reload.
  const size_t keep = std::min<size_t>(3 * config_bytes, INT_MAX);
  // Until a configuration and the one it replaced both came from the configurations' arena,
  // freed blocks of a configuration lie in the main arena, between long-lived ones: given
  // back, and the reserve mapped in the arena the next load uses. After that, a reload frees
  // the previous configuration in that arena, which is the reserve.
  const bool map_reserve = !keeping_heap || !last_load_in_arena || !previous_load_in_arena;
  if (map_reserve) ::malloc_trim(0);  // under the old thresholds: nothing of it is kept
  ::mallopt(M_MMAP_THRESHOLD, kLargeMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(keep));
  if (map_reserve) run_on_arena_thread([config_bytes] { map_free_heap(config_bytes); });
  keeping_heap = true;
  return config_bytes;
}

}  // namespace vigil
