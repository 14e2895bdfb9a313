#include "lb/nft/nft_data_plane.h"

#include <spdlog/spdlog.h>

#include "base/time.h"
#include "lb/nft/route_device.h"
#include "lb/nft/weight_update.h"

namespace vigil::lb::nft {

NftDataPlane::NftDataPlane(DeviceResolver device_of)
    : device_of_(device_of ? std::move(device_of) : DeviceResolver(route_device)) {}

Result<void> NftDataPlane::run(const Batch& batch) {
  rendered_at_ = mono_micros();
  ran_ = true;
  if (auto r = ctx_.run_native(batch.native); !r) return r.error();
  if (!batch.json["nftables"].empty())
    if (auto r = ctx_.run_json(batch.json); !r) return r.error();
  if (!batch.picks.empty() || !batch.dropped_chains.empty()) {
    if (!elements_) {
      auto s = SetElementSocket::open();
      if (!s) return s.error();
      elements_.emplace(std::move(*s));
    }
    if (auto r = elements_->apply(batch.picks, batch.dropped_chains); !r) return r.error();
  }
  if (!batch.after["nftables"].empty())
    if (auto r = ctx_.run_json(batch.after); !r) return r.error();
  return {};
}

NftDataPlane::Fragment NftDataPlane::fragment(Model model, SlotMap slots) {
  Fragment f;
  f.shared = shared_part(model);
  f.model = std::move(model);
  f.slots = std::move(slots);
  return f;
}

Result<void> NftDataPlane::rebuild(const DesiredState& state) {
  std::map<ServiceKey, Fragment> fragments;
  Model full = skeleton({});
  for (const Service& s : state.services) {
    SlotMap slots;
    auto f = render_service(s, device_of_, nullptr, &slots);
    if (!f) return f.error();
    merge_into(full, *f);
    fragments.emplace(s.key, fragment(std::move(*f), std::move(slots)));
  }
  last_rendered_ = state.services.size();
  last_changed_ = state.services.size();
  last_batch_ = diff(nullptr, full);
  if (auto r = run(last_batch_); !r) return r.error();
  // The rebuild's batch is the whole ruleset as JSON (tens of MB at 37,205 destinations):
  // freed here, not by the next apply's assignment, which it delayed by ~170 ms.
  last_batch_ = Batch{};
  services_.clear();
  for (const Service& s : state.services) services_.emplace(s.key, s);
  fragments_ = std::move(fragments);
  known_ = true;
  return {};
}

Result<bool> NftDataPlane::update_weights(const std::map<ServiceKey, const Service*>& changed) {
  std::vector<std::pair<Fragment*, WeightUpdate>> updates;
  for (const auto& [key, s] : changed) {
    auto old = services_.find(key);
    auto f = fragments_.find(key);
    if (!s || old == services_.end() || f == fragments_.end()) return false;
    auto u = weight_update(old->second, *s, f->second.model, f->second.slots, device_of_);
    if (!u) return false;
    updates.emplace_back(&f->second, std::move(*u));
  }
  last_batch_ = Batch{};
  for (auto& [f, u] : updates)
    if (!u.pick.removed.empty() || !u.pick.added.empty()) last_batch_.picks.push_back(u.pick);
  if (auto r = run(last_batch_); !r) return r.error();
  for (auto& [f, u] : updates) {
    apply_pick_update(f->model, u.pick);
    f->slots = std::move(u.slots);
  }
  for (const auto& [key, s] : changed) services_.insert_or_assign(key, *s);
  return true;
}

Result<void> NftDataPlane::update(const DesiredState& state, const std::vector<ServiceKey>* hint) {
  // The services that differ: new, changed, or gone.
  std::map<ServiceKey, const Service*> changed;  // nullptr: gone
  if (hint) {
    for (const ServiceKey& key : *hint) {
      const Service* next = state.find(key);
      auto old = services_.find(key);
      if (!next && old == services_.end()) continue;
      if (next && old != services_.end() && old->second == *next) continue;
      changed.emplace(key, next);
    }
  } else {
    auto old = services_.begin();
    auto next = state.services.begin();
    while (old != services_.end() || next != state.services.end()) {
      if (next == state.services.end() || (old != services_.end() && old->first < next->key)) {
        changed.emplace(old->first, nullptr);
        ++old;
      } else if (old == services_.end() || next->key < old->first) {
        changed.emplace(next->key, &*next);
        ++next;
      } else {
        if (!(old->second == *next)) changed.emplace(next->key, &*next);
        ++old;
        ++next;
      }
    }
  }
  last_rendered_ = 0;
  last_changed_ = changed.size();
  if (changed.empty()) {
    last_batch_ = Batch{};
    return {};
  }
  {
    auto fast = update_weights(changed);
    if (!fast) return fast.error();
    if (*fast) return {};
  }
  std::map<ServiceKey, Fragment> rendered;
  for (const auto& [key, s] : changed) {
    if (!s) continue;
    auto old = fragments_.find(key);
    SlotMap slots;
    auto f = render_service(*s, device_of_, old != fragments_.end() ? &old->second.slots : nullptr,
                            &slots);
    if (!f) return f.error();
    rendered.emplace(key, fragment(std::move(*f), std::move(slots)));
    ++last_rendered_;
  }
  auto old_one = fragments_.find(changed.begin()->first);
  auto new_one = rendered.find(changed.begin()->first);
  if (changed.size() == 1 && old_one != fragments_.end() && new_one != rendered.end() &&
      old_one->second.shared == new_one->second.shared) {
    // One service changed and needs the same shared objects (a death, a weight): its two
    // renderings are the whole difference, no skeleton or copies needed.
    last_batch_ = diff(&old_one->second.model, new_one->second.model, {.raw_pick_elements = true});
  } else {
    // Before and after, restricted to the changed services plus the shared objects of all.
    std::vector<const Model*> before_parts;
    std::vector<const Model*> after_parts;
    for (const auto& [key, f] : fragments_) {
      before_parts.push_back(&f.shared);
      if (!changed.count(key)) after_parts.push_back(&f.shared);
    }
    for (const auto& [key, f] : rendered) after_parts.push_back(&f.shared);
    Model before = skeleton(before_parts);
    Model after = skeleton(after_parts);
    for (const auto& [key, s] : changed) {
      if (auto it = fragments_.find(key); it != fragments_.end())
        merge_into(before, it->second.model);
      if (auto it = rendered.find(key); it != rendered.end()) merge_into(after, it->second.model);
    }
    last_batch_ = diff(&before, after, {.raw_pick_elements = true});
  }
  if (auto r = run(last_batch_); !r) return r.error();
  for (const auto& [key, s] : changed) {
    if (!s) {
      services_.erase(key);
      fragments_.erase(key);
      continue;
    }
    services_.insert_or_assign(key, *s);
    fragments_.insert_or_assign(key, std::move(rendered.at(key)));
  }
  return {};
}

Result<void> NftDataPlane::apply(const DesiredState& state) {
  return apply_with(state, nullptr);
}

Result<void> NftDataPlane::apply_changed(const DesiredState& state,
                                         const std::vector<ServiceKey>& changed) {
  return apply_with(state, &changed);
}

Result<void> NftDataPlane::apply_with(const DesiredState& state,
                                      const std::vector<ServiceKey>* hint) {
  const int64_t t0 = mono_micros();
  ran_ = false;
  const bool was_known = known_;
  known_ = false;  // until the transactions succeed, the kernel's state is unknown
  auto r = was_known ? update(state, hint) : rebuild(state);
  if (!r) {
    services_.clear();
    fragments_.clear();
    return r.error();
  }
  known_ = true;
  const int64_t t2 = mono_micros();
  const int64_t t1 = ran_ ? rendered_at_ : t2;
  // Benchmarks (bench/lvs.py) read these figures; the monotonic time is when the kernel had it.
  spdlog::debug(
      "data plane (nftables): applied in {} us (render+diff {} us, kernel {} us), committed at "
      "{} us (monotonic); {} of {} service(s) rendered, {} changed",
      t2 - t0, t1 - t0, t2 - t1, t2, last_rendered_, state.services.size(), last_changed_);
  return {};
}

void NftDataPlane::remove_all() {
  (void)ctx_.run_native(remove_all_native());
  known_ = false;
  services_.clear();
  fragments_.clear();
}

}  // namespace vigil::lb::nft
