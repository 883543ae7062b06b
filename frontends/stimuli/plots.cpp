#include "frontends/stimuli/plots.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "frontends/io/npy.h"
#include "graph/error.h"

namespace n2d2::stimuli {

void write_confusion_png(const data::ClassificationScore& score, const std::vector<std::string>& names,
                         const std::string& path) {
  const int n = score.classes(), cell = n <= 20 ? 48 : 16, margin = 110;
  cv::Mat img(margin + n * cell + 10, margin + n * cell + 10, CV_8UC3, cv::Scalar(255, 255, 255));
  auto label = [&](int c) { return c < static_cast<int>(names.size()) ? names[c] : std::to_string(c); };
  for (int t = 0; t < n; ++t) {
    int64_t row = 0;
    for (int p = 0; p < n; ++p) row += score.confusion(t, p);
    for (int p = 0; p < n; ++p) {
      int64_t v = score.confusion(t, p);
      double share = row ? static_cast<double>(v) / row : 0.0;
      cv::Rect r(margin + p * cell, margin + t * cell, cell - 1, cell - 1);
      // white -> blue on the diagonal, white -> red elsewhere
      cv::Scalar colour = t == p ? cv::Scalar(255, 255 * (1 - share), 255 * (1 - share))
                                 : cv::Scalar(255 * (1 - share), 255 * (1 - share), 255);
      cv::rectangle(img, r, colour, cv::FILLED);
      if (cell >= 32)
        cv::putText(img, std::to_string(v), {r.x + 3, r.y + cell / 2 + 4}, cv::FONT_HERSHEY_SIMPLEX, 0.35, {0, 0, 0}, 1, cv::LINE_AA);
    }
    cv::putText(img, label(t).substr(0, 14), {4, margin + t * cell + cell / 2 + 4}, cv::FONT_HERSHEY_SIMPLEX, 0.4, {0, 0, 0}, 1,
                cv::LINE_AA);
  }
  for (int p = 0; p < n; ++p) {
    cv::Mat text(20, margin - 10, CV_8UC3, cv::Scalar(255, 255, 255));
    cv::putText(text, label(p).substr(0, 14), {2, 14}, cv::FONT_HERSHEY_SIMPLEX, 0.4, {0, 0, 0}, 1, cv::LINE_AA);
    cv::Mat rotated;
    cv::rotate(text, rotated, cv::ROTATE_90_COUNTERCLOCKWISE);
    int x = margin + p * cell + (cell - rotated.cols) / 2;
    if (x >= 0 && x + rotated.cols <= img.cols) rotated.copyTo(img(cv::Rect(x, 5, rotated.cols, rotated.rows)));
  }
  cv::putText(img, "truth \\ predicted", {4, margin - 8}, cv::FONT_HERSHEY_SIMPLEX, 0.35, {80, 80, 80}, 1, cv::LINE_AA);
  std::vector<uchar> png;
  if (!cv::imencode(".png", img, png)) fail(path, ": cannot encode the confusion matrix as PNG");
  io::write_file_atomic(path, std::string(png.begin(), png.end()));
}

}  // namespace n2d2::stimuli
