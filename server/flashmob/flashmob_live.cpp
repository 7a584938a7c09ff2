#include "flashmob/flashmob_live.h"
#include "common/errors.h"

#include <charconv>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

namespace praktika::flashmob {

namespace asio = boost::asio;
using nlohmann::json;

void add_live(live::Registry& registry, FlashmobService& flashmob) {
  registry.add_topic("flashmob", {[&flashmob](const live::Caller&, const std::vector<std::string>& parts) -> Result<json> {
                                    if (parts.size() != 1) return errors::invalid_topic();
                                    return flashmob.now(parts[0]);
                                  },
                                  {}});
  registry.add_topic(
      "flashmob-item", {[&flashmob](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
                          if (parts.size() != 2) return errors::invalid_topic();
                          if (!caller.identity) return errors::not_authenticated();
                          std::int64_t id = 0;
                          auto [p, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), id);
                          if (ec != std::errc{} || p != parts[1].data() + parts[1].size())
                            return Status::not_found("item_not_found", "Материал флешмоба не найден.");
                          auto item = flashmob.item(*caller.identity, parts[0], id);
                          if (!item) return item.status();
                          return json{{"item", *item}};
                        },
                        {}});
}

struct FeedTicker::State : std::enable_shared_from_this<FeedTicker::State> {
  State(asio::io_context& io, FlashmobService& flashmob, const timeline::Clock& clock, std::string event_id)
      : flashmob(flashmob), clock(clock), event_id(std::move(event_id)), timer(asio::make_strand(io)) {}

  // Constant after construction.
  FlashmobService& flashmob;
  const timeline::Clock& clock;
  const std::string event_id;

  // Only on the timer's strand.
  asio::steady_timer timer;
  bool stopped = false;
  std::uint64_t generation = 0;  // a poke outdates the wait in flight

  void arm() {
    if (stopped) return;
    auto next = flashmob.next_change(event_id);
    if (!next) return;
    std::uint64_t mine = ++generation;
    timer.expires_after(clock.real_time_until(*next));
    timer.async_wait([self = shared_from_this(), mine](boost::system::error_code ec) {
      if (ec || self->stopped || mine != self->generation) return;
      self->fire();
    });
  }

  void fire() {
    auto now = flashmob.now(event_id);
    if (now) flashmob.publish_now(event_id, *now);
    arm();
  }
};

FeedTicker::FeedTicker(asio::io_context& io, FlashmobService& flashmob, const timeline::Clock& clock,
                       std::string event_id)
    : state_(std::make_shared<State>(io, flashmob, clock, std::move(event_id))) {}

FeedTicker::~FeedTicker() { stop(); }

const std::string& FeedTicker::event_id() const { return state_->event_id; }

void FeedTicker::start() {
  asio::post(state_->timer.get_executor(), [s = state_] { s->arm(); });
}

void FeedTicker::poke() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    s->timer.cancel();
    s->arm();
  });
}

void FeedTicker::stop() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    s->stopped = true;
    s->timer.cancel();
  });
}

}  // namespace praktika::flashmob
