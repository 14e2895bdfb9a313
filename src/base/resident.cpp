#include "base/resident.h"

#include <elf.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace vigil {

namespace {

// An object with text relocations writes into its code segments: those hold private copies.
bool object_has_text_relocations(const dl_phdr_info* info) {
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_DYNAMIC) continue;
    const auto* dyn = reinterpret_cast<const ElfW(Dyn)*>(info->dlpi_addr + ph.p_vaddr);
    for (; dyn->d_tag != DT_NULL; ++dyn)
      if (dyn->d_tag == DT_TEXTREL || (dyn->d_tag == DT_FLAGS && (dyn->d_un.d_val & DF_TEXTREL)))
        return true;
  }
  return false;
}

int release_object_pages(dl_phdr_info* info, size_t, void* data) {
  auto* released = static_cast<size_t*>(data);
  // The vDSO is the kernel's, not a file.
  if (info->dlpi_addr == getauxval(AT_SYSINFO_EHDR) || object_has_text_relocations(info)) return 0;
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    // Read-only load segments only (code, read-only data, the headers): writable ones, RELRO
    // included (it lies in the writable segment), hold the loader's private copies.
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_W) || ph.p_memsz == 0) continue;
    const uintptr_t begin = (info->dlpi_addr + ph.p_vaddr) & ~(page - 1);
    const uintptr_t end = (info->dlpi_addr + ph.p_vaddr + ph.p_memsz + page - 1) & ~(page - 1);
    if (::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED) == 0)
      *released += end - begin;
  }
  return 0;
}

}  // namespace

size_t release_clean_file_pages() {
  // dl_iterate_phdr lists only objects the loader has finished mapping, and holds its lock
  // while it runs, so no object is mapped or unmapped under this walk.
  size_t released = 0;
  ::dl_iterate_phdr(release_object_pages, &released);
  return released;
}

}  // namespace vigil
