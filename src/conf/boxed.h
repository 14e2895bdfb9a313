// Boxed<T>: a value of T kept on the heap only once something is written to it. Reading an
// unset box gives a default-constructed T, so the model keeps its meaning; copies are deep.
// For rarely set, large members of objects there are many of (a vrrp_instance's notify
// scripts are 1.1 KB inline, and a generated config can have 65,024 instances).
#pragma once

#include <memory>

namespace vigil::conf {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;

  // Reads never allocate (also through a non-const box).
  const T& operator*() const { return p_ ? *p_ : empty(); }
  const T* operator->() const { return &**this; }
  // For writing: allocates the value on first use.
  T& mut() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  bool allocated() const { return p_ != nullptr; }
  // By value: an unset box equals one holding a default T.
  friend bool operator==(const Boxed& a, const Boxed& b) { return *a == *b; }

 private:
  static const T& empty() {
    static const T e{};
    return e;
  }
  std::unique_ptr<T> p_;
};

}  // namespace vigil::conf
