#!/usr/bin/env bash
# Installs what is missing, builds, and starts praktika on http://127.0.0.1:8080 with the demo
# agenda, demo accounts and an embedded store under data/demo (SQLite, in-memory presence).
# DEMO_CLOCK sets the event's "now" (default: the intake is open); DEMO_SPEED speeds it up.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh praktika

data=data/demo
clock=${DEMO_CLOCK:-2020-06-20T10:00:00+08:00}
speed=${DEMO_SPEED:-1}
event=irkutsk-2020
password=praktika-demo

fresh=false
if [[ ! -f $data/praktika.sqlite3 ]]; then
  fresh=true
  mkdir -p "$data"
  while IFS='|' read -r email role section name other_event; do
    args=(admin create-user --data "$data" --email "$email" --role "$role" --event "${other_event:-$event}" --name "$name")
    [[ -n $section ]] && args+=(--section "$section")
    echo "$password" | build/praktika "${args[@]}" >/dev/null
  done <<'ACCOUNTS'
organiser@demo.praktika|organiser||Ольга Организатор (УМЦ)
expert1@demo.praktika|expert|1|Эльвира Эксперт (секция 1)
moderator1@demo.praktika|moderator|1|Михаил Модератор (министерство)
author@demo.praktika|participant||Анна Автор (центр помощи семье)
contest@demo.praktika|organiser||Константин Конкурсов (жюри конкурса)|contest-2025
ACCOUNTS
fi

cat <<EOF2

  praktika demo: http://127.0.0.1:8080
  event clock:   $clock (speed ×$speed; DEMO_CLOCK / DEMO_SPEED change it)
  logins (password: $password):
    organiser@demo.praktika   — организатор
    expert1@demo.praktika     — эксперт секции 1
    moderator1@demo.praktika  — модератор секции 1
    author@demo.praktika      — участник
    contest@demo.praktika     — организатор конкурса «Учреждение устойчивого инновационного развития»
                                (приём заявок 1.11.2024–31.01.2025: DEMO_CLOCK=2024-12-10T10:00:00+03:00)

EOF2
build/praktika serve --port 8080 --data "$data" --agenda agenda/irkutsk-2020.json \
  --agenda agenda/contest-2025.json --web web/dist \
  --clock "$clock" --clock-speed "$speed" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server' INT TERM
if $fresh; then
  # Sample data through the public API, as the author would enter it (only while the intake is open).
  python3 scripts/demo/seed.py http://127.0.0.1:8080 author@demo.praktika "$password" scripts/demo/sample.json ||
    echo "demo: sample data not added (is the intake open at $clock?)"
fi
wait $server
