// The built-in transformations (transformation.h). Geometry follows N2D2: PadCrop and the
// default slice are centred, borders use OpenCV's border modes under N2D2's names.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "frontends/io/npy.h"
#include "frontends/stimuli/transformation.h"
#include "graph/error.h"

namespace n2d2::stimuli {

namespace {

std::vector<double> numbers(const ini::Section& sec, const std::string& name, const std::string& text) {
  std::istringstream in(text);
  std::vector<double> r;
  for (std::string w; in >> w;) {
    std::optional<double> v = ini::parse_double(w);
    if (!v) fail(sec.where.str(), ": [", sec.name, "] ", name, ": '", w, "' is not a number");
    r.push_back(*v);
  }
  return r;
}

struct Border {
  int mode = cv::BORDER_REFLECT_101;
  bool mean = false;
  cv::Scalar value = cv::Scalar::all(0);
};

Border read_border(ini::SectionReader& r) {
  static const std::map<std::string, int> modes = {{"ConstantBorder", cv::BORDER_CONSTANT},
                                                   {"ReplicateBorder", cv::BORDER_REPLICATE},
                                                   {"ReflectBorder", cv::BORDER_REFLECT},
                                                   {"WrapBorder", cv::BORDER_WRAP},
                                                   {"MinusOneReflectBorder", cv::BORDER_REFLECT_101},
                                                   {"MeanBorder", cv::BORDER_CONSTANT}};
  std::vector<std::string> names;
  for (const auto& [k, v] : modes) names.push_back(k);
  Border b;
  std::string m = r.get_choice("BorderType", "MinusOneReflectBorder", names);
  b.mode = modes.at(m);
  b.mean = m == "MeanBorder";
  std::vector<double> v = numbers(r.section(), "BorderValue", r.get_string("BorderValue", "0"));
  for (std::size_t i = 0; i < v.size() && i < 4; ++i) b.value[static_cast<int>(i)] = v[i];
  if (v.size() == 1) b.value = cv::Scalar::all(v[0]);
  return b;
}

// Pads (or crops, for negative amounts) `m` by top/bottom/left/right.
cv::Mat pad_crop(const cv::Mat& m, int top, int bottom, int left, int right, const Border& b) {
  int ct = std::max(0, -top), cb = std::max(0, -bottom), cl = std::max(0, -left), cr = std::max(0, -right);
  cv::Mat cropped = m(cv::Rect(cl, ct, m.cols - cl - cr, m.rows - ct - cb));
  int pt = std::max(0, top), pb = std::max(0, bottom), pl = std::max(0, left), pr = std::max(0, right);
  if (pt + pb + pl + pr == 0) return cropped.clone();
  cv::Mat out;
  cv::copyMakeBorder(cropped, out, pt, pb, pl, pr, b.mode, b.mean ? cv::mean(m) : b.value);
  return out;
}

class Rescale final : public Transformation {
 public:
  explicit Rescale(ini::SectionReader& r)
      : w_(static_cast<int>(r.get_int("Width", 0))), h_(static_cast<int>(r.get_int("Height", 0))),
        keep_(r.get_bool("KeepAspectRatio", false)), fit_(r.get_bool("ResizeToFit", true)) {
    if (w_ <= 0 || h_ <= 0) fail(r.section().where.str(), ": [", r.section().name, "] needs Width and Height > 0");
  }
  std::string type() const override { return "RescaleTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    cv::Size size(w_, h_);
    if (keep_) {
      double sx = double(w_) / in.cols, sy = double(h_) / in.rows, s = fit_ ? std::min(sx, sy) : std::max(sx, sy);
      size = cv::Size(std::max(1, int(std::lround(in.cols * s))), std::max(1, int(std::lround(in.rows * s))));
    }
    cv::Mat out;
    cv::resize(in, out, size, 0, 0, cv::INTER_LINEAR);
    return out;
  }

