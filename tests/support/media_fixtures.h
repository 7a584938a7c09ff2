// Real files for the media tests, made on the spot: videos by /usr/bin/ffmpeg from lavfi sources,
// office files as minimal OOXML/ODF parts written with libzip, PDFs by a tiny writer with a correct xref.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/server_process.h"
#include "timeline/agenda.h"

namespace praktika::media::testing {

// A fresh directory under the system temp dir, removed with its contents.
using TempDir = praktika::test::TempDir;

// Runs /usr/bin/ffmpeg with `args` (everything between the global options and the output) writing `out`;
// true when it exited 0 and wrote the file.
bool ffmpeg(const std::string& args, const std::filesystem::path& out);

// A 160x120 video of `seconds` at 1 fps (mpeg4, q 31) with an 8 kHz AAC sine: ~1 s to make 5 minutes.
bool make_cheap_video(const std::filesystem::path& out, double seconds);

struct Entry {
  std::string name;
  std::string data;
  bool store = false;  // no compression (ODF's mimetype must be stored)
};
void write_zip(const std::filesystem::path& out, const std::vector<Entry>& entries);

// A .pptx whose presentation lists `slides` slides (PowerPoint would want layouts and a master too;
// the counter reads only the slide list).
void write_pptx(const std::filesystem::path& out, int slides);
// A .pptx as PowerPoint writes it at the least: a slide master, a layout and a theme, and one
// slide per title with that title as text, so office programs open and render it.
void write_real_pptx(const std::filesystem::path& out, const std::vector<std::string>& titles);
void write_odp(const std::filesystem::path& out, int slides);
void write_pdf(const std::filesystem::path& out, int pages);
// A .pptx whose ppt/presentation.xml inflates to `inflated_bytes` of spaces, generated lazily so the
// test itself never holds it.
void write_zip_bomb_pptx(const std::filesystem::path& out, std::uint64_t inflated_bytes);

// Appends zero bytes until the file is `bytes` long (JPEG readers ignore what follows the end marker).
void pad_to(const std::filesystem::path& file, std::uintmax_t bytes);
void write_bytes(const std::filesystem::path& out, const std::string& bytes);

// The agenda the server ships: its "files" purposes are what the checks run against.
const timeline::Agenda& irkutsk_agenda();
const timeline::FilePurpose& purpose(const std::string& id);

}  // namespace praktika::media::testing
