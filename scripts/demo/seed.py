#!/usr/bin/env python3
"""Builds the demo's data set: the whole conference and the contest, through the public HTTP API
and the server's own jobs, as people would enter it. The event's clock walks through the stages:
the server is started at one --clock instant after another on the same data directory, each
phase doing what people do at that moment. Accounts of organisers come from `admin create-user`
(the operator's way); everyone else registers, and the organiser grants the roles.

    seed.py --binary build/praktika --data NEW_DIR [--sample scripts/demo/sample.json]

On success writes DATA/demo-seeded (what was made, and how long each phase took)."""
import argparse
import base64
import concurrent.futures
import http.cookiejar
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import media

ROOT = Path(__file__).resolve().parents[2]
AGENDAS = [ROOT / "agenda" / "irkutsk-2020.json", ROOT / "agenda" / "contest-2025.json"]
MARKER = "demo-seeded"


class SeedError(Exception):
    pass


class Server:
    """One `praktika serve` on a free loopback port, at a set clock."""

    def __init__(self, binary, data):
        self.binary, self.data = str(binary), str(data)
        self.process = None
        self.base = None
        self.output = []

    def start(self, clock, speed=1):
        args = [self.binary, "serve", "--port", "0", "--data", self.data, "--clock", clock, "--clock-speed", str(speed)]
        for agenda in AGENDAS:
            args += ["--agenda", str(agenda)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        for line in self.process.stdout:
            self.output.append(line)
            if "praktika: listening on " in line:
                self.base = line.split("listening on ", 1)[1].strip()
                break
        else:
            raise SeedError("the server did not start:\n" + "".join(self.output))
        # Keep reading its output so a chatty server never blocks on a full pipe.
        self.reader = threading.Thread(target=lambda out=self.process.stdout: [self.output.append(l) for l in out],
                                       daemon=True)
        self.reader.start()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.reader.join(timeout=5)
            self.process.stdout.close()
        self.process = None


class Person:
    """Someone with their own session cookie; the cookie outlives server restarts (sessions are stored)."""

    def __init__(self, server, email, name=""):
        self.server, self.email, self.name = server, email, name
        self.user_id = None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method, path, body=None, raw=None, headers=None, expect=None):
        base = self.server.base
        # The server refuses a state change with the session cookie that names no page.
        all_headers = {"Origin": base, "Accept": "application/json", **(headers or {})}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(base + path, data=data, method=method, headers=all_headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                status, text, reply_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as e:
            status, text, reply_headers = e.code, e.read(), e.headers
        if (expect is None and status >= 300) or (expect is not None and status not in expect):
            raise SeedError(f"{self.email}: {method} {path} → {status} {text[:600].decode(errors='replace')}")
        self.last_status = status
        if not text or not reply_headers.get("Content-Type", "").startswith("application/json"):
            return text
        return json.loads(text)

    def register(self, password):
        reply = self.call("POST", "/api/auth/register",
                          {"email": self.email, "password": password, "full_name": self.name}, expect=(201, 409))
        if self.last_status == 409:
            reply = self.call("POST", "/api/auth/login", {"email": self.email, "password": password})
        self.user_id = reply["user"]["id"]
        return self

    def login(self, password):
        self.user_id = self.call("POST", "/api/auth/login", {"email": self.email, "password": password})["user"]["id"]
        return self

    def upload(self, event, purpose, path, metadata=None):
        data = Path(path).read_bytes()
        fields = {"filename": Path(path).name, **(metadata or {})}
        encoded = ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in fields.items())
        created = self.call("POST", f"/api/events/{event}/uploads?purpose={purpose}", raw=b"",
                            headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)),
                                     "Upload-Metadata": encoded})
        self.call("PATCH", f"/api/uploads/{created['id']}", raw=data,
                  headers={"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream",
                           "Upload-Offset": "0"})
        return created["id"]


