// The flashmob's live side: the WebSocket topics "flashmob:{event}" (anyone: the feed, pushed
// now_playing) and "flashmob-item:{event}:{item}" (its owner and the organiser: conversion
// progress), and the pushes of now_playing at each item boundary on the event's clock (sped up
// too), a wake-up on the live::Alarm. Topics are registered while App is built;
// push_feed_changes from any thread.
#pragma once

#include <string>

#include "flashmob/flashmob.h"
#include "live/alarm.h"
#include "live/live.h"

namespace praktika::flashmob {

void add_live(live::Registry& registry, FlashmobService& flashmob);

// Sets the alarm's wake-up "flashmob:{event}" at the feed's next item boundary, where it pushes
// now_playing and sets the next. Call it once per event at start-up and again whenever the
// schedule changed (an organiser's action, a conversion done). The service outlives the alarm.
void push_feed_changes(live::Alarm& alarm, FlashmobService& flashmob, const std::string& event_id);

}  // namespace praktika::flashmob