 private:
  int w_, h_;
  bool keep_, fit_;
};

class PadCrop final : public Transformation {
 public:
  explicit PadCrop(ini::SectionReader& r)
      : w_(static_cast<int>(r.get_int("Width", 0))), h_(static_cast<int>(r.get_int("Height", 0))), b_(read_border(r)) {
    if (w_ <= 0 || h_ <= 0) fail(r.section().where.str(), ": [", r.section().name, "] needs Width and Height > 0");
  }
  std::string type() const override { return "PadCropTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    int dw = w_ - in.cols, dh = h_ - in.rows;
    int left = dw >= 0 ? dw / 2 : -((-dw) / 2), top = dh >= 0 ? dh / 2 : -((-dh) / 2);
    return pad_crop(in, top, dh - top, left, dw - left, b_);
  }

 private:
  int w_, h_;
  Border b_;
};

class ColorSpace final : public Transformation {
 public:
  explicit ColorSpace(ini::SectionReader& r) {
    static const std::map<std::string, std::pair<int, int>> codes = {  // from BGR, from gray
        {"BGR", {-1, cv::COLOR_GRAY2BGR}},           {"RGB", {cv::COLOR_BGR2RGB, cv::COLOR_GRAY2RGB}},
        {"HSV", {cv::COLOR_BGR2HSV, -2}},            {"HLS", {cv::COLOR_BGR2HLS, -2}},
        {"YCrCb", {cv::COLOR_BGR2YCrCb, -2}},        {"CIELab", {cv::COLOR_BGR2Lab, -2}},
        {"CIELuv", {cv::COLOR_BGR2Luv, -2}},         {"RGB_to_BGR", {cv::COLOR_RGB2BGR, -2}},
        {"RGB_to_HSV", {cv::COLOR_RGB2HSV, -2}},     {"RGB_to_HLS", {cv::COLOR_RGB2HLS, -2}},
        {"RGB_to_YCrCb", {cv::COLOR_RGB2YCrCb, -2}}, {"RGB_to_CIELab", {cv::COLOR_RGB2Lab, -2}},
        {"RGB_to_CIELuv", {cv::COLOR_RGB2Luv, -2}},  {"HSV_to_BGR", {cv::COLOR_HSV2BGR, -2}},
        {"HSV_to_RGB", {cv::COLOR_HSV2RGB, -2}},     {"HLS_to_BGR", {cv::COLOR_HLS2BGR, -2}},
        {"HLS_to_RGB", {cv::COLOR_HLS2RGB, -2}},     {"YCrCb_to_BGR", {cv::COLOR_YCrCb2BGR, -2}},
        {"YCrCb_to_RGB", {cv::COLOR_YCrCb2RGB, -2}}, {"CIELab_to_BGR", {cv::COLOR_Lab2BGR, -2}},
        {"CIELab_to_RGB", {cv::COLOR_Lab2RGB, -2}},  {"CIELuv_to_BGR", {cv::COLOR_Luv2BGR, -2}},
        {"CIELuv_to_RGB", {cv::COLOR_Luv2RGB, -2}}};
    std::vector<std::string> names;
    for (const auto& [k, v] : codes) names.push_back(k);
    name_ = r.get_choice("ColorSpace", "", names);
    if (name_.empty()) fail(r.section().where.str(), ": [", r.section().name, "] needs ColorSpace");
    code_ = codes.at(name_);
  }
  std::string type() const override { return "ColorSpaceTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    int code = in.channels() == 1 ? code_.second : code_.first;
    if (code == -2) fail("ColorSpaceTransformation ", name_, ": needs a 3-channel image, got ", in.channels(), " channel(s)");
    if (code == -1) return in.clone();
    cv::Mat out;
    cv::cvtColor(in, out, code);
    return out;
  }

