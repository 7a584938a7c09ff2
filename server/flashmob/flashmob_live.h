// The flashmob's live side: the WebSocket topics "flashmob:{event}" (anyone: the feed, pushed
// now_playing) and "flashmob-item:{event}:{item}" (its owner and the organiser: conversion
// progress), and the FeedTicker that pushes now_playing at each item boundary on the event's
// Clock (sped up too). Topics are registered while App is built; a ticker's start() and stop()
// come from main's thread, poke() from any thread; the ticker's timer lives on its own strand.
#pragma once

#include <memory>
#include <string>

#include "flashmob/flashmob.h"
#include "live/live.h"
#include "timeline/clock.h"

namespace boost::asio {
class io_context;
}

namespace praktika::flashmob {

void add_live(live::Registry& registry, FlashmobService& flashmob);

class FeedTicker {
 public:
  FeedTicker(boost::asio::io_context& io, FlashmobService& flashmob, const timeline::Clock& clock, std::string event_id);
  ~FeedTicker();
  const std::string& event_id() const;
  void start();
  void stop();
  // The schedule changed (an organiser's action, a conversion done): wait for the new next boundary.
  void poke();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace praktika::flashmob