def wait_for(what, read, accept, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise SeedError(f"timed out waiting for {what}; last seen: {json.dumps(value, ensure_ascii=False)[:400]}")
        time.sleep(0.2)


def create_organiser(binary, data, event, account, password):
    made = subprocess.run([str(binary), "admin", "create-user", "--data", str(data), "--email", account["email"],
                           "--role", "organiser", "--event", event, "--name", account["name"]],
                          input=password + "\n", capture_output=True, text=True)
    if made.returncode != 0:
        raise SeedError(f"admin create-user {account['email']}: {made.stdout}{made.stderr}")


# --- What people write -----------------------------------------------------------------------

def inn(digits):
    """A legal entity's ИНН from its first nine digits, with the check digit the server verifies."""
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    head = digits[:9]
    return head + str(sum(w * int(d) for w, d in zip(weights, head)) % 11 % 10)


def registration_answers(author, section, article):
    return {"institution": author["institution"], "author": author["name"], "position": author["position"],
            "work_phone": author["phone"], "mobile_phone": author["mobile"], "email": author["email"],
            "section": section, "article_title": article, "payment_form": "legal_entity",
            "payer_organisation": author["institution"], "payer_inn": inn(author["payer_inn"]), "payer_kpp": "380101001",
            "payer_address": author["address"], "consent_regulations": True, "consent_personal_data": True}


def practice_answers(p, author, co_author):
    implementers = [{"full_name": author["name"], "position": author["position"]}]
    if co_author:
        implementers.append({"full_name": co_author["name"], "position": co_author["position"]})
    site = author["email"].split("@")[0] + ".example.org"
    answers = {
        "name": p["name"],
        "organisation": {"name": author["institution"], "website": site, "phone": author["phone"],
                         "email": "info@" + site, "contact_person": author["name"]},
        "implementers": implementers,
        "relevance": {"problem": p["problem"], "started_year": p["started_year"]},
        "values": p["values"],
        "target_groups": p["target_groups"],
        "goal_and_tasks": p["goal"],
        "content": p["content"],
        "mechanism": {"steps": p["steps"], "regulations": f"Положение о практике «{p['name']}», утверждённое приказом директора учреждения."},
        "management": "Рабочая группа учреждения под руководством заместителя директора; ежемесячное обсуждение на методическом совете, отчёт по итогам года.",
        "resources": {"methodical": "Программа практики, методические материалы и анкеты для участников.",
                      "material": "Помещения и оборудование учреждения.",
                      "staff": "Специалисты учреждения, прошедшие обучение по программе практики.",
                      "partners": "Органы опеки, образовательные организации, общественные объединения."},
        "results": {"quantitative": p["quantitative"], "qualitative": p["qualitative"],
                    "methodical": "Методические рекомендации для специалистов учреждений области.",
                    "socio_economic": "Сокращение числа семей и детей, нуждающихся в стационарном обслуживании."},
        "cases": p["cases"],
        "recommendations": "Начинать с небольшой группы участников, заранее договориться с партнёрами и обучить специалистов.",
    }
    if p.get("reviews"):
        answers["beneficiary_reviews"] = p["reviews"]
    return answers


def document_sections(p):
    return [
        ("1. Проблематика и актуальность", [p["problem"], "Практика опирается на исследования последних лет [3, с. 15] и на опыт учреждений области [7, с. 42–44]."]),
        ("2. Цель и задачи", [p["goal"]]),
        ("3. Содержание практики", [p["content"], p["steps"]]),
        ("4. Результаты", [p["quantitative"], p["qualitative"], *p["cases"]]),
    ]


def contest_answers(a, name=None, inn=None):
    site = a["site"]
    answers = {
        "name": name or a["name"], "head_name": a["head"],
        "postal_address": {"region": a["region"], "address": a["address"]},
        "email": "info@" + site.split("//", 1)[1], "website": site,
        "innovative_technologies": "Технология «Социальное такси» (с 2022 года, 1 200 поездок в год); стационарозамещающая технология «Приёмная семья для пожилого» (18 семей); служба домашнего визитирования семей с детьми раннего возраста.",
        "programmes_and_projects": "Проект «Активное долголетие» (грант Фонда президентских грантов, 2023), программа «Семейный клуб выходного дня», проект «Мобильная бригада» для отдалённых сёл.",
        "staff_training": "Ежемесячная школа специалиста; методическое объединение по работе с семьями; журналы «Социальное обслуживание» и «Работник социальной службы» обсуждаются на планёрках, по их материалам внедрены две технологии.",
        "conferences": "Всероссийская конференция «Социальное обслуживание: новые решения» (2023), региональный семинар по долговременному уходу (2024) — выступления заведующих отделениями.",
        "external_training": "Курсы повышения квалификации по системе долговременного ухода (24 сотрудника), тренинги по профилактике эмоционального выгорания.",
        "publications": "Статьи в журнале «Социальное обслуживание» (2023, № 4; 2024, № 2), паспорт технологии «Социальное такси» на сайте учреждения.",
        "subscription": {"social_service": True, "social_worker": True, "agency": "АО «Почта России»"},
    }
    if inn:
        answers["inn"] = inn
    return answers


# --- The conference, stage by stage ----------------------------------------------------------

class Conference:
    def __init__(self, seed):
        self.seed = seed
        self.s = seed.sample["conference"]
        self.event = self.s["event"]
        self.api = f"/api/events/{self.event}"
        self.authors = {a["key"]: a for a in self.s["authors"]}
        self.people = {}
        self.practices = []  # ids, in the sample's order
        self.items = []

    def person(self, key):
        return self.people[key]

    def intake(self):
        seed, s = self.seed, self.s
        self.organiser = Person(seed.server, s["organiser"]["email"]).login(seed.password)
        for staff in s["experts"] + s["moderators"]:
            person = Person(seed.server, staff["email"], staff["name"]).register(seed.password)
            self.people[staff["email"]] = person
            role = "expert" if staff in s["experts"] else "moderator"
            self.organiser.call("POST", f"{self.api}/roles", {"email": staff["email"], "role": role, "section": staff["section"]})
        for key, author in self.authors.items():
            self.people[key] = Person(seed.server, author["email"], author["name"]).register(seed.password)
        first = {}
        for p in s["practices"]:
            first.setdefault(p["author"], p)
        for key, author in self.authors.items():
            p = first.get(key) or next(q for q in s["practices"] if q.get("co_author") == key)
            self.person(key).call("PUT", f"{self.api}/registration",
                                  {"answers": registration_answers(author, p["section"], p["name"])})
        for index, p in enumerate(s["practices"]):
            self.practices.append(self.submit_practice(index, p))
        draft = s["draft"]
        self.person(draft["author"]).call("POST", f"{self.api}/practices",
                                          {"section": draft["section"], "type": draft["type"], "answers": draft["answers"]})
        for item in s["flashmob"]:
            self.send_flashmob_item(item)
        # The organiser approves each item or gives a reason; the server's jobs convert the AVI
        # to H.264 and the PDFs to slide images, and approved items join the feed in this order.
        for item, spec in zip(self.items, s["flashmob"]):
            decision = {"decision": "reject", "reason": spec["reject"]} if spec.get("reject") else {"decision": "approve"}
            self.organiser.call("POST", f"{self.api}/flashmob/items/{item}/decision", decision)
        wait_for("the flashmob conversions", lambda: self.organiser.call("GET", f"{self.api}/flashmob/queue"),
                 lambda q: all(i["play"]["state"] == "ready" for i in q["items"] if i["review"] == "approved"), timeout=240)

    def submit_practice(self, index, p):
        seed = self.seed
        author = self.authors[p["author"]]
        co_author = self.authors.get(p.get("co_author"))
        me = self.person(p["author"])
        practice = me.call("POST", f"{self.api}/practices", {"section": p["section"], "type": p["type"],
                                                              "answers": practice_answers(p, author, co_author)})
        pid = practice["id"]
        if co_author:
            me.call("PATCH", f"{self.api}/practices/{pid}", {"co_authors": [co_author["email"]]})
        files = seed.files
        me.upload(self.event, "document", files[f"document-{index}"], {"practice": pid})
        me.upload(self.event, "photo", files[f"photo-{index}"], {"practice": pid})
        me.call("POST", f"{self.api}/practices/{pid}/submit", {})
        decide = f"{self.api}/intake/practices/{pid}/payment"
        if p.get("payment_returned"):
            scan = me.upload(self.event, "payment", files[f"payment-{index}"], {"practice": pid})
            me.call("POST", f"{self.api}/practices/{pid}/payment", {"upload": scan})
            self.organiser.call("POST", decide, {"decision": "return", "reason": p["payment_returned"]})
        scan = me.upload(self.event, "payment", files[f"payment-{index}"], {"practice": pid})
        me.call("POST", f"{self.api}/practices/{pid}/payment", {"upload": scan})
        self.organiser.call("POST", decide, {"decision": "confirm"})
        return pid

    def send_flashmob_item(self, spec):
        me = self.person(spec["by"])
        upload = me.upload(self.event, "flashmob", self.seed.files[f"flashmob-{spec['title']}"])
        item = me.call("POST", f"{self.api}/flashmob/items",
                       {"upload": upload, "work_kind": spec["kind"], "title": spec["title"],
                        "institution": self.authors[spec["by"]]["institution"]})
        self.items.append(item["id"])

    def review(self):
        s = self.s
        self.organiser.call("POST", f"{self.api}/review/assign", {})
        planned = {pid: p for pid, p in zip(self.practices, s["practices"])}
        for n, staff in enumerate(s["experts"]):
            expert = self.people[staff["email"]]
            for entry in expert.call("GET", f"{self.api}/review/queue")["practices"]:
                p = planned[entry["id"]]
                high = {"present": 5, "gallery": 4, "rejected": 2}[p["outcome"]]
                scores = {c: max(0, high - (n + i) % 2) for i, c in enumerate(["relevance", "effectiveness", "replicability", "presentation"])}
                body = {"decision": p["outcome"], "scores": scores}
                if p["outcome"] == "rejected":
                    body["reason"] = p["reason"]
                expert.call("PUT", f"{self.api}/review/practices/{entry['id']}/review", body)
        for pid, p in planned.items():
            body = {"outcome": p["outcome"]}
            if p.get("reason"):
                body["reason"] = p["reason"]
            self.organiser.call("PUT", f"{self.api}/review/practices/{pid}/outcome", body)
        # Presenters send the slides they will show on 8 July.
        for index, (pid, p) in enumerate(planned.items()):
            if p["outcome"] == "present":
                self.person(p["author"]).upload(self.event, "presentation", self.seed.files[f"slides-{index}"], {"practice": pid})

    def gallery(self):
        self.organiser.call("POST", f"{self.api}/review/notifications", {})
        for c in self.s["comments"]:
            pid = self.practices[c["on"]]
            comment = self.person(c["by"]).call("POST", f"{self.api}/practices/{pid}/comments", {"text": c["text"]})
            if c.get("hidden_by_moderator"):
                section = self.s["practices"][c["on"]]["section"]
                self.moderator(section).call("POST", f"{self.api}/practices/{pid}/comments/{comment['id']}/hide",
                                             {"hidden": True})
            if c.get("reply"):
                self.person(c["reply"]["by"]).call("POST", f"{self.api}/practices/{pid}/comments",
                                                   {"text": c["reply"]["text"], "parent": comment["id"]})

    def schedules(self):
        for section in range(1, 5):
            self.organiser.call("POST", f"{self.api}/sections/{section}/schedule/draft", {})
            self.organiser.call("POST", f"{self.api}/sections/{section}/schedule/publish", {})

    def feed(self, action):
        self.organiser.call("POST", f"{self.api}/flashmob/control", {"action": action})

    def moderator(self, section):
        return self.people[self.s["moderators"][section - 1]["email"]]

    def act(self, who, section, action, body=None):
        return who.call("POST", f"{self.api}/sections/{section}/actions/{action}", body or {})

    def section_day_start(self):
        for section in range(1, 5):
            self.act(self.moderator(section), section, "start")
            self.act(self.moderator(section), section, "next")
        day = self.s["section_day"]
        first_hand = day["hands"][0]
        self.act(self.person(first_hand["by"]), first_hand["section"], "hand")
        q = day["questions"][0]
        self.ask(q)

    def ask(self, q):
        reply = self.act(self.person(q["by"]), q["section"], "ask", {"text": q["text"]})
        if q.get("approve"):
            self.act(self.moderator(q["section"]), q["section"], "approve", {"question": reply["question"]})
            for voter in q.get("votes", []):
                self.act(self.person(voter), q["section"], "vote", {"question": reply["question"]})
        return reply["question"]

    def section_day_second(self):
        day = self.s["section_day"]
        mod = self.moderator(1)
        self.act(mod, 1, "floor")
        self.act(mod, 1, "floor_done")
        moderation = mod.call("GET", f"{self.api}/sections/1/moderation")
        answered = [q for q in moderation["questions"] if q["status"] == "approved"]
        for q in answered:
            self.act(mod, 1, "answer", {"question": q["id"]})
        for section in range(1, 5):
            self.act(self.moderator(section), section, "next")
        for hand in day["hands"][1:]:
            self.act(self.person(hand["by"]), hand["section"], "hand")
        for q in day["questions"][1:]:
            self.ask(q)

    def section_day_close(self):
        # Sections 2–4 end; section 1 is left in the middle of its second talk for the visitor.
        for section in range(2, 5):
            self.act(self.moderator(section), section, "close")

    def results(self):
        s = self.s
        sections = []
        for section in range(1, 5):
            best = [pid for pid, p in zip(self.practices, s["practices"])
                    if p["section"] == section and p["outcome"] == "present"][:1]
            sections.append({"section": section, "best": best, "note": s["result_notes"][str(section)]})
        self.organiser.call("PUT", f"{self.api}/results", {"text": s["results_text"], "sections": sections})

    def certificates(self):
        self.organiser.call("POST", f"{self.api}/certificates/jobs", {"send_mail": True})
        wait_for("the certificates", lambda: self.organiser.call("GET", f"{self.api}/certificates/jobs/current"),
                 lambda j: j["job"] and j["job"]["state"] == "done", timeout=240)
        self.organiser.call("GET", f"{self.api}/proceedings")
        self.organiser.call("POST", f"{self.api}/proceedings/mail", {})


class Contest:
    def __init__(self, seed):
        self.seed = seed
        self.s = seed.sample["contest"]
        self.event = self.s["event"]
        self.api = f"/api/events/{self.event}"
        self.applicants = []
        self.practices = []

    def applicant(self, a):
        person = Person(self.seed.server, a["email"], a["person"]).register(self.seed.password)
        person.call("PUT", f"{self.api}/registration", {"answers": {
            "institution": a["name"], "full_name": a["person"], "position": a["position"], "phone": a["phone"],
            "consent_regulations": True, "consent_personal_data": True}})
        return person

    def attach(self, person, pid, a):
        files = self.seed.files
        person.upload(self.event, "letter", files[f"letter-{a['email']}"], {"practice": pid})
        person.upload(self.event, "subscription", files[f"subscription-{a['email']}"], {"practice": pid})

    def intake(self):
        seed, s = self.seed, self.s
        self.organiser = Person(seed.server, s["organiser"]["email"]).login(seed.password)
        self.jury = []
        for member in s["jury"]:
            self.jury.append(Person(seed.server, member["email"], member["name"]).register(seed.password))
            self.organiser.call("POST", f"{self.api}/roles", {"email": member["email"], "role": "expert"})
        for a in s["applications"]:
            person = self.applicant(a)
            pid = person.call("POST", f"{self.api}/practices", {"answers": contest_answers(a, inn=a["inn"])})["id"]
            self.attach(person, pid, a)
            person.call("POST", f"{self.api}/practices/{pid}/submit", {})
            self.practices.append(pid)
        # A laureate of 2023 may not apply before 2026 (footnote 1): refused at once by its INN,
        # then, applying under a slightly different name without one, held for the organiser, who
        # confirms the match, so the submission is refused too.
        refused = s["refused"]
        person = self.applicant(refused)
        person.call("POST", f"{self.api}/practices",
                    {"answers": contest_answers(refused, refused["exact"]["name"], refused["exact"]["inn"])}, expect=(422,))
        pid = person.call("POST", f"{self.api}/practices", {"answers": contest_answers(refused)})["id"]
        self.attach(person, pid, refused)
        for match in self.organiser.call("GET", f"{self.api}/contest/matches")["matches"]:
            if match["practice"] == pid:
                self.organiser.call("PUT", f"{self.api}/contest/matches/{pid}",
                                    {"past_key": match["past_key"], "decision": "confirmed"})
        person.call("POST", f"{self.api}/practices/{pid}/submit", {}, expect=(422,))

    def review(self):
        self.organiser.call("POST", f"{self.api}/review/assign", {})
        outcome = {pid: a["outcome"] for pid, a in zip(self.practices, self.s["applications"])}
        for n, member in enumerate(self.jury):
            for entry in member.call("GET", f"{self.api}/review/queue")["practices"]:
                high = 9 if outcome[entry["id"]] == "laureate" else 6
                scores = {c: high - (n + i) % 3 for i, c in enumerate(["innovation", "own_developments", "staff_development", "dissemination"])}
                member.call("PUT", f"{self.api}/review/practices/{entry['id']}/review",
                            {"decision": outcome[entry["id"]], "scores": scores})
        for pid, decided in outcome.items():
            self.organiser.call("PUT", f"{self.api}/review/practices/{pid}/outcome", {"outcome": decided})

    def awards(self):
        self.organiser.call("POST", f"{self.api}/certificates/jobs", {"send_mail": True})
        wait_for("the diplomas", lambda: self.organiser.call("GET", f"{self.api}/certificates/jobs/current"),
                 lambda j: j["job"] and j["job"]["state"] == "done", timeout=240)
        for pid in self.practices[:2]:
            self.organiser.call("PUT", f"{self.api}/post/{pid}", {"sent_on": "2025-02-03"})


# --- The files, made once before the first phase ---------------------------------------------

def make_files(sample, work):
    conference, contest = sample["conference"], sample["contest"]
    jobs = {}
    for index, p in enumerate(conference["practices"]):
        jobs[f"document-{index}"] = (media.docx, work / f"Описание практики {index + 1}.docx", p["name"], document_sections(p), p["document_ok"])
        jobs[f"photo-{index}"] = (media.photo, work / f"Фото {index + 1}.jpg", p["photo"], p["colours"])
        jobs[f"payment-{index}"] = (media.scan, work / f"Платёжное поручение {index + 1}.pdf",
                                    [f"ПЛАТЁЖНОЕ ПОРУЧЕНИЕ № {412 + index}", "Сумма: 2000 руб. 00 коп.",
                                     "Назначение платежа: организационный взнос", f"за практику «{p['name']}»"])
        if p["outcome"] == "present":
            jobs[f"slides-{index}"] = (media.presentation, work / f"Выступление {index + 1}.pdf", p["name"],
                                       [p["goal"].split(".")[0] + ".", p["quantitative"], p["qualitative"]], p["colours"])
    for spec in conference["flashmob"]:
        path = work / spec["file"]
        if "slides" in spec:
            jobs[f"flashmob-{spec['title']}"] = (media.presentation, path, spec["title"], spec["slides"], spec["colours"])
        else:
            jobs[f"flashmob-{spec['title']}"] = (media.video, path, spec["title"], spec["subtitle"],
                                                 spec["seconds"], spec["colours"], spec["codec"])
    for a in contest["applications"] + [contest["refused"]]:
        jobs[f"letter-{a['email']}"] = (media.scan, work / f"Заявка {a['email']}.pdf",
                                        ["ЗАЯВКА на участие в конкурсе", a["name"][:70], f"Руководитель: {a['head']}"])
        jobs[f"subscription-{a['email']}"] = (media.scan, work / f"Подписка {a['email']}.pdf",
                                              ["ДОГОВОР ПОДПИСКИ на 1 полугодие 2025 г.", "«Социальное обслуживание»",
                                               "«Работник социальной службы»"])
    files = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = {key: pool.submit(job[0], *job[1:]) for key, job in jobs.items()}
        for key, future in futures.items():
            files[key] = future.result()
    return files


class Seed:
    def __init__(self, args):
        self.sample = json.loads(Path(args.sample).read_text(encoding="utf-8"))
        self.password = self.sample["password"]
        self.binary = Path(args.binary)
        self.data = Path(args.data)
        self.server = Server(self.binary, self.data)
        self.timings = []

    def phase(self, name, clock, *steps):
        started = time.monotonic()
        self.server.start(clock)
        try:
            for step in steps:
                step()
        except Exception:
            sys.stderr.write("".join(self.server.output[-30:]))
            raise
        finally:
            self.server.stop()
        self.timings.append({"phase": name, "clock": clock, "seconds": round(time.monotonic() - started, 1)})
        print(f"demo: {clock}  {name} ({self.timings[-1]['seconds']} s)", flush=True)

    def run(self):
        began = time.monotonic()
        if self.data.exists() and any(self.data.iterdir()):
            raise SeedError(f"{self.data} is not empty: the data set is built into a new directory")
        self.data.mkdir(parents=True, exist_ok=True)
        conference, contest = Conference(self), Contest(self)
        for event, account in ((conference.event, conference.s["organiser"]), (contest.event, contest.s["organiser"])):
            create_organiser(self.binary, self.data, event, account, self.password)
        with tempfile.TemporaryDirectory(prefix="praktika-demo-files-") as work:
            started = time.monotonic()
            self.files = make_files(self.sample, Path(work))
            self.timings.append({"phase": "files made", "seconds": round(time.monotonic() - started, 1)})
            print(f"demo: files made ({self.timings[-1]['seconds']} s)", flush=True)
            self.phase("intake: accounts, roles, practices, documents, photos, payments, flashmob",
                       "2020-06-15T10:00:00+08:00", conference.intake)
            self.phase("review: experts' reviews, outcomes, presenters' slides", "2020-06-30T11:00:00+08:00", conference.review)
            self.phase("gallery: decision letters, comments", "2020-07-06T11:00:00+08:00", conference.gallery)
            self.phase("section schedules published", "2020-07-07T09:00:00+08:00", conference.schedules)
            self.phase("flashmob feed paused", "2020-07-07T10:00:20+08:00", lambda: conference.feed("pause"))
            self.phase("flashmob feed resumed", "2020-07-07T11:59:30+08:00", lambda: conference.feed("resume"))
            self.phase("section day: start, hands, questions", "2020-07-08T10:00:00+08:00", conference.section_day_start)
            self.phase("section day: second talks", "2020-07-08T10:16:00+08:00", conference.section_day_second)
            self.phase("section day: sections 2–4 close", "2020-07-08T10:40:00+08:00", conference.section_day_close)
            self.phase("results published", "2020-07-08T12:35:00+08:00", conference.results)
            self.phase("certificates and proceedings", "2020-07-20T10:00:00+08:00", conference.certificates)
            self.phase("contest: applications, refused past laureate", "2024-12-10T10:00:00+03:00", contest.intake)
            self.phase("contest: jury", "2025-01-25T10:00:00+03:00", contest.review)
            self.phase("contest: diplomas, post", "2025-02-03T10:00:00+03:00", contest.awards)
        total = round(time.monotonic() - began, 1)
        summary = {"seconds": total, "phases": self.timings,
                   "conference": {"practices": conference.practices, "flashmob_items": conference.items},
                   "contest": {"applications": contest.practices}}
        (self.data / MARKER).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"demo: data set made in {total} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build" / "praktika"))
    parser.add_argument("--data", required=True)
    parser.add_argument("--sample", default=str(Path(__file__).with_name("sample.json")))
    seed = Seed(parser.parse_args())
    try:
        seed.run()
    except SeedError as e:
        sys.exit(f"demo: seeding failed: {e}")


if __name__ == "__main__":
    main()
