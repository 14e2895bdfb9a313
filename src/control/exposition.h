// Writing Prometheus text exposition (format 0.0.4): families with HELP and TYPE, samples with
// escaped label values, histograms as _bucket{le}/_sum/_count. Shared by the VRRP, LVS and
// daemon parts of /metrics (control/metrics.h), so each family is written the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::control {

// A label value with backslash, double quote and newline escaped.
std::string escape_label(std::string_view value);

class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help);
  // `labels` is `a="x",b="y"` (already escaped) or empty.
  void sample(std::string_view name, std::string_view labels, double value);
  // One histogram's series: `cumulative(i)` observations <= bounds[i], then +Inf = count.
  template <typename Bounds, typename Cumulative>
  void histogram(std::string_view name, std::string_view labels, const Bounds& bounds,
                 Cumulative cumulative, uint64_t count, double sum) {
    const std::string sep = labels.empty() ? "" : ",";
    for (size_t i = 0; i < bounds.size(); ++i)
      bucket(name, labels, sep, format_bound(bounds[i]), static_cast<double>(cumulative(i)));
    bucket(name, labels, sep, "+Inf", static_cast<double>(count));
    sample(std::string(name) + "_sum", labels, sum);
    sample(std::string(name) + "_count", labels, static_cast<double>(count));
  }
  std::string take() { return std::move(out_); }

 private:
  static std::string format_bound(double bound);
  void bucket(std::string_view name, std::string_view labels, const std::string& sep,
              std::string_view le, double value);
  std::string out_;
};

}  // namespace vigil::control
