#include "common/plural.h"

#include <gtest/gtest.h>

namespace praktika {
namespace {

const CountForms kPractices = {"практику", "практики", "практик"};

TEST(Plural, OneFewAndManyFollowTheLastTwoDigits) {
  EXPECT_EQ(with_count(1, kPractices), "1 практику");
  EXPECT_EQ(with_count(2, kPractices), "2 практики");
  EXPECT_EQ(with_count(4, kPractices), "4 практики");
  EXPECT_EQ(with_count(5, kPractices), "5 практик");
  EXPECT_EQ(with_count(0, kPractices), "0 практик");
  EXPECT_EQ(with_count(21, kPractices), "21 практику");
  EXPECT_EQ(with_count(22, kPractices), "22 практики");
  EXPECT_EQ(with_count(101, kPractices), "101 практику");
}

TEST(Plural, ElevenToFourteenTakeTheManyForm) {
  for (int n : {11, 12, 13, 14, 111, 112, 114, 1011})
    EXPECT_EQ(with_count(n, kPractices), std::to_string(n) + " практик") << n;
}

TEST(Plural, ANegativeCountTakesTheFormOfItsAbsoluteValue) { EXPECT_EQ(count_form(-21), 0); }

}  // namespace
}  // namespace praktika
