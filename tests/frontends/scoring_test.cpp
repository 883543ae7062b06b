// ClassificationScore: hand-checked accuracies, tie rule, confusion matrix, merge, outputs, errors.
#include <gtest/gtest.h>

#include "frontends/data/scoring.h"
#include "graph/error.h"

using n2d2::data::ClassificationScore;

TEST(Scoring, TopOneTopNAndConfusion) {
  ClassificationScore s(3, 2);
  const float a[] = {0.1f, 0.7f, 0.2f};  // predicted 1
  s.add(a, 1);                          // right
  s.add(a, 2);                          // wrong, but 2nd → in top-2
  s.add(a, 0);                          // wrong, 3rd
  const float b[] = {0.5f, 0.5f, 0.0f};  // tie: class 0 ranks first
  s.add(b, 0);                          // right
  s.add(b, 1);                          // wrong, 2nd
  EXPECT_EQ(s.count(), 5);
  EXPECT_DOUBLE_EQ(s.top1_accuracy(), 40.0);
  EXPECT_DOUBLE_EQ(s.topn_accuracy(), 80.0);
  EXPECT_EQ(s.confusion(1, 1), 1);
  EXPECT_EQ(s.confusion(2, 1), 1);
  EXPECT_EQ(s.confusion(0, 1), 1);
  EXPECT_EQ(s.confusion(0, 0), 1);
  EXPECT_EQ(s.confusion(1, 0), 1);
  EXPECT_DOUBLE_EQ(s.recall(0), 50.0);      // class 0: 2 patterns, 1 right
  EXPECT_DOUBLE_EQ(s.precision(1), 100.0 / 3);  // predicted 1 three times, right once
  EXPECT_DOUBLE_EQ(s.recall(2), 0.0);
  EXPECT_DOUBLE_EQ(s.precision(2), 0.0);    // never predicted
}

TEST(Scoring, MergeEqualsOneScore) {
  ClassificationScore all(2, 1), x(2, 1), y(2, 1);
  const float p0[] = {1, 0}, p1[] = {0, 1};
  all.add(p0, 0), all.add(p1, 0), all.add(p1, 1);
  x.add(p0, 0), y.add(p1, 0), y.add(p1, 1);
  x.merge(y);
  EXPECT_EQ(x.json(), all.json());
  EXPECT_THROW(x.merge(ClassificationScore(3, 1)), n2d2::Error);
}

TEST(Scoring, TextCsvJson) {
  ClassificationScore s(2, 1);
  const float p[] = {0.2f, 0.8f};
  s.add(p, 1), s.add(p, 0);
  EXPECT_EQ(s.confusion_csv({"cat", "dog"}), "truth\\predicted,cat,dog\ncat,0,1\ndog,0,1\n");
  EXPECT_NE(s.text().find("top-1 accuracy: 50.00 %"), std::string::npos) << s.text();
  std::string j = s.json();
  EXPECT_NE(j.find("\"images\":2,\"top1_accuracy\":50.0000,\"topn_accuracy\":50.0000,\"n\":1"), std::string::npos) << j;
  EXPECT_NE(j.find("\"confusion\":[[0,1],[0,1]]"), std::string::npos) << j;
}

TEST(Scoring, BadLabelsAndSizes) {
  ClassificationScore s(2, 1);
  const float p[] = {0, 1};
  EXPECT_THROW(s.add(p, 2), n2d2::Error);
  EXPECT_THROW(s.add(p, -1), n2d2::Error);
  EXPECT_THROW(s.add_decision(5, 0, 0), n2d2::Error);
  EXPECT_THROW(ClassificationScore(0, 1), n2d2::Error);
  EXPECT_THROW(ClassificationScore(2, 0), n2d2::Error);
  EXPECT_EQ(s.count(), 0);
}
