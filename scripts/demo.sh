#!/usr/bin/env bash
# Installs what is missing, builds, and starts praktika on http://127.0.0.1:8080 with the demo
# agendas and an embedded store under data/demo (SQLite, in-memory presence).
# The first run builds the demo's data set (scripts/demo/seed.py: a whole conference and the
# contest, entered through the public API while the event's clock walks through the stages);
# later runs reuse it. `scripts/demo.sh --fresh` starts over.
# DEMO_CLOCK sets the event's "now" (default: 7 July 2020, 12:00 Irkutsk time, the flashmob
# playing); DEMO_SPEED speeds it up.
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=false
for arg in "$@"; do
  case $arg in
    --fresh) fresh=true ;;
    *) echo "usage: scripts/demo.sh [--fresh]" >&2; exit 2 ;;
  esac
done

scripts/deps.sh
scripts/build.sh praktika

data=data/demo
clock=${DEMO_CLOCK:-2020-07-07T12:00:00+08:00}
speed=${DEMO_SPEED:-1}

# A data directory without the seeder's mark is an interrupted or older demo: made again.
if $fresh || [[ ! -f $data/demo-seeded ]]; then
  rm -rf "$data"
  echo "demo: building the demo's data set in $data (the event's clock walks from June 2020 to February 2025)"
  python3 scripts/demo/seed.py --binary build/praktika --data "$data"
fi

cat <<EOF

  praktika demo: http://127.0.0.1:8080
  event clock:   $clock (speed ×$speed; DEMO_CLOCK / DEMO_SPEED change it, the data stay)

  Moments worth visiting (DEMO_CLOCK=… scripts/demo.sh):
    2020-06-20T10:00:00+08:00  приём заявок: кабинет автора, черновик, оплаты и документы у организатора
    2020-06-30T11:00:00+08:00  экспертиза: очередь эксперта, оценки, доска организатора
    2020-07-06T11:00:00+08:00  галерея практик с обсуждением, письма о допуске
    2020-07-07T12:00:00+08:00  флешмоб идёт (/events/irkutsk-2020/flashmob), галерея, опубликованный порядок выступлений
    2020-07-08T10:25:00+08:00  день секций: секция 1 в эфире — второе выступление, поднятые руки, вопросы (moderator1)
    2020-07-08T12:40:00+08:00  итоги секций опубликованы
    2020-07-20T10:00:00+08:00  сертификаты выданы, сборник материалов
    2024-12-10T10:00:00+03:00  конкурс: приём заявок из регионов, отказ прошлому лауреату
    2025-02-03T10:00:00+03:00  конкурс: лауреаты опубликованы, дипломы, отправка почтой

  Logins (password: praktika-demo):
    organiser@demo.praktika                        организатор конференции
    expert1@ expert1b@ … expert4@ expert4b@demo.praktika   эксперты секций 1–4
    moderator1@ … moderator4@demo.praktika         модераторы секций 1–4
    author@demo.praktika                           автор (Ангарск: практика секции 4, черновик)
    kuznetsova@ sokolov@ volkova@ popova@ egorov@ lebedeva@ morozova@ gusev@ petrov@demo.praktika
                                                   другие авторы
    contest@demo.praktika                          организатор конкурса «Учреждение устойчивого инновационного развития»
    jury1@ jury2@ jury3@demo.praktika              жюри конкурса
    berezhnaya@ safina@ orlova-kha@ angara@ mayak@demo.praktika   заявители конкурса
    semya@demo.praktika                            прошлый лауреат, которому отказано

EOF
exec build/praktika serve --port 8080 --data "$data" --agenda agenda/irkutsk-2020.json \
  --agenda agenda/contest-2025.json --web web/dist --clock "$clock" --clock-speed "$speed"
