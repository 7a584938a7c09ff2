// Where the tests find the source tree and the server binary. The two strings are defined at link
// time in a file CMake writes into the build folder (tests/CMakeLists.txt), not by compile
// definitions: the compiled tests are then the same in every checkout, and ccache (with
// CCACHE_BASEDIR) shares them between clones and worktrees instead of compiling each anew.
// Every test translation unit sees this header through `-include`.
#pragma once

extern "C" const char praktika_test_source_dir[];
extern "C" const char praktika_test_binary[];

#define PRAKTIKA_SOURCE_DIR praktika_test_source_dir
#define PRAKTIKA_BINARY praktika_test_binary
