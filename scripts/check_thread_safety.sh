#!/usr/bin/env bash
# Clang's thread-safety analysis over every server source that declares or takes an annotated lock
# (common/mutex.h): an access to a GUARDED_BY member without its lock, or a call to a REQUIRES
# function without it, fails the test command. Syntax only, no objects: GCC builds the product.
# Usage: scripts/check_thread_safety.sh [build dir with compile_commands.json]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
clangxx=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z "$clangxx" ]]; then
  echo "check_thread_safety: clang++ is missing (scripts/deps.sh installs clang)" >&2
  exit 1
fi
mapfile -t sources < <(grep -rlE 'MutexLock|ReaderLock|WriterLock|GUARDED_BY|REQUIRES\(' server --include=*.cpp | sort)
mapfile -t includes < <(python3 - "$build/compile_commands.json" <<'PY'
import json, shlex, sys
seen = []
for entry in json.load(open(sys.argv[1])):
    if '/server/' not in entry['file']:
        continue
    args = shlex.split(entry['command'])
    for i, arg in enumerate(args):
        if arg == '-isystem' and i + 1 < len(args):  # the directory is the next word (libpq's, from pkg-config)
            arg = '-isystem' + args[i + 1]
        if (arg.startswith('-I') or arg.startswith('-isystem') or arg.startswith('-D')) and arg not in seen:
            seen.append(arg)
print('\n'.join(seen))
PY
)
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -I{} "$clangxx" -std=c++20 -fsyntax-only \
  -Wthread-safety -Wthread-safety-beta -Werror=thread-safety -Werror=thread-safety-beta -Wno-unknown-warning-option "${includes[@]}" {}
echo "check_thread_safety: ${#sources[@]} sources pass clang's thread-safety analysis"
