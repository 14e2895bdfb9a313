// Giving back the resident pages of code that ran once. At start-up a daemon runs much code
// it never runs again (option and configuration parsing, logging set-up, the loader's
// relocation of its libraries), and the kernel maps 64 KiB around every page it faults in
// (fault-around), so its executable and libraries stay resident at several MiB each although
// the steady state runs a fraction of that (docs/benchmarks.md, "Many instances in one daemon").
#pragma once

#include <cstddef>

namespace vigil {

// Drops this process's page-table entries of the read-only load segments (code, read-only
// data) of its executable and loaded libraries, which hold exactly the files' contents: nothing
// is lost, the next access maps a page again from the page cache (a minor fault), so afterwards
// only what runs stays resident. Writable segments (data, the relocated RELRO part) and objects
// with text relocations are left alone. Returns the size of the ranges dropped (mapped or not).
size_t release_clean_file_pages();

}  // namespace vigil
