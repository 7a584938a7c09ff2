// What FlashmobService answers and pushes, as types; wire.cpp makes the JSON of docs/protocol.md
// from them, the same for a route's answer and a live push. Instants are already written in the
// event's offset, as every page shows them; addresses (media, stream, subtitles) are the wire's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flashmob/schedule.h"

namespace praktika::flashmob {

// What an author sends to make an item (the body of POST …/flashmob/items), strings already
// cleaned; the service checks it against the agenda's kinds of creative work.
struct Submission {
  std::string upload_id;
  std::string work_kind;
  std::string title;
  std::string institution;
};

// A kind of creative work of the agenda's flashmob files.
struct WorkKind {
  std::string id;
  std::string title;
};

// Subtitles attached to a video, as its player names them.
struct Captions {
  std::int64_t attached_at_ms = 0;  // the address carries it: a new file is a new address
  std::string label;
  std::string language;  // BCP 47
};

// The conversion of an item to what a browser plays.
struct Conversion {
  std::string state;  // ready | queued | converting | failed | needs_pdf
  std::int64_t attempts = 0;
  std::optional<double> progress;  // 0..1 while converting
  std::optional<std::string> failure;
};

// One made rendition of an item's adaptive stream.
struct StreamRendition {
  std::string name;  // "360p"
  int width = 0;
  int height = 0;
  std::int64_t bandwidth = 0;  // bits per second, as the master playlist states
};

// The adaptive stream (HLS) of a video.
struct Stream {
  std::optional<std::string> state;  // queued | converting | ready | failed; none for a presentation
  std::int64_t attempts = 0;
  std::vector<StreamRendition> renditions;  // lowest first, once made
};

struct ItemOwner {
  std::int64_t id = 0;
  std::string full_name;
  std::string email;
};

// An item as its owner and the organiser see it.
struct Item {
  std::int64_t id = 0;
  std::string event;
  std::string upload;
  std::string file_name;
  std::string work_kind;
  std::string work_kind_title;
  std::string title;
  std::string institution;
  std::string media_kind;  // video | presentation
  // The upload's verdict (media::check_file) with the file's name: its keys differ by kind of
  // file and belong to the uploads' check, so it stays JSON.
  nlohmann::json measured;
  Conversion play;
  std::string review;  // pending | approved | rejected
  std::string reason;
  std::optional<std::int64_t> position;  // in the feed's order, once approved
  std::optional<double> duration_s;      // once it plays
  std::optional<std::int64_t> slides;    // a presentation's, once rendered
  Stream hls;
  std::optional<Captions> captions;
  ItemOwner owner;
  std::string created_at;
  std::string updated_at;
};

// What anyone sees of an approved, playable item in the feed and the gallery: no owner, no file names.
struct PublicItem {
  std::int64_t id = 0;
  std::string event;  // for its addresses
  std::string title;
  std::string work_kind;
  std::string work_kind_title;
  std::string institution;
  std::string media_kind;  // video | presentation
  double duration_s = 0;
  std::int64_t slides = 0;     // a presentation's
  int seconds_per_slide = 0;   // a presentation's
  bool stream_ready = false;   // its adaptive stream is made
  std::optional<Captions> captions;
};

// The item playing now, and where in it.
struct Playing {
  PublicItem item;
  std::string started_at;  // when its position 0 played (or would have, when paused)
  double position_s = 0;   // seconds into the item at the feed's "now"
};

// The feed at an instant: the answer of …/flashmob/now and the pushed now_playing.
struct Feed {
  std::string event;
  FeedState state = FeedState::waiting;
  std::string now;
  std::string feed_starts;
  int seconds_per_slide = 0;
  std::optional<Playing> playing;
  std::vector<PublicItem> up_next;  // the first few of what follows
  std::size_t remaining = 0;        // how many items follow in all
  std::optional<std::string> next_change;
};

// An author's own items, and the kinds of work to choose from for a new one.
struct OwnItems {
  std::vector<Item> items;
  std::vector<WorkKind> work_kinds;
};

// The organiser's queue: approved items in the feed's order, then pending, then rejected.
struct Queue {
  std::vector<Item> items;
  Feed feed;
};

// The public gallery: the feed's items in its order, from the feed's start on.
struct Gallery {
  bool open = false;
  std::string opens;
  std::vector<PublicItem> items;
  std::vector<WorkKind> work_kinds;
};

// How far a running conversion is, pushed to the item's owner.
struct ConversionProgress {
  std::int64_t item = 0;
  int percent = 0;
};

}  // namespace praktika::flashmob
