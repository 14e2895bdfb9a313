#include "lb/data_plane.h"

#include "lb/ipvs/ipvs_data_plane.h"
#include "lb/nft/nft_data_plane.h"

namespace vigil::lb {

std::optional<DataPlaneKind> parse_data_plane_kind(std::string_view text) {
  if (text == "auto") return DataPlaneKind::Auto;
  if (text == "ipvs") return DataPlaneKind::Ipvs;
  if (text == "nft" || text == "nftables") return DataPlaneKind::Nft;
  return std::nullopt;
}

Result<std::unique_ptr<DataPlane>> make_data_plane(DataPlaneKind kind) {
  if (kind == DataPlaneKind::Nft || (kind == DataPlaneKind::Auto && !ipvs::kernel_has_ipvs())) {
    return std::unique_ptr<DataPlane>(std::make_unique<nft::NftDataPlane>());
  }
  auto ipvs = ipvs::IpvsDataPlane::create();
  if (!ipvs) return ipvs.error();
  return std::unique_ptr<DataPlane>(std::move(*ipvs));
}

}  // namespace vigil::lb
