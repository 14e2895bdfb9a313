#include "lb/nft/nft_data_plane.h"

#include <spdlog/spdlog.h>

#include "base/time.h"
#include "lb/nft/route_device.h"

namespace vigil::lb::nft {

NftDataPlane::NftDataPlane(DeviceResolver device_of)
    : device_of_(device_of ? std::move(device_of) : DeviceResolver(route_device)) {}

Result<void> NftDataPlane::apply(const DesiredState& state) {
  const int64_t t0 = mono_micros();
  auto next = render(state, device_of_);
  if (!next) return next.error();
  last_batch_ = diff(applied_ ? &*applied_ : nullptr, *next);
  const int64_t t1 = mono_micros();
  applied_.reset();  // until both transactions succeed, the kernel's state is unknown
  if (auto r = ctx_.run_native(last_batch_.native); !r) return r.error();
  if (auto r = ctx_.run_json(last_batch_.json); !r) return r.error();
  applied_ = std::move(*next);
  const int64_t t2 = mono_micros();
  // Benchmarks (bench/lvs.py) read these figures; the monotonic time is when the kernel had it.
  spdlog::debug(
      "data plane (nftables): applied in {} us (render+diff {} us, kernel {} us), "
      "committed at {} us (monotonic)",
      t2 - t0, t1 - t0, t2 - t1, t2);
  return {};
}

void NftDataPlane::remove_all() {
  (void)ctx_.run_native(remove_all_native());
  applied_.reset();
}

}  // namespace vigil::lb::nft
