#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>

#include "media/media.h"
#include "media/zip_reader.h"

namespace praktika::media {
namespace {

using namespace std::string_view_literals;

struct TypeInfo {
  FileType type;
  std::string_view id;
  std::string_view title;
  std::span<const std::string_view> extensions;
};

constexpr std::string_view kJpeg[] = {"jpg", "jpeg", "jpe", "jfif"};
constexpr std::string_view kPng[] = {"png"};
constexpr std::string_view kGif[] = {"gif"};
constexpr std::string_view kPdf[] = {"pdf"};
constexpr std::string_view kDocx[] = {"docx", "docm", "dotx"};
constexpr std::string_view kXlsx[] = {"xlsx", "xlsm", "xltx"};
constexpr std::string_view kPptx[] = {"pptx", "pptm", "ppsx", "potx"};
constexpr std::string_view kOdt[] = {"odt"};
constexpr std::string_view kOds[] = {"ods"};
constexpr std::string_view kOdp[] = {"odp"};
constexpr std::string_view kOle2[] = {"doc", "xls", "ppt", "pps", "dot", "xlt", "pot"};
constexpr std::string_view kZip[] = {"zip"};
constexpr std::string_view kRar[] = {"rar"};
constexpr std::string_view kSevenZip[] = {"7z"};
constexpr std::string_view kGzip[] = {"gz", "tgz"};
// ISO BMFF: browsers and players do not care whether the brand says mp4 or qt, and people rename freely.
constexpr std::string_view kMp4[] = {"mp4", "m4v", "mov", "3gp"};
constexpr std::string_view kMov[] = {"mov", "mp4", "m4v", "qt"};
constexpr std::string_view kMkv[] = {"mkv"};
constexpr std::string_view kWebm[] = {"webm"};
constexpr std::string_view kAvi[] = {"avi"};
constexpr std::string_view kFlv[] = {"flv"};
constexpr std::string_view kMpegPs[] = {"mpg", "mpeg", "vob", "m2v", "mpe"};
constexpr std::string_view kMpegTs[] = {"ts", "mts", "m2ts"};
constexpr std::string_view kAsf[] = {"wmv", "asf", "wma"};
constexpr std::string_view kRm[] = {"rm", "rmvb", "ra"};
constexpr std::string_view kRa[] = {"ra"};

const TypeInfo kTypes[] = {
    {FileType::unknown, "unknown", "файл неизвестного формата", {}},
    {FileType::jpeg, "jpeg", "изображение JPEG", kJpeg},
    {FileType::png, "png", "изображение PNG", kPng},
    {FileType::gif, "gif", "изображение GIF", kGif},
    {FileType::pdf, "pdf", "документ PDF", kPdf},
    {FileType::docx, "docx", "документ Word (DOCX)", kDocx},
    {FileType::xlsx, "xlsx", "таблица Excel (XLSX)", kXlsx},
    {FileType::pptx, "pptx", "презентация PowerPoint (PPTX)", kPptx},
    {FileType::odt, "odt", "документ OpenDocument (ODT)", kOdt},
    {FileType::ods, "ods", "таблица OpenDocument (ODS)", kOds},
    {FileType::odp, "odp", "презентация OpenDocument (ODP)", kOdp},
    {FileType::ole2, "ole2", "файл Microsoft Office 97–2003 (DOC, XLS или PPT)", kOle2},
    {FileType::zip, "zip", "архив ZIP", kZip},
    {FileType::rar, "rar", "архив RAR", kRar},
    {FileType::seven_zip, "7z", "архив 7-Zip", kSevenZip},
    {FileType::gzip, "gzip", "архив GZIP", kGzip},
    {FileType::mp4, "mp4", "видео MP4", kMp4},
    {FileType::mov, "mov", "видео QuickTime (MOV)", kMov},
    {FileType::mkv, "mkv", "видео Matroska (MKV)", kMkv},
    {FileType::webm, "webm", "видео WebM", kWebm},
    {FileType::avi, "avi", "видео AVI", kAvi},
    {FileType::flv, "flv", "видео Flash (FLV)", kFlv},
    {FileType::mpeg_ps, "mpeg-ps", "видео MPEG (MPG, VOB)", kMpegPs},
    {FileType::mpeg_ts, "mpeg-ts", "видео MPEG-TS", kMpegTs},
    {FileType::asf, "asf", "видео Windows Media (WMV)", kAsf},
    {FileType::rm, "rm", "видео RealMedia (RM)", kRm},
    {FileType::ra, "ra", "аудио RealAudio (RA)", kRa},
};

const TypeInfo& info(FileType type) {
  for (const TypeInfo& t : kTypes)
    if (t.type == type) return t;
  return kTypes[0];
}

bool starts(std::string_view head, std::string_view magic, std::size_t at = 0) {
  return head.size() >= at + magic.size() && head.substr(at, magic.size()) == magic;
}

// The DocType string of an EBML header ("webm" or "matroska"); the header is small and comes first.
FileType ebml_doc_type(std::string_view head) {
  const std::size_t end = std::min<std::size_t>(head.size(), 128);
  for (std::size_t i = 4; i + 3 < end; ++i) {
    if (static_cast<unsigned char>(head[i]) != 0x42 || static_cast<unsigned char>(head[i + 1]) != 0x82) continue;
    const auto size_byte = static_cast<unsigned char>(head[i + 2]);
    if ((size_byte & 0x80) == 0) continue;  // only the one-byte size form occurs for a DocType
    const std::size_t len = size_byte & 0x7f;
    if (i + 3 + len > head.size()) break;
    const std::string_view doc_type = head.substr(i + 3, len);
    if (doc_type.starts_with("webm")) return FileType::webm;
    if (doc_type.starts_with("matroska")) return FileType::mkv;
  }
  return FileType::mkv;
}

bool transport_stream(std::string_view head, std::size_t packet, std::size_t offset) {
  int seen = 0;
  for (std::size_t at = offset; at < head.size() && seen < 5; at += packet, ++seen)
    if (head[at] != 0x47) return false;
  return seen >= 5;
}

// A zip whose central directory is unreadable (a truncated upload) is still told by the names in
// its first local headers, so that it is reported as a damaged presentation rather than an archive.
FileType zip_type_from_local_headers(std::string_view head) {
  if (head.find("ppt/") != std::string_view::npos) return FileType::pptx;
  if (head.find("word/") != std::string_view::npos) return FileType::docx;
  if (head.find("xl/") != std::string_view::npos) return FileType::xlsx;
  if (head.find("application/vnd.oasis.opendocument.presentation") != std::string_view::npos) return FileType::odp;
  if (head.find("application/vnd.oasis.opendocument.text") != std::string_view::npos) return FileType::odt;
  if (head.find("application/vnd.oasis.opendocument.spreadsheet") != std::string_view::npos) return FileType::ods;
  return FileType::zip;
}

FileType zip_type(const std::filesystem::path& path, std::string_view head) {
  auto zip = detail::ZipReader::open(path);
  if (!zip) return zip.status().code() == "not_a_zip" ? zip_type_from_local_headers(head) : FileType::zip;
  if (zip->has("[Content_Types].xml")) {
    if (zip->has("ppt/presentation.xml")) return FileType::pptx;
    if (zip->has("word/document.xml")) return FileType::docx;
    if (zip->has("xl/workbook.xml")) return FileType::xlsx;
    // A producer may name the main part differently; the content types say what it is.
    auto types = zip->read("[Content_Types].xml", 1u << 20);
    if (types) {
      if (types->find("presentationml.") != std::string::npos) return FileType::pptx;
      if (types->find("wordprocessingml.") != std::string::npos) return FileType::docx;
      if (types->find("spreadsheetml.") != std::string::npos) return FileType::xlsx;
    }
  }
  if (auto mimetype = zip->read("mimetype", 256); mimetype) {
    if (mimetype->starts_with("application/vnd.oasis.opendocument.presentation")) return FileType::odp;
    if (mimetype->starts_with("application/vnd.oasis.opendocument.text")) return FileType::odt;
    if (mimetype->starts_with("application/vnd.oasis.opendocument.spreadsheet")) return FileType::ods;
  }
  return FileType::zip;
}

}  // namespace

std::string_view type_id(FileType type) { return info(type).id; }
std::string_view mime_type(FileType type) {
  switch (type) {
    case FileType::jpeg: return "image/jpeg";
    case FileType::png: return "image/png";
    case FileType::gif: return "image/gif";
    case FileType::pdf: return "application/pdf";
    case FileType::docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case FileType::xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case FileType::pptx: return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    case FileType::odt: return "application/vnd.oasis.opendocument.text";
    case FileType::ods: return "application/vnd.oasis.opendocument.spreadsheet";
    case FileType::odp: return "application/vnd.oasis.opendocument.presentation";
    case FileType::mp4: return "video/mp4";
    case FileType::mov: return "video/quicktime";
    case FileType::webm: return "video/webm";
    case FileType::mkv: return "video/x-matroska";
    default: return "application/octet-stream";
  }
}

std::string_view type_title(FileType type) { return info(type).title; }
std::span<const std::string_view> type_extensions(FileType type) { return info(type).extensions; }

bool is_video_container(FileType type) {
  switch (type) {
    case FileType::mp4: case FileType::mov: case FileType::mkv: case FileType::webm: case FileType::avi:
    case FileType::flv: case FileType::mpeg_ps: case FileType::mpeg_ts: case FileType::asf: case FileType::rm:
      return true;
    default:
      return false;
  }
}

bool is_archive(FileType type) {
  return type == FileType::zip || type == FileType::rar || type == FileType::seven_zip || type == FileType::gzip;
}

Result<FileType> sniff(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::unprocessable("unreadable_file", "Файл не удаётся прочитать");
  std::array<char, 4096> buf;
  in.read(buf.data(), buf.size());
  const std::string_view head(buf.data(), static_cast<std::size_t>(in.gcount()));

  if (starts(head, "\xFF\xD8\xFF"sv)) return FileType::jpeg;
  if (starts(head, "\x89PNG\r\n\x1A\n"sv)) return FileType::png;
  if (starts(head, "GIF87a"sv) || starts(head, "GIF89a"sv)) return FileType::gif;
  // Readers accept "%PDF-" anywhere in the first KiB (leading junk from mail gateways is common).
  if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) return FileType::pdf;
  if (starts(head, "PK\x03\x04"sv) || starts(head, "PK\x05\x06"sv) || starts(head, "PK\x07\x08"sv))
    return zip_type(path, head);
  if (starts(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv)) return FileType::ole2;
  if (starts(head, "Rar!\x1A\x07"sv)) return FileType::rar;
  if (starts(head, "7z\xBC\xAF\x27\x1C"sv)) return FileType::seven_zip;
  if (starts(head, "\x1F\x8B"sv)) return FileType::gzip;

  if (starts(head, "ftyp", 4)) {
    if (starts(head, "qt  ", 8)) return FileType::mov;
    return FileType::mp4;
  }
  for (std::string_view atom : {"moov"sv, "mdat"sv, "wide"sv, "free"sv, "skip"sv, "pnot"sv})
    if (starts(head, atom, 4)) return FileType::mov;
  if (starts(head, "\x1A\x45\xDF\xA3"sv)) return ebml_doc_type(head);
  if (starts(head, "RIFF"sv) && starts(head, "AVI ", 8)) return FileType::avi;
  if (starts(head, "FLV\x01"sv)) return FileType::flv;
  if (starts(head, "\x00\x00\x01\xBA"sv) || starts(head, "\x00\x00\x01\xB3"sv)) return FileType::mpeg_ps;
  if (transport_stream(head, 188, 0) || transport_stream(head, 192, 4)) return FileType::mpeg_ts;
  if (starts(head, "\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9\x00\xAA\x00\x62\xCE\x6C"sv)) return FileType::asf;
  if (starts(head, ".RMF"sv)) return FileType::rm;
  if (starts(head, ".ra\xFD"sv)) return FileType::ra;
  return FileType::unknown;
}

}  // namespace praktika::media
