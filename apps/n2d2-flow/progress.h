// A progress line on stderr for long jobs: "label [#####.....] done/total rate/s ETA". Redrawn at
// most 5 times a second when stderr is a terminal; otherwise one line every 10 % so logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace n2d2::cli {

class Progress {
 public:
  Progress(std::string label, int64_t total, std::string unit = "images");
  void update(int64_t done);  // cheap when nothing is printed
  void finish();              // final line (also called by the destructor if needed)
  ~Progress();

 private:
  void draw(int64_t done, bool final);
  std::string label_, unit_;
  int64_t total_;
  bool tty_, finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
  int64_t done_ = 0;
};

}  // namespace n2d2::cli
