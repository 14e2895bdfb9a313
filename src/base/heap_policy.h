// How much freed heap a long-running process keeps between configuration loads.
//
// A reload builds the new configuration while the old one still runs, so its allocations are
// as large as the configuration itself. With glibc's trimming that memory goes back to the
// kernel after every load and comes again as fresh pages on the next one: with 37,205 real
// servers ~10,000 page faults, about half of a reload's load time. Small configurations give
// their freed heap back (resident memory is what matters for, say, a VRRP worker with 1,000
// instances); large ones keep a reserve the size of the configuration mapped, so a reload
// reuses it: the process's resident size between reloads is then what it is during one anyway
// (docs/benchmarks.md, "Reload").
//
// Loads of a large configuration run on a short-lived thread of their own (run_config_load),
// so its blocks come from a malloc arena that holds configurations only: freed, they coalesce
// into room for the next one, instead of scattering into the holes between a checker worker's
// long-lived runtime objects (a load there took 100-180 ms of CPU instead of 60-80).
#pragma once

#include <cstddef>
#include <functional>

namespace vigil {

// Heap configurations at or above this size keep their freed heap for the next load.
inline constexpr size_t kHeapReserveFrom = size_t{8} << 20;

// Runs a configuration load (`work`): in this thread while the configuration is small; once
// it is large, on a short-lived thread of its own, waited for, so its blocks come from the
// arena glibc hands from one such thread to the next. An exception `work` throws is rethrown.
void run_config_load(const std::function<void()>& work);

// Fixed malloc thresholds for a long-running daemon process (the small-configuration policy).
// glibc raises its mmap threshold to the size of each large block freed (up to 32 MiB), so
// after start-up's temporaries (parse buffers, status tables of every instance) later large
// blocks come from the heap and their pages stay resident once freed; fixed thresholds keep
// them in mmap (returned on free) and trim the heap top sooner. With 1,000 instances this
// saves ~0.25 MiB in the VRRP worker.
void limit_heap_retention();

// After a load (start-up or reload) and once the previous configuration is freed: below
// kHeapReserveFrom, the small-configuration policy and every free page back to the kernel;
// from there on, large blocks come from the heap, nothing is trimmed, and `config_bytes` of
// free heap are mapped in the configurations' arena (touched here, off any reload's path)
// until reloads free their predecessors there.
// Returns the bytes kept as a reserve (0: trimmed).
size_t settle_heap_after_load(size_t config_bytes);

}  // namespace vigil