 private:
  std::string name_;
  std::pair<int, int> code_;
};

class ChannelExtraction final : public Transformation {
 public:
  explicit ChannelExtraction(ini::SectionReader& r) {
    channel_ = r.get_choice("CSChannel", "", {"Blue", "Green", "Red", "Hue", "Saturation", "Value", "Gray", "Y", "Cb", "Cr",
                                              "L", "a", "b"});
    if (channel_.empty()) fail(r.section().where.str(), ": [", r.section().name, "] needs CSChannel");
  }
  std::string type() const override { return "ChannelExtractionTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    if (in.channels() == 1) {
      if (channel_ == "Gray") return in.clone();
      fail("ChannelExtractionTransformation ", channel_, ": needs a 3-channel (BGR) image");
    }
    cv::Mat conv = in, out;
    int index = 0;
    if (channel_ == "Gray") {
      cv::cvtColor(in, out, cv::COLOR_BGR2GRAY);
      return out;
    } else if (channel_ == "Blue" || channel_ == "Green" || channel_ == "Red") {
      index = channel_ == "Blue" ? 0 : channel_ == "Green" ? 1 : 2;
    } else if (channel_ == "Hue" || channel_ == "Saturation" || channel_ == "Value") {
      cv::cvtColor(in, conv, cv::COLOR_BGR2HSV);
      index = channel_ == "Hue" ? 0 : channel_ == "Saturation" ? 1 : 2;
    } else if (channel_ == "Y" || channel_ == "Cr" || channel_ == "Cb") {
      cv::cvtColor(in, conv, cv::COLOR_BGR2YCrCb);
      index = channel_ == "Y" ? 0 : channel_ == "Cr" ? 1 : 2;
    } else {
      cv::cvtColor(in, conv, cv::COLOR_BGR2Lab);
      index = channel_ == "L" ? 0 : channel_ == "a" ? 1 : 2;
    }
    cv::extractChannel(conv, out, index);
    return out;
  }

 private:
  std::string channel_;
};

enum class Op { Plus, Minus, Multiplies, Divides };
Op read_op(ini::SectionReader& r, const std::string& name, const std::string& def) {
  std::string s = r.get_choice(name, def, {"Plus", "Minus", "Multiplies", "Divides"});
  return s == "Plus" ? Op::Plus : s == "Minus" ? Op::Minus : s == "Multiplies" ? Op::Multiplies : Op::Divides;
}
void apply_op(cv::Mat& m, Op op, const cv::Mat& v) {  // m, v: same size and type (float)
  switch (op) {
    case Op::Plus: m += v; break;
    case Op::Minus: m -= v; break;
    case Op::Multiplies: m = m.mul(v); break;
    case Op::Divides: m = m / v; break;
  }
}
cv::Mat to_float(const cv::Mat& in) {
  cv::Mat f;
  in.convertTo(f, CV_MAKETYPE(CV_32F, in.channels()));
  return f;
}

class RangeAffine final : public Transformation {
 public:
  explicit RangeAffine(ini::SectionReader& r) {
    first_op_ = read_op(r, "FirstOperator", "");
    if (!r.has("FirstOperator")) fail(r.section().where.str(), ": [", r.section().name, "] needs FirstOperator");
    first_ = numbers(r.section(), "FirstValue", r.require_string("FirstValue"));
    has_second_ = r.has("SecondOperator");
    second_op_ = read_op(r, "SecondOperator", "Plus");
    second_ = numbers(r.section(), "SecondValue", r.get_string("SecondValue", has_second_ ? "" : "0"));
    if (first_.empty() || (has_second_ && second_.empty()))
      fail(r.section().where.str(), ": [", r.section().name, "] needs a value per operator");
  }
  std::string type() const override { return "RangeAffineTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    cv::Mat f = to_float(in);
    apply_op(f, first_op_, scalar_mat(f, first_));
    if (has_second_) apply_op(f, second_op_, scalar_mat(f, second_));
    return f;
  }

