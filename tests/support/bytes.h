// Byte helpers the integration tests share: base64 for tus Upload-Metadata, whole-file reads.
// Pure functions, any thread.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace praktika::test {

// Standard base64 with padding (RFC 4648 §4).
std::string base64(std::string_view bytes);

// The whole file as bytes; empty when it cannot be read.
std::string read_file(const std::filesystem::path& file);

}  // namespace praktika::test
