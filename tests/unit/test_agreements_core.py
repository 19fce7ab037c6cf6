"""Agreements: the rules (status, consent reset, versions, review dates) and their storage."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from tui.core import agreements as rules
from tui.core.agreements import AgreementError, Status
from tui.core.clock import FakeClock
from tui.store import agreements as store_ag

T0 = datetime(2026, 1, 31, 9, 0, tzinfo=timezone.utc)


def fresh(**kw):
    base = dict(title="Phones stay away at meals", text="Phones go face down.\nA photo is fine.",
                kind="want", category="technology", review="quarterly")
    base.update(kw)
    return rules.create(1, 0, T0, **base)


def agreed(**kw):
    a = fresh(**kw)
    a = rules.propose(a, 0, T0)
    return rules.confirm(a, 1, T0)


# -- status -------------------------------------------------------------------------------------

def test_new_agreement_is_a_draft_nobody_has_said_yes_to():
    a = fresh()
    assert a.status is Status.DRAFT
    assert a.consent == (False, False)
    assert len(a.versions) == 1 and a.versions[0].author == 0


def test_draft_proposed_agreed():
    a = rules.propose(fresh(), 1, T0)
    assert a.status is Status.PROPOSED and a.proposed_by == 1 and a.consent == (False, True)
    assert a.waiting_for == [0]
    a = rules.confirm(a, 0, T0 + timedelta(hours=1))
    assert a.status is Status.AGREED and a.consent == (True, True)
    assert a.waiting_for == []
    assert a.agreed_at == T0 + timedelta(hours=1)


def test_say_yes_proposes_then_confirms():
    a = rules.say_yes(fresh(), 0, T0)
    assert a.status is Status.PROPOSED
    a = rules.say_yes(a, 1, T0)
    assert a.status is Status.AGREED


def test_same_partner_twice_does_not_make_it_agreed():
    a = rules.propose(fresh(), 0, T0)
    a = rules.confirm(a, 0, T0)
    assert a.status is Status.PROPOSED and a.waiting_for == [1]


def test_wrong_transitions_are_refused_with_words():
    with pytest.raises(AgreementError):
        rules.confirm(fresh(), 0, T0)  # a draft must be proposed first
    with pytest.raises(AgreementError):
        rules.propose(rules.propose(fresh(), 0, T0), 1, T0)
    with pytest.raises(AgreementError, match="already"):
        rules.confirm(agreed(), 0, T0)
    with pytest.raises(AgreementError):
        rules.propose(fresh(), 2, T0)


# -- consent reset ------------------------------------------------------------------------------

def test_changing_the_text_of_an_agreed_agreement_resets_consent():
    a = agreed()
    later = T0 + timedelta(days=3)
    b = rules.edit(a, 1, later, text="Phones go in the drawer.\nA photo is fine.")
    assert b.status is Status.PROPOSED
    assert b.consent == (False, False)  # writing is not agreeing, new or changed (issue 15, bug 10)
    assert b.proposed_by == 1 and b.waiting_for == [0, 1]
    assert b.next_review is None  # not due for review while not agreed
    c = rules.confirm(rules.confirm(b, 0, later), 1, later)
    assert c.status is Status.AGREED


def test_changing_the_title_of_an_agreed_agreement_resets_consent():
    b = rules.edit(agreed(), 0, T0, title="Phones away at every meal")
    assert b.status is Status.PROPOSED and b.consent == (False, False)


def test_editing_a_proposed_agreement_asks_the_other_again():
    a = rules.propose(fresh(), 0, T0)
    b = rules.edit(a, 1, T0, text="Something else")
    assert b.consent == (False, False) and b.proposed_by == 1


def test_changing_only_kind_or_rhythm_keeps_agreement():
    a = agreed()
    b = rules.edit(a, 0, T0, kind="need")
    assert b.status is Status.AGREED and b.consent == (True, True)
    assert len(b.versions) == 2
    c = rules.edit(b, 0, T0 + timedelta(days=10), review="monthly")
    assert c.status is Status.AGREED
    assert c.next_review == date(2026, 3, 10)


def test_editing_a_draft_keeps_it_a_draft():
    b = rules.edit(fresh(), 1, T0, text="New words")
    assert b.status is Status.DRAFT and b.consent == (False, False)


def test_saving_without_change_makes_no_version():
    a = agreed()
    assert rules.edit(a, 0, T0, title="  Phones stay away   at meals ", text=a.text) is a


def test_changes_since_agreed_shows_what_the_other_is_asked_about():
    a = agreed()
    assert rules.changes_since_agreed(a) is None
    b = rules.edit(a, 1, T0, text="Phones go face down.\nNo photos.")
    lines = rules.changes_since_agreed(b)
    assert lines is not None
    assert rules.DiffLine("-", "A photo is fine.") in lines and rules.DiffLine("+", "No photos.") in lines


# -- versions and diffs -------------------------------------------------------------------------

def test_every_saved_change_is_a_version_with_who_and_when():
    a = fresh()
    b = rules.edit(a, 1, T0 + timedelta(days=1), text="v2")
    c = rules.edit(b, 0, T0 + timedelta(days=2), title="New title", kind="need")
    assert [v.author for v in c.versions] == [0, 1, 0]
    assert [v.at.day for v in c.versions] == [31, 1, 2]
    assert c.versions[1].text == "v2" and c.versions[1].title == "Phones stay away at meals"
    assert c.versions[2].kind == "need" and c.versions[0].kind == "want"
    assert rules.describe_change(None, c.versions[0]) == "first written"
    assert rules.describe_change(c.versions[0], c.versions[1]) == "changed the wording"
    assert rules.describe_change(c.versions[1], c.versions[2]) == "changed the title, now a need"


def test_diff_marks_lines_added_and_taken_out():
    a = fresh()
    b = rules.edit(a, 0, T0, title="Phones away", text="Phones go face down.\nNo photos either.\nCalls can wait.")
    lines = rules.diff_against_current(b, 0)
    marked = [line.marked for line in lines]
    assert "- Title: Phones stay away at meals" in marked
    assert "+ Title: Phones away" in marked
    assert "  Phones go face down." in marked
    assert "- A photo is fine." in marked
    assert "+ No photos either." in marked and "+ Calls can wait." in marked
    assert not rules.has_changes(rules.diff_against_current(b, 1))
    with pytest.raises(AgreementError):
        rules.diff_against_current(b, 5)


# -- review dates ------------------------------------------------------------------------------------

def test_add_months_keeps_inside_short_months():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert rules.add_months(date(2026, 3, 1), 12) == date(2027, 3, 1)


def test_days_in_month_agrees_with_the_calendar_module():
    import calendar

    for year in (1, 1900, 2000, 2023, 2024, 2100, 9999):
        for month in range(1, 13):
            assert rules.days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


def test_review_date_starts_when_both_agree_and_follows_rhythm():
    assert agreed(review="quarterly").next_review == date(2026, 4, 30)
    assert agreed(review="monthly").next_review == date(2026, 2, 28)
    assert agreed(review="yearly").next_review == date(2027, 1, 31)
    assert agreed(review="none").next_review is None
    assert rules.propose(fresh(), 0, T0).next_review is None


def test_due_check_and_reviewed_still_good_resets_the_date():
    clock = FakeClock(T0)
    a = agreed(review="monthly")
    assert not rules.is_due(a, clock.now())
    clock.advance(days=27)  # 27 Feb
    assert not rules.is_due(a, clock.now())
    clock.advance(days=1)  # 28 Feb
    assert rules.is_due(a, clock.now())
    clock.advance(days=3)
    assert rules.days_overdue(a, clock.now()) == 3
    b = rules.mark_reviewed(a, clock.now())  # 3 March
    assert b.next_review == date(2026, 4, 3)
    assert not rules.is_due(b, clock.now())
    assert b.reviews == (clock.now(),)
    assert rules.is_due(b, datetime(2026, 4, 3, 0, 1, tzinfo=timezone.utc))


def test_only_agreed_current_agreements_are_reviewed():
    with pytest.raises(AgreementError):
        rules.mark_reviewed(rules.propose(fresh(), 0, T0), T0)
    a = agreed(review="monthly")
    later = datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert not rules.is_due(rules.retire(a, T0), later)
    assert rules.is_due(a, later)


def test_retire_and_restore():
    a = agreed(review="monthly")
    r = rules.retire(a, T0)
    assert r.retired and r.status is Status.AGREED
    with pytest.raises(AgreementError):
        rules.edit(r, 0, T0, text="x")
    back = rules.restore(r, datetime(2026, 5, 2, tzinfo=timezone.utc))
    assert not back.retired and back.next_review == date(2026, 6, 2)


# -- typed input ------------------------------------------------------------------------------------------

def test_titles_and_texts_are_checked_and_cleaned():
    assert rules.title_problem("   ") is not None
    assert rules.title_problem("x" * (rules.MAX_TITLE + 1)) is not None
    assert rules.clean_title(" Two\nlines\there ") == "Two lines here"
    assert rules.clean_text("a\r\nb  \x07\n\n") == "a\nb"
    assert rules.text_problem("y" * (rules.MAX_TEXT + 1)) is not None
    assert rules.text_problem("") is None
    with pytest.raises(AgreementError):
        fresh(title="")
    with pytest.raises(AgreementError):
        fresh(kind="maybe")
    with pytest.raises(AgreementError):
        fresh(review="daily")


def test_category_labels_and_own_ids():
    assert rules.category_label("money") == "Money"
    assert rules.category_label("own:game-nights", {"own:game-nights": "Game nights"}) == "Game nights"
    assert rules.category_label("own:game-nights") == "Game nights"
    assert rules.own_category_id("Game nights!", set()) == "own:game-nights"
    assert rules.own_category_id("Game nights", {"own:game-nights"}) == "own:game-nights-2"
    assert len(rules.BUILTIN_CATEGORIES) == 8


def test_every_template_is_valid():
    from tui.core.content import load

    templates = load("agreement_templates")["templates"]
    assert len(templates) >= 25
    for t in templates:
        a = rules.create(1, 0, T0, title=t["title"], text=t["text"], kind=t["kind"],
                         category=t["category"], review=t["review"], template=t["id"])
        assert a.category in rules.BUILTIN_CATEGORIES


# -- the store ------------------------------------------------------------------------------------------------

def make(store, title="Phones stay away at meals", **kw):
    base = dict(text="Phones go face down.", kind="want", category="technology", review="monthly")
    base.update(kw)
    return store_ag.create(store, 0, title=title, **base)


def test_store_round_trip_and_consent_flow(ready_store, clock):
    a = make(ready_store)
    assert store_ag.get(ready_store, a.id).status is Status.DRAFT
    store_ag.say_yes(ready_store, a.id, 0)
    store_ag.say_yes(ready_store, a.id, 1)
    b = store_ag.get(ready_store, a.id)
    assert b.status is Status.AGREED and b.next_review == clock.now().date().replace(month=4)
    clock.advance(days=1)
    c = store_ag.edit(ready_store, a.id, 1, text="Phones go in the drawer.")
    assert c.status is Status.PROPOSED and c.consent == (False, False)
    assert len(store_ag.get(ready_store, a.id).versions) == 2
    # the file on disk holds the same
    data = json.loads(ready_store.path.read_text())
    doc = data["agreements"][str(a.id)]
    assert doc["status"] == "proposed" and len(doc["versions"]) == 2


def test_store_returns_copies(ready_store):
    a = make(ready_store)
    store_ag.say_yes(ready_store, a.id, 0)
    store_ag.say_yes(ready_store, a.id, 1)
    items = store_ag.current_in_category(ready_store, "technology")
    items[0]["consent"].append("oops")
    items[0]["title"] = "changed"
    assert store_ag.current_in_category(ready_store, "technology")[0]["title"] == "Phones stay away at meals"
    assert store_ag.get(ready_store, a.id).consent == (True, True)


def test_due_items_and_due_reviews(ready_store, clock):
    a = make(ready_store, "Phone-free meals")
    b = make(ready_store, "Talk before big purchases", category="money")
    store_ag.say_yes(ready_store, a.id, 0)
    store_ag.say_yes(ready_store, a.id, 1)
    store_ag.say_yes(ready_store, b.id, 0)
    assert store_ag.due_items(ready_store, clock.now()) == ["“Talk before big purchases” is waiting for Sam's yes (press 3)."]
    clock.advance(days=31)
    lines = store_ag.due_items(ready_store, clock.now())
    assert lines[0] == "Time to look again at “Phone-free meals” together (press 3)."
    reviews = store_ag.due_reviews(ready_store, clock.now())
    assert [r["title"] for r in reviews] == ["Phone-free meals"] and reviews[0]["days_overdue"] == 0
    store_ag.review(ready_store, a.id)
    assert store_ag.due_reviews(ready_store, clock.now()) == []
    # the home aggregator picks the lines up
    from tui.store.due import due_lines

    assert "“Talk before big purchases” is waiting for Sam's yes (press 3)." in due_lines(ready_store, clock.now())


def test_current_in_category_only_agreed_and_current(ready_store):
    a = make(ready_store, "Time-out", category="conflict")
    make(ready_store, "Draft one", category="conflict")
    c = make(ready_store, "Old one", category="conflict")
    for x in (a, c):
        store_ag.say_yes(ready_store, x.id, 0)
        store_ag.say_yes(ready_store, x.id, 1)
    store_ag.retire(ready_store, c.id)
    assert [d["title"] for d in store_ag.current_in_category(ready_store, "conflict")] == ["Time-out"]
    assert [x.title for x in store_ag.list_agreements(ready_store, retired=True)] == ["Old one"]


def test_delete_removes_agreement_and_its_drafts(ready_store):
    a = make(ready_store)
    store_ag.save_title_draft(ready_store, a.id, "half typed")
    store_ag.delete(ready_store, a.id)
    assert not store_ag.exists(ready_store, a.id)
    assert store_ag.editor_draft(ready_store, a.id) is None
    with pytest.raises(AgreementError):
        store_ag.get(ready_store, a.id)


def test_editor_drafts(ready_store):
    assert store_ag.editor_draft(ready_store, None) is None
    store_ag.save_title_draft(ready_store, None, "Our new one")
    store_ag.save_editor_meta(ready_store, None, {"kind": "need"})
    d = store_ag.editor_draft(ready_store, None)
    assert d["title"] == "Our new one" and d["meta"] == {"kind": "need"} and d["text"] is None
    store_ag.clear_editor_draft(ready_store, None)
    assert store_ag.editor_draft(ready_store, None) is None


def test_own_categories(ready_store):
    cid = store_ag.add_own_category(ready_store, "Game nights")
    assert cid == "own:game-nights"
    assert store_ag.add_own_category(ready_store, "game NIGHTS") == cid
    assert store_ag.add_own_category(ready_store, "money") == "money"
    assert ("own:game-nights", "Game nights") in store_ag.categories(ready_store)
    with pytest.raises(AgreementError):
        store_ag.add_own_category(ready_store, "   ")
    make(ready_store, "Board games on Fridays", category=cid)
    assert store_ag.by_category(ready_store)[0][1] == "Game nights"


def test_markdown_lists_current_agreements_by_category(ready_store, clock):
    assert store_ag.markdown(ready_store) == ""
    a = make(ready_store, "Phone-free meals", text="Phones away.\n# not a heading")
    make(ready_store, "Talk before big purchases", category="money")
    gone = make(ready_store, "Retired one")
    store_ag.say_yes(ready_store, a.id, 0)
    store_ag.say_yes(ready_store, a.id, 1)
    store_ag.retire(ready_store, gone.id)
    md = store_ag.markdown(ready_store)
    assert md.startswith("## Agreements")
    assert md.index("### Technology & phones") < md.index("### Money")
    assert "#### Phone-free meals" in md and "Retired one" not in md
    assert "Agreed by Ana and Sam on 14 March 2026" in md
    assert "\\# not a heading" in md
    doc = store_ag.markdown_document(ready_store)
    assert doc.startswith("# Our agreements: Ana & Sam")
    from tui.store.markdown import export_markdown

    everything = export_markdown(ready_store)
    assert "#### Phone-free meals" in everything
    assert everything.index("## Retired agreements") < everything.index("#### Retired one")  # the archive too


def test_write_markdown_file_never_overwrites(ready_store, tmp_path):
    make(ready_store)
    first = store_ag.write_markdown_file(ready_store, [tmp_path])
    second = store_ag.write_markdown_file(ready_store, [tmp_path])
    assert first.name == "hearth-agreements-2026-03-14.md"
    assert second.name == "hearth-agreements-2026-03-14-2.md"
    assert "Phones stay away at meals" in first.read_text()
    assert (first.stat().st_mode & 0o777) == 0o600  # private, like the database
    missing = tmp_path / "no" / "such"
    assert store_ag.write_markdown_file(ready_store, [missing, tmp_path]).parent == tmp_path


def test_forty_agreements_with_ten_versions_stay_small(ready_store):
    from tui.core.content import load

    templates = load("agreement_templates")["templates"]
    for i in range(40):
        t = templates[i % len(templates)]
        a = store_ag.create(ready_store, i % 2, title=t["title"], text=t["text"], kind=t["kind"],
                            category=t["category"], review=t["review"])
        for v in range(9):
            store_ag.edit(ready_store, a.id, v % 2, text=t["text"] + f"\nChange {v}.")
    ready_store.flush()
    table = json.loads(ready_store.path.read_text())["agreements"]
    size = len(json.dumps(table))
    assert len(table) == 40 and all(len(d["versions"]) == 10 for d in table.values())
    assert size < 400_000, size


def test_cli_agreements_export(ready_store, tmp_path, capsys):
    from tui.cli import main

    make(ready_store, "Phone-free meals")
    path = ready_store.path
    ready_store.close()
    out = tmp_path / "ours.md"
    assert main(["--db", str(path), "agreements", "export", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# Our agreements: Ana & Sam") and "#### Phone-free meals" in text
    assert main(["--db", str(path), "agreements", "export"]) == 0
    assert "#### Phone-free meals" in capsys.readouterr().out


def test_versions_written_at_both_homes_are_found_and_each_is_described_from_what_it_changed():
    from dataclasses import replace

    from tui.core import agreements as rules

    when = datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc)
    a = rules.create(1, 0, when, title="Screens at dinner", text="", kind="want", category="technology", review="none")
    at_lea = rules.edit(a, 0, when, title="Screens away at dinner")
    at_nour = rules.edit(a, 1, when, title="No screens at dinner")
    merged = replace(at_nour, versions=at_lea.versions + at_nour.versions[-1:])  # as a merge lists them
    assert rules.crossed_at(merged) == 2 and rules.apart_versions(merged) == [1, 2]
    assert rules.written_over(merged, 2) is merged.versions[0]  # Nour changed the first wording
    assert rules.apart_edit(merged) is not None
    one_after_other = rules.edit(at_lea, 1, when, title="No screens at dinner")
    assert rules.crossed_at(one_after_other) is None and rules.apart_versions(one_after_other) == []
    same_words = replace(at_lea, versions=at_lea.versions + (replace(at_lea.versions[-1], author=1),))
    assert rules.crossed_at(same_words) is None  # both wrote the same: nothing is hidden
