// vigild entry point. Command-line handling lives in daemon/options.* (keepalived's flags).
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-v") == 0 || std::strcmp(argv[i], "--version") == 0) {
      std::printf("vigild %s\n", VIGIL_VERSION);
      return 0;
    }
  }
  std::fprintf(stderr, "vigild: not yet runnable\n");
  return 1;
}
