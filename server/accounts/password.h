// Password hashing with argon2id (libsodium crypto_pwhash_str). Pure functions, callable from
// any thread; each hash or verify costs the configured CPU time and memory, so call them from the
// worker pool, never from a connection's strand.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace praktika::accounts {

struct PasswordCost {
  unsigned long long opslimit;
  std::size_t memlimit;

  // libsodium's INTERACTIVE (ops 2, 64 MiB): the recommended floor for online logins; 0.1–0.4 s
  // per hash (0.4 s on the shared 2-core build machine), a bearable wait once per login.
  static PasswordCost interactive();
  // The cheapest argon2id allows: for tests only, where hundreds of hashes must stay fast.
  // The parameters are stored in each hash, so a test database never weakens a real one.
  static PasswordCost cheapest_for_tests();
};

// Idempotent and thread-safe; false when libsodium cannot start (no entropy source).
bool init_sodium();

Result<std::string> hash_password(std::string_view password, const PasswordCost& cost);
// False for a wrong password and for a malformed hash alike.
bool verify_password(const std::string& hash, std::string_view password);
// True when `hash` was made with other parameters than `cost` (re-hash at the next login).
bool password_needs_rehash(const std::string& hash, const PasswordCost& cost);

}  // namespace praktika::accounts
