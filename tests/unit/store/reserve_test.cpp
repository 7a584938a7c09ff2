#include "store/reserve.h"

#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include "support/temp_dir.h"

namespace praktika::store {
namespace {

namespace fs = std::filesystem;

using test::TempDir;

// Blocks the file really holds on disk (a sparse file of the same size would hold none).
std::uint64_t allocated_bytes(const fs::path& file) {
  struct stat s {};
  return ::stat(file.c_str(), &s) == 0 ? static_cast<std::uint64_t>(s.st_blocks) * 512 : 0;
}

constexpr std::uint64_t kBytes = 1 << 20;

TEST(Reserve, TakesItsBytesOnDiskWhenMade) {
  TempDir dir;
  Reserve reserve(dir.path() / "reserve", kBytes);
  EXPECT_TRUE(reserve.held());
  EXPECT_EQ(fs::file_size(dir.path() / "reserve"), kBytes);
  EXPECT_GE(allocated_bytes(dir.path() / "reserve"), kBytes);
}

TEST(Reserve, IsGivenBackOnceAndTakenAgainWhenThereIsRoom) {
  TempDir dir;
  Reserve reserve(dir.path() / "reserve", kBytes);
  EXPECT_TRUE(reserve.release());
  EXPECT_FALSE(reserve.held());
  EXPECT_FALSE(fs::exists(dir.path() / "reserve"));
  EXPECT_FALSE(reserve.release()) << "nothing left to give back";
  reserve.refill();
  EXPECT_TRUE(reserve.held());
  EXPECT_GE(allocated_bytes(dir.path() / "reserve"), kBytes);
}

TEST(Reserve, ReusesTheFileOfAnEarlierRun) {
  TempDir dir;
  { Reserve earlier(dir.path() / "reserve", kBytes); }
  Reserve reserve(dir.path() / "reserve", kBytes);
  EXPECT_TRUE(reserve.held());
  EXPECT_EQ(fs::file_size(dir.path() / "reserve"), kBytes);
}

TEST(Reserve, GivenBackByAnotherInstanceIsNotCountedTwice) {
  TempDir dir;
  Reserve one(dir.path() / "reserve", kBytes);
  Reserve other(dir.path() / "reserve", kBytes);
  EXPECT_TRUE(one.release());
  EXPECT_FALSE(other.release());
}

TEST(Reserve, OfZeroBytesIsNone) {
  TempDir dir;
  Reserve reserve(dir.path() / "reserve", 0);
  EXPECT_FALSE(reserve.held());
  EXPECT_FALSE(fs::exists(dir.path() / "reserve"));
  EXPECT_FALSE(reserve.release());
  reserve.refill();
  EXPECT_FALSE(fs::exists(dir.path() / "reserve"));
}

TEST(Reserve, FreeBytesAreReportedForAnExistingFolderOnly) {
  TempDir dir;
  EXPECT_TRUE(free_bytes(dir.path()).has_value());
  EXPECT_FALSE(free_bytes(dir.path() / "missing").has_value());
}

}  // namespace
}  // namespace praktika::store
