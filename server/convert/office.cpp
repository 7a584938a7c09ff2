#include "convert/office.h"

#include <stdlib.h>

#include "convert/child_process.h"

namespace praktika::convert {

namespace fs = std::filesystem;

bool office_available(const OfficeOptions& options) { return on_path(options.soffice); }

std::optional<ScratchDir> ScratchDir::make(const fs::path& parent, std::string_view prefix) {
  std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) return std::nullopt;
  return ScratchDir(fs::path(pattern));
}

ScratchDir::~ScratchDir() {
  if (path_.empty()) return;  // moved from
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

Result<fs::path> convert_office(const fs::path& input, std::string_view format, const fs::path& out_dir,
                                const OfficeOptions& options) {
  if (!office_available(options))
    return Status::unavailable("converter_missing", "На сервере не установлен LibreOffice для преобразования документов.");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  // A fresh profile per run: LibreOffice locks its profile, so parallel conversions sharing one
  // would wait for each other or fail; and nothing a document does persists to the next one.
  auto scratch = ec ? std::nullopt : ScratchDir::make(out_dir, "soffice-profile-");
  if (!scratch)
    return Status::unavailable("storage_unavailable", "Сервер не может создать временную папку для преобразования.");
  const fs::path& profile = scratch->path();

  const fs::path output = out_dir / (input.stem().string() + "." + std::string(format));
  fs::remove(output, ec);
  ChildOptions child;
  child.argv = {options.soffice,
                "-env:UserInstallation=file://" + profile.string(),
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                std::string(format),
                "--outdir",
                out_dir.string(),
                input.string()};
  child.stderr_file = profile / "stderr.log";
  child.timeout = options.timeout;
  child.cancelled = options.cancelled;
  auto ran = run_child(child);
  if (!ran) return ran.status();
  if (ran->timed_out) {
    fs::remove(output, ec);
    return Status::unprocessable("conversion_timeout", "Преобразование документа не уложилось в отведённое время.");
  }
  if (ran->cancelled) {
    fs::remove(output, ec);
    return Status::unavailable("conversion_cancelled", "Преобразование документа прервано.");
  }
  if (ran->exit_code != 0 || !fs::exists(output) || fs::file_size(output, ec) == 0) {
    fs::remove(output, ec);
    std::string why = "LibreOffice не смог преобразовать документ.";
    if (!ran->stderr_tail.empty()) why += " Сообщение: " + ran->stderr_tail;
    return Status::unprocessable("conversion_failed", why);
  }
  return output;
}

}  // namespace praktika::convert
