// Stage 4, the flashmob: authors' items (an uploaded flashmob file + kind of creative work + title
// + institution), their conversion to what a browser plays (ffmpeg child processes for video,
// poppler for PDF slides) in a bounded background job queue that survives restarts, the organiser's
// approval, order and controls, and the public feed whose schedule the server computes
// (schedule.h). Owns store/migrations/008_flashmob.sql and <data>/flashmob. Thread-safe: state
// lives in the store; the job queue's wake-ups and the running children are guarded by mutex_.
// Methods block on SQLite: call them from worker threads (live callbacks: one short read each).
// Answers are the types of types.h; wire.h makes their JSON, for the routes and for the pushes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "accounts/accounts.h"
#include "common/status.h"
#include "flashmob/types.h"
#include "intake/intake.h"
#include "live/publisher.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"
#include "common/mutex.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::uploads {
class UploadService;
}

namespace praktika::flashmob {

// The one answer for a work that is not there, or not the caller's to see (404 item_not_found).
Status item_not_found();

// The agenda's "flashmob" part (agenda/schema.json documents it).
struct Settings {
  std::string feed_starts = "flashmob_feed_starts";  // a milestone id
  int seconds_per_slide = 10;
  int conversions_at_once = 1;
  int conversion_timeout_seconds = 1800;
  int slide_width_px = 1280;
  // Subtitles an author may attach to a video (the agenda's "captions" object).
  std::int64_t captions_max_bytes = 256 * 1024;
  int captions_max_cues = 5000;
  std::string captions_label = "Субтитры";  // the track's name in the player
  std::string captions_language = "ru";     // BCP 47
  // Sites that may show the widget page in an <iframe> ("https://partner.example.org").
  std::vector<std::string> partner_origins;
};
std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

struct Options {
  std::filesystem::path data_dir;          // <data>: converted media go to <data>/flashmob
  std::filesystem::path upload_files_dir;  // where complete uploads are kept
  int workers = 1;                         // conversions at once, over all events
  std::string ffmpeg = "ffmpeg";
  std::string soffice = "soffice";
};

// A file to send: where it is and its type.
struct MediaFile {
  std::filesystem::path path;
  std::string content_type;
  bool is_public = false;  // anyone may see it (an approved item once the feed has started)
  bool immutable = false;  // never changes under this name (segments, posters): cacheable for long
};

class FlashmobService {
 public:
  // `events`: every loaded event; they outlive the service.
  FlashmobService(store::Db& db, const timeline::Clock& clock, const std::vector<timeline::EventView>& events,
                  live::Publisher& publisher, uploads::UploadService& uploads, Options options);
  ~FlashmobService();
  FlashmobService(const FlashmobService&) = delete;
  FlashmobService& operator=(const FlashmobService&) = delete;

  // Puts jobs cut off by a crash or a stop back in the queue and starts the workers; stop() kills
  // running conversions (they run again after the next start) and joins the workers.
  void start();
  void stop();

  // Authors: a new item, while the flashmob purpose's uploads are accepted.
  Result<Item> submit(const accounts::User& author, std::string_view event_id, const Submission& form);
  Result<OwnItems> mine(const accounts::User& author, std::string_view event_id);
  // The owner and the organiser; others get item_not_found.
  Result<Item> item(const accounts::Identity& who, std::string_view event_id, std::int64_t id);

  // The organiser's (the caller checks the role).
  Result<Queue> queue(std::string_view event_id);
  Result<Item> decide(std::string_view event_id, std::int64_t id, bool approve, std::string_view reason);
  // `order`: every approved item exactly once, in the new order.
  Result<Feed> reorder(std::string_view event_id, const std::vector<std::int64_t>& order);
  // "pause" | "resume" | "skip"
  Result<Feed> control(std::string_view event_id, std::string_view action);

  // Anyone: the feed now (the same data as the pushed now_playing), and the works after it.
  Result<Feed> now(std::string_view event_id);
  Result<Gallery> gallery(std::string_view event_id);
  // The playable media of an item (slide: 1-based image of a presentation, 0 for the video).
  Result<MediaFile> media(const std::optional<accounts::Identity>& who, std::string_view event_id, std::int64_t id,
                          int slide);

