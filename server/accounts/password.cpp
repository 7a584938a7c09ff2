#include "accounts/password.h"

#include <sodium.h>

namespace praktika::accounts {

PasswordCost PasswordCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::cheapest_for_tests() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

bool init_sodium() {
  // sodium_init is itself safe to call repeatedly and concurrently (1.0.11+); the static keeps
  // the answer and the call off the hot path.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

Result<std::string> hash_password(std::string_view password, const PasswordCost& cost) {
  if (!init_sodium()) return Status::internal("crypto_unavailable", "Криптографическая библиотека недоступна");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // The only failure is running out of memory for the memlimit.
    return Status::unavailable("server_busy", "Сервер перегружен, повторите попытку позже");
  }
  return std::string(out);
}

bool verify_password(const std::string& hash, std::string_view password) {
  if (!init_sodium() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(const std::string& hash, const PasswordCost& cost) {
  if (!init_sodium() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost.opslimit, cost.memlimit) != 0;
}

}  // namespace praktika::accounts
