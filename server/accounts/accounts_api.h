// HTTP routes of accounts: /api/auth/*, /api/me and /api/events/{id}/roles. Turns JSON into
// AccountsService calls and back; owns the session cookie's name and attributes. Routes run on
// the server's worker threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/accounts.h"
#include "net/router.h"

namespace praktika::accounts {

inline constexpr std::string_view kSessionCookie = "praktika_session";

struct CookiePolicy {
  bool secure = false;  // behind TLS: add Secure
};

// The caller of a request: its session cookie resolved, or 401 not_authenticated.
Result<Identity> caller(AccountsService& accounts, const net::Request& request);

// Route wrappers for the modules' API layers: the handler runs with the resolved caller, or the
// request is answered 401 (no session) or 403 (not the organiser of the event in {id}).
using CallerHandler = std::function<net::Response(const Identity&, const net::Request&, const net::PathParams&)>;
net::RouteHandler signed_in(AccountsService& accounts, CallerHandler handler);
net::RouteHandler organiser_only(AccountsService& accounts, CallerHandler handler);

// Whether the event is loaded and, when a section is given, has that section.
using EventLookup = std::function<bool(std::string_view event_id, std::optional<int> section)>;

// Queues the letter inviting `invitation.email` to the site, inside the transaction that stores
// the invitation. `site` is the site's address as the organiser's page names it (scheme://host),
// for the link to sign up or sign in.
using InvitationLetter = std::function<Status(store::Tx&, const Invitation&, std::string_view site)>;

// POST /api/events/{id}/roles grants a role by user_id or e-mail; an e-mail without an account
// is invited (the role waits, `letter` is queued) and answered 202 {"invitation":{…}}.
// GET lists the roles and {"invitations":[…]}; DELETE withdraws a role or, by e-mail without an
// account, an invitation.
// `letter_queued` is told after the invitation's transaction commits (the sender is woken then: with
// PostgreSQL's pool its read would not wait for an uncommitted letter).
void add_routes(net::Router& router, AccountsService& accounts, CookiePolicy cookie, EventLookup events,
                InvitationLetter letter, std::function<void()> letter_queued);

}  // namespace praktika::accounts
