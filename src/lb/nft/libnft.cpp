#include "lb/nft/libnft.h"

#include <nftables/libnftables.h>

namespace vigil::lb::nft {
namespace {

nft_ctx* make_context(bool json) {
  nft_ctx* c = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!c) return nullptr;
  nft_ctx_buffer_output(c);
  nft_ctx_buffer_error(c);
  // libnftables 1.0.6 parses input as JSON exactly when the output flag says JSON.
  if (json) nft_ctx_output_set_flags(c, NFT_CTX_OUTPUT_JSON);
  return c;
}

}  // namespace

NftContext::NftContext() : plain_(make_context(false)), json_(make_context(true)) {}

NftContext::~NftContext() {
  if (plain_) nft_ctx_free(plain_);
  if (json_) nft_ctx_free(json_);
}

netlink::Result<std::string> NftContext::run(const std::string& text, bool json) {
  nft_ctx* c = json ? json_ : plain_;
  if (!c) return netlink::Error{0, "libnftables: cannot create a context"};
  int rc = nft_run_cmd_from_buffer(c, text.c_str());
  std::string out = nft_ctx_get_output_buffer(c);
  std::string err = nft_ctx_get_error_buffer(c);
  if (rc != 0) {
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    return netlink::Error{0, "nftables: " + (err.empty() ? std::string("command failed") : err)};
  }
  return out;
}

netlink::Result<void> NftContext::run_native(const std::string& commands) {
  if (commands.empty()) return {};
  auto r = run(commands, false);
  if (!r) return r.error();
  return {};
}

netlink::Result<void> NftContext::run_json(const nlohmann::json& batch) {
  auto r = run(batch.dump(), true);
  if (!r) return r.error();
  return {};
}

netlink::Result<nlohmann::json> NftContext::list_json(const std::string& command) {
  auto r = run(command, true);
  if (!r) return r.error();
  auto j = nlohmann::json::parse(*r, nullptr, false);
  if (j.is_discarded()) return netlink::Error{0, "nftables: unparsable JSON listing"};
  return j;
}

}  // namespace vigil::lb::nft
