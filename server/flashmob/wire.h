// The JSON of the flashmob's types (types.h), as docs/protocol.md describes it: one function per
// type, the same for a route's answer (flashmob_api.cpp) and a live push (flashmob.cpp: the item,
// now_playing, progress), so the two cannot drift apart. The addresses of an item's media, stream
// and subtitles are made here. Pure: any thread.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "flashmob/types.h"

namespace praktika::flashmob {

nlohmann::json to_json(const Item& item);
nlohmann::json to_json(const PublicItem& item);
nlohmann::json to_json(const Feed& feed);
nlohmann::json to_json(const OwnItems& own);
nlohmann::json to_json(const Queue& queue);
nlohmann::json to_json(const Gallery& gallery);
nlohmann::json to_json(const ConversionProgress& progress);
// [{"name","width","height","bandwidth"}]: also how the store keeps an item's made renditions.
nlohmann::json to_json(const std::vector<StreamRendition>& renditions);

}  // namespace praktika::flashmob