  // A file of an item's adaptive stream (`name`: master.m3u8, v<N>.m3u8, v<N>_<n>.ts, poster.jpg),
  // by media()'s rule; item_not_found for anything else or before the stream is made.
  Result<MediaFile> hls_file(const std::optional<accounts::Identity>& who, std::string_view event_id,
                             std::int64_t id, std::string_view name);
  // Subtitles: attached by the video's owner (its bytes, SRT or WebVTT, kept as WebVTT, replacing any),
  // removed by the owner or the organiser, read by media()'s rule.
  Result<Item> attach_captions(const accounts::User& author, std::string_view event_id, std::int64_t id,
                               std::string_view bytes);
  Result<Item> remove_captions(const accounts::Identity& who, std::string_view event_id, std::int64_t id);
  Result<MediaFile> captions(const std::optional<accounts::Identity>& who, std::string_view event_id,
                             std::int64_t id);
  // The largest subtitles file any event accepts (the route's body limit).
  std::int64_t captions_body_limit() const;

  // The CSP frame-ancestors for a front-end path, when it is an event's widget page.
  std::optional<std::string> frame_ancestors(std::string_view path) const;
  // Told (event id) whenever the feed's schedule changed by someone's action, so its wake-up on the alarm is set again.
  void set_feed_listener(std::function<void(const std::string&)> listener) { feed_listener_ = std::move(listener); }
  // When the item playing changes by itself next (an item's end, the feed's start), if ever.
  std::optional<TimePoint> next_change(std::string_view event_id);

  // Conversion jobs by state, of every event or of one (for metrics and the live view).
  struct Conversions {
    std::int64_t queued = 0;
    std::int64_t running = 0;
    std::int64_t failed = 0;
  };
  Result<Conversions> conversions(std::string_view event_id = {}) const;
  std::vector<std::string> event_ids() const;
  // Pushes now_playing (the data of now()) to every viewer of the event's feed.
  void publish_now(const std::string& event_id, const Feed& now) { publish_feed(event_id, now); }

 private:
  struct EventInfo;
  struct Job;
  void add_event(const timeline::EventView& view);
  Result<const EventInfo*> event(std::string_view event_id) const;
  Result<Feed> now_in(store::Tx& tx, const EventInfo& e, TimePoint now, std::optional<TimePoint>* next);
  Result<Feed> change_feed(std::string_view event_id,
                           const std::function<Status(store::Tx&, const EventInfo&, TimePoint)>& change);
  void publish_feed(const std::string& event_id, const Feed& now);
  // Pushes the item as it is now to its owner and the organiser ("item"), and answers it.
  Result<Item> publish_item(const std::string& event_id, std::int64_t id);
  // Pushes how far the item's conversion is (`name`: "progress", or "hls_progress" for the stream).
  void publish_progress(const std::string& event_id, const ConversionProgress& progress, const std::string& name);
  std::optional<Item> load_item(std::string_view event_id, std::int64_t id);

  void work();
  std::optional<Job> claim();
  Status claim_row(store::Tx& tx, std::string_view select, std::string_view mark, std::optional<Job>& job);
  void run(const Job& job);
  void run_hls(const Job& job);
  void finish_hls(const Job& job, const Status& outcome, const std::vector<StreamRendition>& renditions);
  // Parts of run() and run_hls(); a Progress takes the fraction of the job done.
  using Progress = std::function<void(double fraction)>;
  Progress progress_reporter(const Job& job, const char* column, const char* name);
  void render_slides(const Job& job, const std::filesystem::path& pdf, const Settings& settings,
                     const Progress& progress);
  void convert_office(const Job& job, const std::filesystem::path& source, const Settings& settings,
                      const Progress& progress);
  void convert_video(const Job& job, const std::filesystem::path& source, const Settings& settings,
                     const Progress& progress);
  Status run_hls_step(const std::string& stem, const std::vector<std::string>& argv, const Settings& settings,
                      std::function<void(std::string_view)> on_line);
  Result<MediaFile> readable(const std::optional<accounts::Identity>& who, std::string_view event_id,
                             std::int64_t id, std::string* hls_state, std::optional<std::int64_t>* captions_at);
  void finish_job(const Job& job, const Status& outcome, const std::string& media_file,
                  std::optional<std::int64_t> duration_ms, std::optional<int> slides);
  bool stopping() const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  live::Publisher& publisher_;
  uploads::UploadService& uploads_;
  const Options options_;
  const std::filesystem::path media_dir_;
  const std::filesystem::path hls_dir_;       // <data>/flashmob/hls/<item>/
  const std::filesystem::path captions_dir_;  // <data>/flashmob/captions/<item>.vtt
  std::map<std::string, EventInfo, std::less<>> events_;
  std::function<void(const std::string&)> feed_listener_;  // set before start()

  // Guarded by mutex_: the workers' wake-up and stop flag.
  mutable Mutex mutex_;
  CondVar wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool started_ GUARDED_BY(mutex_) = false;
  // Only on the thread that calls start() and stop().
  std::vector<std::thread> workers_;
};

}  // namespace praktika::flashmob
