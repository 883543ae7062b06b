#include "apps/n2d2-flow/progress.h"

#include <cstdio>
#include <unistd.h>

namespace n2d2::cli {

Progress::Progress(std::string label, int64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total > 0 ? total : 1), tty_(isatty(2) != 0),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() {
  if (!finished_ && done_ > 0) finish();
}

void Progress::update(int64_t done) {
  done_ = done;
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    draw(done, false);
  } else {
    int decile = static_cast<int>(10 * done / total_);
    if (decile == last_decile_ || decile >= 10) return;
    last_decile_ = decile;
    if (decile > 0) draw(done, false);
  }
}

void Progress::finish() {
  finished_ = true;
  draw(done_, true);
}

void Progress::draw(int64_t done, bool final) {
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = s > 0 ? done / s : 0;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(kWidth * done / total_);
  if (filled > kWidth) filled = kWidth;
  std::string bar(filled, '#');
  bar.append(kWidth - filled, '.');
  char eta[32] = "";
  if (!final && rate > 0) std::snprintf(eta, sizeof eta, " ETA %.0f s", (total_ - done) / rate);
  std::fprintf(stderr, "%s%s [%s] %lld/%lld %s, %.1f/s%s%s", tty_ ? "\r" : "", label_.c_str(), bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(total_), unit_.c_str(), rate, final ? "" : eta,
               tty_ && !final ? "\033[K" : "\n");
  std::fflush(stderr);
}

}  // namespace n2d2::cli
