"""Which keys a couple may remap, and checking a keymap read from their config file.

Every remappable binding has an id (Textual's `Binding(id=...)`); the config file maps ids to
keys. A mistake in the file is reported and that one entry ignored: Hearth always starts, with
the default key wherever the file cannot be used.
"""

from __future__ import annotations

import re
from typing import Any

#: id -> what the key does. Screens give their bindings these ids; a test keeps the two in step.
KEY_IDS: dict[str, str] = {
    "help": "help for the current screen (F1)",
    "pause": "take a time-out, from anywhere (ctrl+t)",
    "quit": "quit Hearth; what you typed is kept (ctrl+q)",
    "lock": "lock now, when Hearth is encrypted (ctrl+l)",
    "home.round": "home: open a question round (1)",
    "home.pause": "home: open pause & repair (2)",
    "home.agreements": "home: open agreements (3)",
    "home.reflection": "home: open the weekly reflection (4)",
    "home.history": "home: open History (h)",
    "home.settings": "home: open settings (s)",

    # Each screen's own keys: room.screen.action (generated from the screens' BINDINGS once, and
    # kept in step with them by a test).
    "agreements.agreement_detail.back": "Back (escape)",
    "rounds.apart_play.submit": "Save my answer, apart (ctrl+s)",
    "rounds.apart_play.pass_card": "Pass on this card, apart (ctrl+o)",
    "rounds.apart_play.rate_0": "Know me, apart: spot on (1)",
    "rounds.apart_play.rate_1": "Know me, apart: close (2)",
    "rounds.apart_play.rate_2": "Know me, apart: not quite (3)",
    "rounds.apart_play.star": "Star this card, apart (s)",
    "rounds.apart_play.next_card": "Go on to the next card, apart (n)",
    "rounds.apart_play.leave": "Leave the round played apart (escape)",
    "shell.settings.link": "Settings: two homes, link to a synced folder (ctrl+o)",
    "shell.link.back": "Back from two homes (escape)",
    "shell.encryption.back": "Back from encryption (escape)",
    "agreements.agreement_detail.consent": "Say yes, each in turn (y)",
    "agreements.agreement_detail.delete": "Delete (d)",
    "agreements.agreement_detail.edit": "Edit (e)",
    "agreements.agreement_detail.restore": "Bring back from the archive (b)",
    "agreements.agreement_detail.retire": "Retire to the archive (a)",
    "agreements.agreement_detail.review": "Review (r)",
    "agreements.agreement_detail.versions": "Versions (v)",
    "agreements.agreement_editor.back": "Back (escape)",
    "agreements.agreement_editor.save": "Save (ctrl+s)",
    "agreements.agreements.archive": "Archive (a)",
    "agreements.agreements.back": "Back (escape)",
    "agreements.agreements.export": "Export (Markdown) (m)",
    "agreements.agreements.new": "New (n)",
    "agreements.archive.back": "Back (escape)",
    "agreements.choice.cancel": "Close (escape)",
    "agreements.consent.answer_false": "Not yet (n)",
    "agreements.consent.answer_true": "Yes, I agree (y)",
    "agreements.consent.step_away": "Step away (escape)",
    "agreements.template_picker.back": "Back (escape)",
    "agreements.versions.back": "Back (escape)",
    "agreements.versions.toggle": "Changes / whole text (t)",
    "history.confirm_delete.keep": "Keep it (escape)",
    "history.history.back": "Back (escape)",
    "history.history.delete": "Delete round (d)",
    "history.history.pauses": "Pauses log (p)",
    "history.history.search": "Search (slash)",
    "history.kept_answer.close": "Close (escape)",
    "history.kept_answer.close_enter": "Close (enter)",
    "history.round_detail.back": "Back (escape)",
    "history.round_detail.delete": "Delete round (d)",
    "pause.calm_scale.move_back": "Less calm (left)",
    "pause.calm_scale.move_next": "Calmer (right)",
    "pause.calm_scale.set_0": "0 (home)",
    "pause.calm_scale.set_10": "10 (end)",
    "pause.check_in.answer_false": "Not yet (n)",
    "pause.check_in.answer_true": "I'm ready (y)",
    "pause.check_in.back": "Back (escape)",
    "pause.check_in.phrases": "Phrases (f2)",
    "pause.confirm_undo.keep": "Keep the pause (escape)",
    "pause.dream.done": "Done (ctrl+s)",
    "pause.dream.leave": "Step away (escape)",
    "pause.dream.skip": "Leave the note empty (ctrl+n)",
    "pause.kept_talks.back": "Back (escape)",
    "pause.pause_countdown.leave": "Leave (escape)",
    "pause.pause_countdown.next_idea": "New idea (n)",
    "pause.pause_countdown.phrases": "Phrases (f2,p)",
    "pause.pause_countdown.ready": "I'm ready (r)",
    "pause.pause_countdown.undo": "Undo (u)",
    "pause.pause_detail.back": "Back (escape)",
    "pause.pause_log.back": "Back (escape)",
    "pause.pause_start.back": "Back (escape)",
    "pause.pause_start.log": "Pauses log (l)",
    "pause.pause_start.phrases": "Phrases (f2)",
    "pause.pause_start.revisit": "Begin the planned talk (r)",
    "pause.pause_start.start_0": "Partner 1 asks (1)",
    "pause.pause_start.start_1": "Partner 2 asks (2)",
    "pause.pause_start.talk_dream": "Dream (d)",
    "pause.pause_start.talk_talk": "Talk (t)",
    "pause.phrases.close": "Close (escape,f2)",
    "pause.repair.done": "Done (ctrl+s)",
    "pause.repair.leave": "Step away (escape)",
    "pause.repair.phrases": "Phrases (f2)",
    "pause.repair.skip": "Skip (ctrl+n)",
    "pause.talk.done": "Done (ctrl+s)",
    "pause.talk.kept": "Talks you kept (k)",
    "pause.talk.leave": "Step away (escape)",
    "pause.talk.pass_floor": "Pass (ctrl+n)",
    "pause.talk.stop": "Stop (f4)",
    "pause.talk.timer": "Timer (f3)",
    "reflection.choice_row.clear": "Clear (backspace,delete,0)",
    "reflection.choice_row.move_back": "Choose the one before (left)",
    "reflection.choice_row.move_next": "Choose the one after (right)",
    "reflection.choice_row.step_focus_back": "Previous line (up)",
    "reflection.choice_row.step_focus_next": "Next line (down,enter)",
    "reflection.extras_choice.begin": "Begin (ctrl+s)",
    "reflection.extras_choice.cancel": "Back (escape)",
    "reflection.reflection.back": "Back (escape)",
    "reflection.reflection.export": "Export all weeks (e)",
    "reflection.reflection.trends": "Trends and past weeks (t)",
    "reflection.reflection_flow.leave": "Leave (saved) (escape)",
    "reflection.reflection_flow.next": "Save and go on (ctrl+s)",
    "reflection.reflection_flow.skip": "Skip (ctrl+b)",
    "reflection.trends.back": "Back (escape)",
    "reflection.trends.export": "Export all weeks (e)",
    "reflection.week.back": "Back (escape)",
    "reflection.week.export": "Export this week (e)",
    "rounds.deck_picker.toggle": "Tick deck (space)",
    "rounds.keep_answer.keep": "Keep it (escape)",
    "rounds.leave_round.stay": "Keep going (escape)",
    "rounds.round_play.finish_round": "Finish (n)",
    "rounds.round_play.leave": "Leave (escape)",
    "rounds.round_play.next_card": "Next card (n)",
    "rounds.round_play.pass_card": "Pass (ctrl+o)",
    "rounds.round_play.rate_0": "Spot on (1)",
    "rounds.round_play.rate_1": "Close (2)",
    "rounds.round_play.rate_2": "Not quite (3)",
    "rounds.round_play.reveal": "Reveal (r)",
    "rounds.round_play.star": "Star (s)",
    "rounds.round_play.submit": "Save & go on (ctrl+s)",
    "rounds.round_play.timer": "Timer (ctrl+r)",
    "rounds.round_setup.back": "Back (escape)",
    "rounds.round_setup.start": "Start (ctrl+s)",
    "shell.help.dismiss": "Close (escape,f1,question_mark,q)",
    "shell.settings.back": "Back (escape)",
    "shell.settings.save": "Save (ctrl+s)",
}

#: One key as Textual names it: letters, digits, and names like ctrl+t, f5, question_mark.
KEY = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*[a-z0-9_]+$|^[^\s,]$")
#: Keys that are Hearth's own promises and never change: typing in a text box must type.
RESERVED = {"escape", "enter", "tab", "shift+tab", "space", "backspace"}


def parse_keymap(raw: Any, where: str) -> tuple[dict[str, str], list[str]]:
    """The usable entries of a `[keys]` table, and a message for each one that is not.

    `where` names the file, so a message says where to look."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{where}: [keys] must be a table of id = \"key\" lines; the default keys are used"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in raw.items():
        if binding_id not in KEY_IDS:
            problems.append(f"{where}: [keys] has no key called '{binding_id}'; run `hearth keys` to see every id")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: [keys] {binding_id} must be a key in quotes, such as \"ctrl+t\"")
            continue
        keys = [k.strip().lower() for k in value.split(",") if k.strip()]
        bad = [k for k in keys if not KEY.match(k) or k in RESERVED]
        if bad or not keys:
            problems.append(f"{where}: [keys] {binding_id} = {value!r} is not a key Hearth can use; the default is kept")
            continue
        keymap[binding_id] = ",".join(keys)
    return keymap, problems

