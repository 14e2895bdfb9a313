// Errors as values for kernel-facing calls: the hot path never throws. An Error keeps the
// kernel's errno and a message that already contains the errno text (strerror).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vigil::netlink {

struct Error {
  int code = 0;         // errno (positive), 0 when not from the kernel
  std::string message;  // "what failed: strerror(code)"
};

// Builds "what: strerror(err)".
Error errno_error(int err, std::string_view what);

// A value or an Error. Minimal on purpose (no std::expected in C++20).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace vigil::netlink
