#include "intake/contract.h"

#include <gtest/gtest.h>

namespace praktika::intake {
namespace {

const std::vector<std::string> kRoubles = {"рубль", "рубля", "рублей"};

TEST(AmountInWords, SaysTheFeeForOneTwoAndManyPractices) {
  EXPECT_EQ(amount_in_words(2000, kRoubles), "две тысячи рублей");
  EXPECT_EQ(amount_in_words(4000, kRoubles), "четыре тысячи рублей");
  EXPECT_EQ(amount_in_words(10000, kRoubles), "десять тысяч рублей");
  EXPECT_EQ(amount_in_words(22000, kRoubles), "двадцать две тысячи рублей");
}

TEST(AmountInWords, AgreesTheCurrencyWithTheLastNumber) {
  EXPECT_EQ(amount_in_words(1, kRoubles), "один рубль");
  EXPECT_EQ(amount_in_words(3, kRoubles), "три рубля");
  EXPECT_EQ(amount_in_words(11, kRoubles), "одиннадцать рублей");
  EXPECT_EQ(amount_in_words(4021, kRoubles), "четыре тысячи двадцать один рубль");
  EXPECT_EQ(amount_in_words(112, kRoubles), "сто двенадцать рублей");
  EXPECT_EQ(amount_in_words(1001, kRoubles), "одна тысяча один рубль");
  EXPECT_EQ(amount_in_words(2'000'000, kRoubles), "два миллиона рублей");
  EXPECT_EQ(amount_in_words(1'234'567, kRoubles),
            "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей");
  EXPECT_EQ(amount_in_words(0, kRoubles), "ноль рублей");
}

}  // namespace
}  // namespace praktika::intake