 private:
  // One value for every channel, or one per channel.
  static cv::Mat scalar_mat(const cv::Mat& like, const std::vector<double>& v) {
    if (v.size() != 1 && v.size() != static_cast<std::size_t>(like.channels()))
      fail("RangeAffineTransformation: ", v.size(), " values for an image of ", like.channels(), " channels");
    cv::Scalar s = v.size() == 1 ? cv::Scalar::all(v[0]) : cv::Scalar(v[0], v.size() > 1 ? v[1] : 0, v.size() > 2 ? v[2] : 0, v.size() > 3 ? v[3] : 0);
    return cv::Mat(like.size(), like.type(), s);
  }
  Op first_op_, second_op_;
  std::vector<double> first_, second_;
  bool has_second_ = false;
};

class Affine final : public Transformation {
 public:
  Affine(const ini::Document& doc, ini::SectionReader& r) {
    first_op_ = read_op(r, "FirstOperator", "");
    if (!r.has("FirstOperator")) fail(r.section().where.str(), ": [", r.section().name, "] needs FirstOperator");
    first_ = load_matrix(doc, r, r.require_string("FirstValue"));
    has_second_ = r.has("SecondOperator");
    second_op_ = read_op(r, "SecondOperator", "Plus");
    if (has_second_) second_ = load_matrix(doc, r, r.require_string("SecondValue"));
  }
  std::string type() const override { return "AffineTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    cv::Mat f = to_float(in);
    apply_op(f, first_op_, fit(first_, f));
    if (has_second_) apply_op(f, second_op_, fit(second_, f));
    return f;
  }

 private:
  // A matrix file: .npy (float32, [H, W] or [H, W, C]) or an image OpenCV reads.
  static cv::Mat load_matrix(const ini::Document& doc, ini::SectionReader& r, const std::string& file) {
    std::filesystem::path p = file;
    if (!p.is_absolute()) p = std::filesystem::path(doc.file()).parent_path() / p;
    if (p.extension() == ".npy") {
      Tensor t = io::read_npy(p.string());
      if (t.dtype() != DType::F32 || (t.rank() != 2 && t.rank() != 3))
        fail(r.section().where.str(), ": ", p.string(), ": need a float32 [H,W] or [H,W,C] array");
      int c = t.rank() == 3 ? static_cast<int>(t.dim(2)) : 1;
      cv::Mat m(static_cast<int>(t.dim(0)), static_cast<int>(t.dim(1)), CV_MAKETYPE(CV_32F, c));
      std::memcpy(m.data, t.raw(), t.nbytes());
      return m;
    }
    cv::Mat m = cv::imread(p.string(), cv::IMREAD_UNCHANGED);
    if (m.empty()) fail(r.section().where.str(), ": cannot read the matrix file ", p.string());
    return to_float(m);
  }
  static const cv::Mat& fit(const cv::Mat& m, const cv::Mat& like) {
    if (m.size() != like.size() || m.channels() != like.channels())
      fail("AffineTransformation: the matrix is ", m.cols, "x", m.rows, "x", m.channels(), ", the image ", like.cols, "x",
           like.rows, "x", like.channels());
    return m;
  }
  Op first_op_, second_op_;
  cv::Mat first_, second_;
  bool has_second_ = false;
};

class SliceExtraction final : public Transformation {
 public:
  explicit SliceExtraction(ini::SectionReader& r)
      : w_(static_cast<int>(r.get_int("Width", 0))), h_(static_cast<int>(r.get_int("Height", 0))),
        x_(static_cast<int>(r.get_int("OffsetX", 0))), y_(static_cast<int>(r.get_int("OffsetY", 0))),
        rx_(r.get_bool("RandomOffsetX", false)), ry_(r.get_bool("RandomOffsetY", false)),
        pad_(r.get_bool("AllowPadding", false)), b_(read_border(r)) {
    if (w_ <= 0 || h_ <= 0) fail(r.section().where.str(), ": [", r.section().name, "] needs Width and Height > 0");
    for (const char* unsupported : {"RandomRotation", "RandomScaling"})
      if (r.get_bool(unsupported, false))
        fail(r.section().where.str(), ": [", r.section().name, "] ", unsupported, "=1 is not supported by n2d2-flow");
    r.accept("RandomRotationRange");
    r.accept("RandomScalingRange");
  }
  std::string type() const override { return "SliceExtractionTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64& rng) const override {
    cv::Mat src = in;
    if ((in.cols < w_ || in.rows < h_)) {
      if (!pad_) fail("SliceExtractionTransformation: a ", w_, "x", h_, " slice of a ", in.cols, "x", in.rows,
                      " image needs AllowPadding=1");
      int dw = std::max(0, w_ - in.cols), dh = std::max(0, h_ - in.rows);
      src = pad_crop(in, 0, dh, 0, dw, b_);
    }
    int x = rx_ ? std::uniform_int_distribution<int>(0, src.cols - w_)(rng) : x_;
    int y = ry_ ? std::uniform_int_distribution<int>(0, src.rows - h_)(rng) : y_;
    if (x < 0 || y < 0 || x + w_ > src.cols || y + h_ > src.rows)
      fail("SliceExtractionTransformation: slice ", w_, "x", h_, "+", x, "+", y, " outside the ", src.cols, "x", src.rows, " image");
    return src(cv::Rect(x, y, w_, h_)).clone();
  }

