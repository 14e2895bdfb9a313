#include "control/exposition.h"

#include <fmt/format.h>

namespace vigil::control {

std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void Exposition::sample(std::string_view name, std::string_view labels, double value) {
  out_ += name;
  if (!labels.empty()) out_ += fmt::format("{{{}}}", labels);
  out_ += fmt::format(" {}\n", value);
}

std::string Exposition::format_bound(double bound) {
  return fmt::format("{}", bound);
}

void Exposition::bucket(std::string_view name, std::string_view labels, const std::string& sep,
                        std::string_view le, double value) {
  out_ += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, value);
}

}  // namespace vigil::control
