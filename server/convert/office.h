// Office documents converted by LibreOffice (`soffice --headless --convert-to`): a Word 97–2003
// .doc to .docx for the clause 6.5 check, a .docx to PDF for the gallery's preview, a presentation
// to PDF for the flashmob. Each conversion runs its own soffice with its own profile directory
// (two soffice processes sharing a profile wait for each other or fail), bounded in time and
// killed with its process group at the deadline. Blocks the calling thread for seconds: call it
// from a worker thread. Any thread; no shared state.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace praktika::convert {

struct OfficeOptions {
  std::string soffice = "soffice";  // looked up on PATH
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  std::function<bool()> cancelled;  // polled about once a second; may be empty
};

// True when the converter can be run (soffice on PATH).
bool office_available(const OfficeOptions& options = {});

// Converts `input` into `out_dir/<stem>.<format>` ("docx", "pdf"), `out_dir` created if needed.
// `input`'s extension tells LibreOffice what to read: name it .doc, .docx, .pptx… accordingly.
// Errors: "converter_missing" (no soffice), "conversion_timeout", "conversion_cancelled",
// "conversion_failed" (with soffice's last words in the message).
Result<std::filesystem::path> convert_office(const std::filesystem::path& input, std::string_view format,
                                             const std::filesystem::path& out_dir, const OfficeOptions& options = {});

// A scratch folder made fresh under `parent` (named "<prefix>XXXXXX") and removed with all it holds
// when this goes out of scope: a conversion's profile or work folder. Move-only.
class ScratchDir {
 public:
  // nullopt when the folder cannot be made.
  static std::optional<ScratchDir> make(const std::filesystem::path& parent, std::string_view prefix);
  ScratchDir(ScratchDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace praktika::convert