 private:
  int w_, h_, x_, y_;
  bool rx_, ry_, pad_;
  Border b_;
};

class Flip final : public Transformation {
 public:
  explicit Flip(ini::SectionReader& r)
      : h_(r.get_bool("HorizontalFlip", false)), v_(r.get_bool("VerticalFlip", false)),
        rh_(r.get_bool("RandomHorizontalFlip", false)), rv_(r.get_bool("RandomVerticalFlip", false)) {}
  std::string type() const override { return "FlipTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64& rng) const override {
    bool h = h_, v = v_;
    std::bernoulli_distribution coin(0.5);
    if (rh_) h = coin(rng) ? !h : h;
    if (rv_) v = coin(rng) ? !v : v;
    cv::Mat out = in.clone();
    if (h && v) cv::flip(in, out, -1);
    else if (h) cv::flip(in, out, 1);
    else if (v) cv::flip(in, out, 0);
    return out;
  }

 private:
  bool h_, v_, rh_, rv_;
};

class Distortion final : public Transformation {
 public:
  explicit Distortion(ini::SectionReader& r)
      : size_(static_cast<int>(r.get_int("ElasticGaussianSize", 15))), sigma_(r.get_double("ElasticSigma", 6.0)),
        elastic_(r.get_double("ElasticScaling", 0.0)), scaling_(r.get_double("Scaling", 0.0)),
        rotation_(r.get_double("Rotation", 0.0)) {
    if (size_ <= 0 || size_ % 2 == 0) fail(r.section().where.str(), ": [", r.section().name, "] ElasticGaussianSize must be odd and > 0");
    r.accept("IgnoreMissingData");
  }
  std::string type() const override { return "DistortionTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64& rng) const override {
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    cv::Mat dx(in.size(), CV_32F), dy(in.size(), CV_32F);
    bool elastic = elastic_ > 0;
    if (elastic) {
      for (int i = 0; i < in.rows; ++i)
        for (int j = 0; j < in.cols; ++j) dx.at<float>(i, j) = u(rng), dy.at<float>(i, j) = u(rng);
      cv::GaussianBlur(dx, dx, cv::Size(size_, size_), sigma_);
      cv::GaussianBlur(dy, dy, cv::Size(size_, size_), sigma_);
    }
    double s = 1.0 + (scaling_ > 0 ? u(rng) * scaling_ / 100.0 : 0.0);
    double a = rotation_ > 0 ? u(rng) * rotation_ * CV_PI / 180.0 : 0.0;
    double cx = (in.cols - 1) / 2.0, cy = (in.rows - 1) / 2.0, ca = std::cos(a) / s, sa = std::sin(a) / s;
    cv::Mat mx(in.size(), CV_32F), my(in.size(), CV_32F);
    for (int i = 0; i < in.rows; ++i)
      for (int j = 0; j < in.cols; ++j) {
        double x = j - cx, y = i - cy;
        mx.at<float>(i, j) = static_cast<float>(cx + ca * x - sa * y + (elastic ? elastic_ * dx.at<float>(i, j) : 0));
        my.at<float>(i, j) = static_cast<float>(cy + sa * x + ca * y + (elastic ? elastic_ * dy.at<float>(i, j) : 0));
      }
    cv::Mat out;
    cv::remap(in, out, mx, my, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    return out;
  }

 private:
  int size_;
  double sigma_, elastic_, scaling_, rotation_;
};

class Equalize final : public Transformation {
 public:
  explicit Equalize(ini::SectionReader& r)
      : clahe_(r.get_choice("Method", "Standard", {"Standard", "CLAHE"}) == "CLAHE"),
        clip_(r.get_double("CLAHE_ClipLimit", 40.0)), grid_(static_cast<int>(r.get_int("CLAHE_GridSize", 8))) {
    if (grid_ <= 0) fail(r.section().where.str(), ": [", r.section().name, "] CLAHE_GridSize must be > 0");
  }
  std::string type() const override { return "EqualizeTransformation"; }
  cv::Mat apply(const cv::Mat& in, std::mt19937_64&) const override {
    if (in.depth() != CV_8U) fail("EqualizeTransformation: needs 8-bit data");
    auto eq = [&](const cv::Mat& c) {
      cv::Mat o;
      if (clahe_) cv::createCLAHE(clip_, cv::Size(grid_, grid_))->apply(c, o);
      else cv::equalizeHist(c, o);
      return o;
    };
    if (in.channels() == 1) return eq(in);
    if (in.channels() != 3) fail("EqualizeTransformation: needs 1 or 3 channels, got ", in.channels());
    cv::Mat ycc, out;
    cv::cvtColor(in, ycc, cv::COLOR_BGR2YCrCb);
    std::vector<cv::Mat> ch;
    cv::split(ycc, ch);
    ch[0] = eq(ch[0]);
    cv::merge(ch, ycc);
    cv::cvtColor(ycc, out, cv::COLOR_YCrCb2BGR);
    return out;
  }

