#include "apps/n2d2-flow/spike_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "frontends/io/npy.h"
#include "graph/error.h"

namespace n2d2::cli {

namespace {

void write_png(const cv::Mat& img, const std::string& path) {
  std::vector<uchar> png;
  if (!cv::imencode(".png", img, png)) fail(path, ": cannot encode PNG");
  io::write_file_atomic(path, std::string(png.begin(), png.end()));
}

void text(cv::Mat& img, const std::string& s, int x, int y, double scale = 0.45) {
  cv::putText(img, s, {x, y}, cv::FONT_HERSHEY_SIMPLEX, scale, {0, 0, 0}, 1, cv::LINE_AA);
}

std::string num(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

void write_accuracy_curve_png(const std::vector<CurvePoint>& curve, double formal_accuracy, const std::string& path) {
  const int W = 800, H = 500, L = 70, R = 30, T = 40, B = 60;
  cv::Mat img(H, W, CV_8UC3, cv::Scalar(255, 255, 255));
  double tmax = 0, amin = formal_accuracy, amax = formal_accuracy;
  for (const auto& p : curve) {
    tmax = std::max(tmax, p.time_fs);
    amin = std::min(amin, p.accuracy);
    amax = std::max(amax, p.accuracy);
  }
  if (tmax <= 0) tmax = 1;
  amin = std::max(0.0, std::floor(amin / 5) * 5);
  amax = std::min(100.0, std::ceil(amax / 5) * 5 + (amax >= 100 ? 0 : 1));
  if (amax <= amin) amax = amin + 1;
  auto X = [&](double t) { return L + int((W - L - R) * t / tmax); };
  auto Y = [&](double a) { return H - B - int((H - T - B) * (a - amin) / (amax - amin)); };
  cv::rectangle(img, {L, T}, {W - R, H - B}, {0, 0, 0}, 1);
  for (int k = 0; k <= 5; ++k) {
    double a = amin + (amax - amin) * k / 5, t = tmax * k / 5;
    cv::line(img, {L, Y(a)}, {W - R, Y(a)}, {225, 225, 225}, 1);
    text(img, num("%.1f", a), 10, Y(a) + 5);
    text(img, num("%.3g", t / 1e9), X(t) - 12, H - B + 20);
  }
  text(img, "simulated time (us)", W / 2 - 70, H - 15, 0.5);
  text(img, "accuracy (%) vs simulated time; dashed: formal", L, 25, 0.5);
  for (int x = L; x < W - R; x += 12) cv::line(img, {x, Y(formal_accuracy)}, {x + 6, Y(formal_accuracy)}, {0, 0, 200}, 1);
  for (std::size_t i = 0; i < curve.size(); ++i) {
    cv::Point p{X(curve[i].time_fs), Y(curve[i].accuracy)};
    cv::circle(img, p, 3, {200, 80, 0}, cv::FILLED, cv::LINE_AA);
    if (i) cv::line(img, {X(curve[i - 1].time_fs), Y(curve[i - 1].accuracy)}, p, {200, 80, 0}, 2, cv::LINE_AA);
  }
  write_png(img, path);
}

void write_raster_png(const std::vector<RasterBand>& bands, double duration_fs, const std::string& path) {
  const int W = 1000, L = 80, R = 20, T = 30, B = 45;
  std::vector<int> heights;
  int total = 0;
  for (const auto& b : bands) {
    heights.push_back(std::clamp(int(40 * std::log10(double(std::max<uint64_t>(b.neurons, 1)) + 1)), 30, 180));
    total += heights.back() + 6;
  }
  const int H = T + total + B;
  cv::Mat img(H, W, CV_8UC3, cv::Scalar(255, 255, 255));
  if (duration_fs <= 0) duration_fs = 1;
  int y0 = T;
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const auto& b = bands[i];
    const int h = heights[i];
    cv::rectangle(img, {L, y0}, {W - R, y0 + h}, {160, 160, 160}, 1);
    text(img, b.name, 5, y0 + h / 2 + 5);
    for (const auto& s : b.spikes) {
      int x = L + int((W - L - R) * double(s.time) / duration_fs);
      int y = y0 + int((h - 1) * (double(s.neuron) + 0.5) / double(std::max<uint64_t>(b.neurons, 1)));
      img.at<cv::Vec3b>(std::clamp(y, y0, y0 + h - 1), std::clamp(x, L, W - R - 1)) =
          s.sign < 0 ? cv::Vec3b(0, 0, 220) : cv::Vec3b(0, 0, 0);
    }
    y0 += h + 6;
  }
  for (int k = 0; k <= 5; ++k) text(img, num("%.3g", duration_fs * k / 5 / 1e9), L + (W - L - R) * k / 5 - 10, H - B + 20);
  text(img, "simulated time (us); one band per layer, neurons top to bottom", L, H - 8, 0.45);
  text(img, "raster of pattern 0", L, 20, 0.5);
  write_png(img, path);
}

}  // namespace n2d2::cli
