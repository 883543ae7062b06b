// Errors and status values shared by every module.
//
// Boundaries (load, build, partition) throw n2d2::Error, whose message names the file, node, op
// or tensor concerned. UnsupportedError marks what is valid ONNX but not implemented here, so that
// callers (the conformance runner, `info`) can tell "not supported" from "wrong".
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace n2d2 {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UnsupportedError : public Error {
 public:
  using Error::Error;
};

namespace detail {
template <class... Args>
std::string concat(Args&&... args) {
  std::ostringstream os;
  (os << ... << std::forward<Args>(args));
  return os.str();
}
}  // namespace detail

template <class... Args>
[[noreturn]] void fail(Args&&... args) {
  throw Error(detail::concat(std::forward<Args>(args)...));
}

template <class... Args>
[[noreturn]] void fail_unsupported(Args&&... args) {
  throw UnsupportedError(detail::concat(std::forward<Args>(args)...));
}

// Result of a kernel run: hot paths return this instead of throwing.
class Status {
 public:
  Status() = default;
  static Status ok() { return {}; }
  template <class... Args>
  static Status error(Args&&... args) {
    Status s;
    s.message_ = detail::concat(std::forward<Args>(args)...);
    if (s.message_.empty()) s.message_ = "error";
    return s;
  }
  bool is_ok() const { return message_.empty(); }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace n2d2

#if defined(N2D2_ENABLE_ASSERTS) || !defined(NDEBUG)
#define N2D2_ASSERT(cond)                                                                    \
  do {                                                                                       \
    if (!(cond))                                                                             \
      throw ::n2d2::Error(::n2d2::detail::concat("internal error: assertion `", #cond,       \
                                                 "` failed at ", __FILE__, ":", __LINE__)); \
  } while (0)
#else
#define N2D2_ASSERT(cond) ((void)0)
#endif