 private:
  bool clahe_;
  double clip_;
  int grid_;
};

}  // namespace

std::unique_ptr<Transformation> make_transformation(const ini::Document& doc, const ini::Section& section) {
  ini::SectionReader r(section);
  static const std::vector<std::string> types = {"RescaleTransformation", "PadCropTransformation", "ColorSpaceTransformation",
                                                 "RangeAffineTransformation", "ChannelExtractionTransformation",
                                                 "SliceExtractionTransformation", "FlipTransformation",
                                                 "DistortionTransformation", "EqualizeTransformation", "AffineTransformation"};
  std::string type = r.get_choice("Type", "", types);
  if (type.empty()) fail(section.where.str(), ": [", section.name, "] has no Type");
  std::string apply = r.get_choice("ApplyTo", "All", {"All", "LearnOnly", "ValidationOnly", "TestOnly", "NoLearn", "NoValidation", "NoTest"});
  std::unique_ptr<Transformation> t;
  if (type == "RescaleTransformation") t = std::make_unique<Rescale>(r);
  else if (type == "PadCropTransformation") t = std::make_unique<PadCrop>(r);
  else if (type == "ColorSpaceTransformation") t = std::make_unique<ColorSpace>(r);
  else if (type == "RangeAffineTransformation") t = std::make_unique<RangeAffine>(r);
  else if (type == "ChannelExtractionTransformation") t = std::make_unique<ChannelExtraction>(r);
  else if (type == "SliceExtractionTransformation") t = std::make_unique<SliceExtraction>(r);
  else if (type == "FlipTransformation") t = std::make_unique<Flip>(r);
  else if (type == "DistortionTransformation") t = std::make_unique<Distortion>(r);
  else if (type == "EqualizeTransformation") t = std::make_unique<Equalize>(r);
  else t = std::make_unique<Affine>(doc, r);
  r.finish();
  static const std::map<std::string, unsigned> masks = {{"All", 7},    {"LearnOnly", 1}, {"ValidationOnly", 2}, {"TestOnly", 4},
                                                        {"NoLearn", 6}, {"NoValidation", 5}, {"NoTest", 3}};
  t->apply_mask_ = masks.at(apply);
  t->section_ = section.name;
  return t;
}

}  // namespace n2d2::stimuli
