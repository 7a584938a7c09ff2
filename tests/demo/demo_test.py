#!/usr/bin/env python3
"""The demo's data set (scripts/demo/seed.py) has each stage's data at its clock, as the API shows
it: the server is started on the seeded data directory at one instant after another.

    tests/demo/demo_test.py [-v]

Seeds into a temporary directory, or uses PRAKTIKA_DEMO_DATA when it names a seeded one
(scripts/test.sh seeds once for this test and the browser test)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "demo"))

import seed  # noqa: E402

BINARY = Path(os.environ.get("PRAKTIKA_BINARY", ROOT / "build" / "praktika"))
CONFERENCE = "/api/events/irkutsk-2020"
CONTEST = "/api/events/contest-2025"
PASSWORD = "praktika-demo"


def seeded_data():
    given = os.environ.get("PRAKTIKA_DEMO_DATA")
    if given and (Path(given) / seed.MARKER).exists():
        return Path(given), None
    work = tempfile.mkdtemp(prefix="praktika-demo-test-")
    data = Path(work) / "data"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "demo" / "seed.py"), "--binary", str(BINARY),
                    "--data", str(data)], check=True)
    return data, work


class DemoData(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data, cls.work = seeded_data()

    @classmethod
    def tearDownClass(cls):
        if cls.work:
            shutil.rmtree(cls.work, ignore_errors=True)

    def serve(self, clock):
        server = seed.Server(BINARY, self.data)
        server.start(clock)
        self.addCleanup(server.stop)
        return server

    def signed_in(self, server, email):
        return seed.Person(server, email).login(PASSWORD)

    def test_the_gallery_shows_the_admitted_practices_and_their_discussion_on_6_july(self):
        server = self.serve("2020-07-06T15:00:00+08:00")
        reader = self.signed_in(server, "author@demo.praktika")
        gallery = reader.call("GET", f"{CONFERENCE}/practices")
        self.assertEqual(gallery["total"], 11, "8 admitted to present and 3 to the gallery only")
        self.assertEqual({p["section"] for p in gallery["practices"]}, {1, 2, 3, 4})
        comments = [reader.call("GET", f"{CONFERENCE}/practices/{p['id']}/comments")["comments"]
                    for p in gallery["practices"]]
        self.assertGreaterEqual(sum(len(c) for c in comments), 10)
        self.assertTrue(any(c["parent"] for thread in comments for c in thread), "some comments are replies")
        outcomes = reader.call("GET", f"{CONFERENCE}/cabinet")["practices"]
        self.assertTrue(any(p["outcome"] and p["outcome"]["outcome"] == "present" for p in outcomes))

    def test_the_flashmob_feed_plays_on_7_july_at_noon(self):
        server = self.serve("2020-07-07T12:00:00+08:00")
        feed = seed.Person(server, "visitor").call("GET", f"{CONFERENCE}/flashmob/now")
        self.assertEqual(feed["state"], "playing")
        self.assertIsNotNone(feed["item"])
        kinds = {feed["item"]["work_kind"]} | {i["work_kind"] for i in feed["up_next"]}
        self.assertGreaterEqual(len(kinds), 3)
        public = seed.Person(server, "visitor").call("GET", f"{CONFERENCE}/flashmob/gallery")["items"]
        self.assertEqual({i["work_kind"] for i in public}, {"fine_art", "applied_art", "recitation", "dance", "music"})
        self.assertEqual({i["media_kind"] for i in public}, {"video", "presentation"})

    def test_every_section_has_its_published_order_and_section_1_is_live_on_8_july(self):
        server = self.serve("2020-07-08T10:25:00+08:00")
        visitor = seed.Person(server, "visitor")
        for section in visitor.call("GET", f"{CONFERENCE}/sections")["sections"]:
            self.assertIsNotNone(section["schedule"], f"section {section['number']}")
            self.assertEqual(len(section["schedule"]["slots"]), 2)
        live = visitor.call("GET", f"{CONFERENCE}/sections/1/state")
        self.assertEqual(live["status"], "running")
        self.assertEqual(len(live["done"]), 1)
        self.assertTrue(live["hands"])
        self.assertTrue(any(q["votes"] > 0 for q in live["questions"]), "approved questions with votes")
        self.assertEqual(visitor.call("GET", f"{CONFERENCE}/sections/2/state")["status"], "closed")

    def test_results_certificates_and_the_proceedings_are_there_after_the_conference(self):
        server = self.serve("2020-07-20T12:00:00+08:00")
        self.assertIsNotNone(seed.Person(server, "visitor").call("GET", f"{CONFERENCE}/results")["results"])
        author = self.signed_in(server, "author@demo.praktika")
        mine = author.call("GET", f"{CONFERENCE}/certificates/mine")
        self.assertEqual(len(mine["certificates"]), 1)
        self.assertIsNotNone(mine["proceedings"])
        number = mine["certificates"][0]["number"]
        self.assertTrue(seed.Person(server, "visitor").call("GET", f"/api/certificates/{number}")["valid"])
        organiser = self.signed_in(server, "organiser@demo.praktika")
        issued = organiser.call("GET", f"{CONFERENCE}/certificates")["certificates"]
        self.assertEqual(len(issued), 10, "one for each of the ten authors and co-authors")
        self.assertTrue(all(c["state"] == "made" for c in issued))
        proceedings = organiser.call("GET", f"{CONFERENCE}/proceedings")
        self.assertTrue(proceedings.startswith(b"%PDF"))

    def test_the_contest_laureates_are_published_from_several_regions(self):
        server = self.serve("2025-02-03T12:00:00+03:00")
        laureates = seed.Person(server, "visitor").call("GET", f"{CONTEST}/laureates")
        self.assertTrue(laureates["published"])
        self.assertEqual(len(laureates["laureates"]), 3)
        self.assertEqual(len({l["region"] for l in laureates["laureates"]}), 3)
        organiser = self.signed_in(server, "contest@demo.praktika")
        matches = organiser.call("GET", f"{CONTEST}/contest/matches")["matches"]
        self.assertEqual([m["decision"] for m in matches], ["confirmed"], "the past laureate's application is held")

    def test_the_server_says_its_clock_is_set(self):
        server = self.serve("2020-07-07T12:00:00+08:00")
        health = seed.Person(server, "visitor").call("GET", "/api/health")
        self.assertEqual(health["clock"], {"set": True, "speed": 1.0})


if __name__ == "__main__":
    unittest.main()
