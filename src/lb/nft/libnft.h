// A libnftables context: runs native or JSON command buffers and captures output and errors.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "netlink/result.h"

struct nft_ctx;

namespace vigil::lb::nft {

class NftContext {
 public:
  NftContext();
  ~NftContext();
  NftContext(const NftContext&) = delete;
  NftContext& operator=(const NftContext&) = delete;

  // Native nft syntax; several commands (one per line) form one transaction.
  netlink::Result<void> run_native(const std::string& commands);
  // A {"nftables": [...]} batch: one transaction.
  netlink::Result<void> run_json(const nlohmann::json& batch);
  // `nft -j list ...` as parsed JSON, e.g. list_json("list table inet vigil").
  netlink::Result<nlohmann::json> list_json(const std::string& command);

 private:
  netlink::Result<std::string> run(const std::string& text, bool json);
  nft_ctx* plain_ = nullptr;
  nft_ctx* json_ = nullptr;
};

}  // namespace vigil::lb::nft
