"""Sample data: a couple (Ana and Sam) with weeks or years of realistic use.

`hearth --demo` opens a throwaway database filled by `populate(store, DEMO)`; the benchmarks
fill one with `TEN_YEARS`. Everything goes through the public functions of tui.store.* and
tui.core.*, so the documents have exactly the shape the app itself writes, and every choice
comes from one seeded random generator, so the same seed and `now` give the same database.
"""

from __future__ import annotations

import atexit
import math
import os
import random
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Iterator

from .core import agreements as agreement_rules
from .core import reflection as reflection_rules
from .core.content import load
from .core.decks import DeckSet, load_decks
from .core.partners import Couple
from .core.pause import KEEP_STEP, LENGTHS, start_pause
from .core.reflection import ActionItem, IsoWeek
from .core.rounds import (CLOSENESS_DEFAULT, FAVOURITES, MAX_ANSWER, Choices, RoundState, fits_mode, new_round,
                             pick, plan_round)
from .paths import shipped_decks_dir
from .store import Store
from .store import agreements as store_agreements
from .store import pauses as store_pauses
from .store import reflections as store_reflections
from .store import rounds as store_rounds
from .store.profile import save_couple


@dataclass(frozen=True)
class SampleShape:
    weeks: int = 6                 # how many weeks of history, ending at `now`
    rounds_per_week: int = 1
    cards_per_round: int = 5
    answer_chars: int = 120        # about this long, each written answer
    pauses_per_month: int = 2
    agreements: int = 6
    versions_per_agreement: int = 2
    #: rounds played months before the weeks of history (none by default): cards answered then
    #: and not since, so "Then and now" has something to bring back
    rounds_long_ago: int = 0


DEMO = SampleShape()
#: What `hearth --demo` opens: DEMO, plus two rounds from eight and seven months before it, so
#: "Then and now" brings a card back (six weeks alone never reach the six months it waits).
DEMO_APP = replace(DEMO, rounds_long_ago=2)
#: How far before the weeks of history the rounds long ago were played, the oldest first.
LONG_AGO_MONTHS = (8, 7)
TEN_YEARS = SampleShape(weeks=520, rounds_per_week=3, cards_per_round=12, answer_chars=300,
                        pauses_per_month=2, agreements=40, versions_per_agreement=10)

NAMES = ("Ana", "Sam")
DAYS_PER_MONTH = 30.44

# -- words -------------------------------------------------------------------------------------------
# Short sentences that read naturally after most questions; answers are made by combining them.

ANSWER_SENTENCES = (
    "I keep thinking about the evening we walked home in the rain and did not mind at all.",
    "Honestly, it was the small things, like the note you left by the kettle.",
    "I felt most like myself when we cooked together with the radio on.",
    "My grandmother used to say that a slow morning is a kind of medicine, and I believe her.",
    "It took me a long time to say this out loud, so thank you for asking.",
    "I think I learned it from my dad, who fixed things quietly and never made a fuss.",
    "When I am tired I go quiet, and I know that can look like I am far away.",
    "The first summer we spent together still feels like a bright room I can walk into.",
    "I would like more Sundays with nothing planned and nowhere to be.",
    "It scared me a little, but it also made me proud of us.",
    "I feel cared for when you notice I am cold and bring a blanket without asking.",
    "Probably the road trip, when the car broke down and we laughed for an hour.",
    "I used to think I had to do everything alone, and I am slowly unlearning that.",
    "A good day for me starts with coffee on the step and ends with a long talk in bed.",
    "I miss my friends from school more than I usually admit.",
    "Money was tight when I was small, so I still feel uneasy when we spend on a whim.",
    "I love the way you hum when you think nobody is listening.",
    "If I am honest, I want to be asked before plans are made for both of us.",
    "That week in the mountains showed me how patient you can be.",
    "I think we are better at making up than we were a year ago.",
    "I would choose a quiet dinner at home over a fancy evening out, almost every time.",
    "It still surprises me how well you know when to leave me be.",
    "I want us to keep trying new things, even small ones, like a new walk on a Tuesday.",
    "My hardest moments are the ones where I feel I have let someone down.",
    "I felt really seen when you remembered the name of my old teacher.",
    "Some days I need a hug before I need advice.",
    "I hope that in ten years we still have our silly songs and our long breakfasts.",
    "It helps me when we name the feeling before we try to fix anything.",
    "I am proud of how we handled the move, even if it was messy.",
    "What I would like is one evening a week that belongs only to us.",
    "I think I get that from my mother, who always had a kind word for strangers.",
    "The smell of bread in the oven still takes me straight back to my childhood kitchen.",
    "When work is loud in my head, a walk with you makes it quiet again.",
    "I did not expect it to matter so much, but it really did.",
    "We were both nervous, and somehow that made it easier.",
    "I am still learning to ask for what I need instead of hoping you will guess.",
    "I like it best when we plan a little and leave room for the rest.",
    "I feel close to you when we read side by side and say nothing at all.",
    "That was the moment I knew I could trust you with the hard stuff.",
    "I would love for us to learn something together this year, maybe a dance or a language.",
)

#: Sentences that suit the questions of one shipped deck; an answer starts with these, then borrows
#: from the general ones above when it needs to be longer.
DECK_SENTENCES: dict[str, tuple[str, ...]] = {
    "affection-and-touch": (
        "A long hug in the kitchen, the kind where neither of us lets go first.",
        "When you rest your hand on my back as we walk past each other, I feel at home.",
        "I am shyer about asking for closeness than I look, so a small sign from you helps.",
        "Curling up under one blanket on a grey afternoon is my favourite kind of cosy.",
    ),
    "appreciation": (
        "You notice when I am running on empty before I do, and you make room for me.",
        "I love your laugh when something catches you off guard; it fills the whole room.",
        "You kept every little note I ever left you, and that still moves me.",
        "Your steadiness on the hard days taught me that I can be steady too.",
    ),
    "boundaries-and-autonomy": (
        "I need an hour on my own after a busy day, and it is never about you.",
        "My Saturday morning swim is mine, and coming back from it makes me kinder.",
        "I like hearing the outline of your day, not every detail, and I hope that is fine.",
        "I used to go along with things to keep the peace; now I try to say what I want.",
    ),
    "check-ins": (
        "Today was fine, a bit tiring, and tonight I mostly want quiet company.",
        "I have been kinder to myself this week than last, which feels like progress.",
        "Honestly, I have felt a little lonely lately, even with people around.",
        "Something small made me smile today: the neighbour's dog waiting at the gate.",
    ),
    "conflict-and-repair": (
        "I calm down faster when we sit side by side instead of facing each other.",
        "I get defensive quickly about money, even when nobody means any harm.",
        "A note to myself would say: slow down, and ask one question before answering.",
        "The time we talked it through on the stairs, we both listened first, and that is why it worked.",
    ),
    "dreams-and-purpose": (
        "I still dream of a small garden where we grow more than we can eat.",
        "I would love for us to learn to sail one day, badly at first and then a little better.",
        "I let go of the idea of a big career, and I am surprised how light that feels.",
        "When we reach a big milestone, I want a quiet dinner and a long walk, just us two.",
    ),
    "family-culture-friends": (
        "At home we spent weekends at my aunt's, with too much food and everyone talking at once.",
        "My oldest friendship started when we both got lost on a school trip.",
        "I feel protective of the songs and recipes from my grandparents' village.",
        "I hope you feel welcome with my family, loud as they are.",
    ),
    "fun-and-novelty": (
        "I would love to learn to juggle, purely because it is silly.",
        "The best free fun we ever had was that night we made up voices for the ducks in the park.",
        "I miss playing without a point to it, like building things out of cardboard.",
        "Laughing with you through the power cut is still one of my favourite evenings.",
    ),
    "knowing-you-now": (
        "Lately I care much more about rest than about being busy.",
        "If I had an extra hour each day, I would read in the morning before anyone is up.",
        "Five years ago I would never have said I like quiet evenings best, but I do.",
        "I hope people think of me as someone who made them feel at ease.",
    ),
    "life-transitions": (
        "Moving to this city was the biggest turning point, and I am glad we did it together.",
        "When big changes come, I tend to hide how unsure I feel.",
        "In a hard season I would want us to protect our evenings together, even short ones.",
        "I am looking forward to having more time for friends this coming year.",
    ),
    "money-and-home": (
        "A messy kitchen makes my head feel messy too, so a quick tidy helps me breathe.",
        "I lean towards saving, mostly because money was tight when I was growing up.",
        "I love the lamp by the window and my first coffee there each morning.",
        "I would like money talks between us to feel calm and ordinary, not like a test.",
    ),
    "our-story": (
        "I am glad we did not rush that first long evening at the café.",
        "Our joke about the lost umbrella still makes me laugh, and nobody else gets it.",
        "I remember our first trip as sunny; you swear it rained the whole time.",
        "Back when we met, I could not have imagined how easy silence would become with you.",
    ),
    "presence-and-technology": (
        "I like my phone in another room when we eat together.",
        "The work chat sound makes me tense; a message from you makes me smile.",
        "I feel far from you when we both scroll in bed, and a hand on my arm brings me back.",
        "My attention feels most whole when we are out walking without our phones.",
    ),
    "stress-and-support": (
        "On a rough day I would like a hug at the door and no questions for a while.",
        "Under pressure I get short with people and make endless lists.",
        "I rarely say out loud how much I worry about my parents getting older.",
        "When I try to help, I tend to give advice too quickly instead of just listening.",
    ),
    "where-you-came-from": (
        "As a child I needed more time with my parents than they could give.",
        "I wanted to be a vet until I learned how much blood was involved.",
        "My first taste of independence was a summer job at the bakery, up at five every day.",
        "My grandmother was the first person who really listened to me when I was small.",
    ),
}

GUESS_OPENERS = (
    "My guess is this:", "I think you would say", "Knowing you,", "If I had to bet,",
    "Probably something like this:", "I am fairly sure",
)

TALK_NOTES = (
    "Lovely to hear about the rain walk again.",
    "Come back to this one on a slow Sunday.",
    "I had never heard the story about the teacher.",
    "We both laughed at this one.",
    "Want to plan that trip for real.",
    "Good reminder to ask before making plans.",
    "This one made me a bit teary, in a good way.",
    "Try a new walk next Tuesday.",
    "Hugs before advice, noted.",
    "Talk more about money worries another time.",
    "Sam wants more quiet dinners; so do I.",
    "Ana's grandmother sounds wonderful.",
)

APPRECIATIONS = (
    "You made dinner on the night I worked late and saved me a plate.",
    "Thank you for listening without trying to fix it on Tuesday.",
    "You called my mum when I could not face it.",
    "The coffee in bed on Saturday made my whole morning.",
    "You stayed calm when the boiler broke and made it feel like an adventure.",
    "I noticed you put your phone away at dinner. It meant a lot.",
    "Thank you for the walk when I was grumpy.",
    "You remembered my interview and sent a kind message right before it.",
    "You took the bins out without being asked, three times.",
    "The way you made my friend feel welcome on Friday.",
    "You said sorry first, and you meant it.",
    "Thank you for the playlist for my commute.",
    "You held my hand at the doctor's.",
    "You planned the picnic and even brought the good cheese.",
    "You laughed at my terrible joke, twice.",
    "Thank you for giving me the quiet evening I needed.",
    "You fixed the wobbly chair that has bothered me for months.",
    "You asked about my day and then really listened.",
    "You let me sleep in on Sunday and kept the house quiet.",
    "You told me you were proud of me, out of nowhere.",
    "You tidied the hall before my parents came over.",
    "Thank you for the hug at the station.",
)

WORDS = {
    "hardest": (
        "Thursday, when the deadline moved and I snapped at you.",
        "Feeling far from my family after that phone call.",
        "Not sleeping well for most of the week.",
        "The argument about the holiday plans.",
        "Waiting for the test results.",
        "Being tired and still having to be cheerful at work.",
    ),
    "surprised": (
        "When you booked the table at our old place.",
        "You brought flowers on an ordinary Wednesday.",
        "How calm you were when the car would not start.",
        "You sang in the kitchen and did not stop when I came in.",
        "You asked to try my running route with me.",
        "When you said out loud what I had been afraid to say.",
    ),
    "more_of": (
        "Slow breakfasts and no phones at the table.",
        "Walks after dinner, even short ones.",
        "Early nights and long talks.",
        "Time with friends, together and apart.",
        "Cooking something new together.",
        "Laughing at silly things.",
    ),
}

ACTION_ITEMS = (
    "Book a table for Friday", "Call the landlord about the window", "Go for a walk on Sunday morning",
    "Plan the weekend away", "Phones off at dinner", "Write a thank-you card to Grandma",
    "Sort the shared budget spreadsheet", "Try the new recipe together", "Ask for help earlier when stressed",
    "Go to bed before eleven twice", "Invite Maya and Jo for dinner", "Clear the spare room",
    "Take the bikes out", "Make a list of summer ideas", "Pay the electricity bill",
    "Have a proper lunch break", "Send photos to my parents", "Pick a film night",
    "Say good morning before checking phones", "Look at flights for the wedding",
    "Fix the bathroom tap", "Take a long bath without guilt", "Visit the market on Saturday",
    "Check in with each other on Wednesday",
)

PAUSE_TOPICS = (
    "the holiday plans", "money", "the dishes", "my mother's visit", "weekend plans", "the car",
    "being late again", "phones at dinner", "the move", "who does the laundry", "", "",
)

#: Feelings picked at "How I felt": the hard ones from the app's list (it ends with some gentler ones).
HARD_FEELINGS = ("hurt", "angry", "sad", "scared", "lonely", "frustrated", "overwhelmed", "worn out",
                 "misunderstood", "ignored", "let down", "on edge", "defensive", "worried", "tense")

PAUSE_NOTES = (
    "I am not angry at you, I am tired. Remember that.",
    "Breathe first, talk later.",
    "What I really want is to feel heard.",
    "I said something unfair. Own it when we come back.",
    "This is about the money worry, not about the dishes.",
)

REPAIR_TEXT = {
    "felt": (
        "Mostly I felt small, and then I got loud to cover it.",
        "I felt like nothing I did was enough.",
        "My chest went tight and I could not think.",
        "I felt alone in it, even though you were right there.",
    ),
    "speak": (
        "From where I stood, the plan changed without me being asked, and it felt like I did not count.",
        "I saw you on your phone while I was talking, and I thought you did not care.",
        "I had been carrying the worry all week, and your joke landed on a sore spot.",
        "I thought we had agreed on it already, so it felt like starting from zero.",
    ),
    "summary": (
        "You felt left out of the decision, and that hurt more than the plan itself.",
        "You needed me to look up and listen, and I did not.",
        "You were worn out and my joke made it worse.",
        "You thought it was settled, and it felt like going backwards.",
    ),
    "confirm": (
        "Yes, and also that I was scared it would keep happening.",
        "Mostly. It was less about this one time and more about feeling alone with it.",
    ),
    "touched": (
        "At home growing up, plans were always made over my head.",
        "I have a habit of thinking I am a burden when I ask for things.",
        "It reminded me of the year my dad was never around.",
    ),
    "part": (
        "I raised my voice instead of saying I was hurt.",
        "I brought up old things that were not about tonight.",
        "I walked off without saying when I would be back.",
        "I made a sharp joke when I knew you were tired.",
    ),
    "apology": (
        "I am sorry I raised my voice. You did not deserve that.",
        "I am sorry I made it about the past.",
        "Sorry for the sharp words. I love you.",
    ),
    "next": (
        "Say 'I need a minute' before I get loud.",
        "Ask you first before I make plans for both of us.",
        "Put my phone in the other room when we talk.",
        "Tell you earlier in the week when I am worn out.",
    ),
}

OWN_AGREEMENTS = (
    ("weekends", "Saturday mornings are slow", "want", "quarterly",
     "No alarms on Saturday unless we planned something fun.\nWhoever wakes first makes the coffee."),
    ("weekends", "One weekend a month with no plans", "want", "quarterly",
     "We keep one weekend each month free of visits and errands.\nIf someone asks, we say we are busy."),
    ("weekends", "Sunday evening check-in", "want", "monthly",
     "On Sunday evening we look at the week ahead together.\n"
     "We say what we are worried about and what we are looking forward to."),
    ("home", "The kitchen is clean before bed", "want", "quarterly",
     "Whoever did not cook does the dishes.\nWe leave the counter clear for the morning."),
    ("money", "We talk before spending over 200", "need", "yearly",
     "Any purchase over 200 gets a short talk first.\nGifts for each other are the exception."),
    ("time", "A date night every other week", "want", "monthly",
     "Every second Friday is ours.\nWe take turns choosing what to do, and it can be simple."),
    ("technology", "No phones in the bedroom", "want", "quarterly",
     "Phones charge in the hall overnight.\nWe use an old alarm clock instead."),
    ("family", "Visits are planned together", "need", "quarterly",
     "Neither of us says yes to a family visit before checking with the other.\nWe agree on how long visits last."),
)

EXTRA_LINES = (
    "If one of us forgets, a gentle reminder is enough.",
    "We try it for a month and then see how it feels.",
    "Exceptions are fine when one of us is ill.",
    "We say thank you when the other one keeps it.",
    "Either of us can ask to talk about this again at any time.",
    "We look at this again if our routine changes.",
    "We keep this even when we are busy, especially then.",
    "If it stops working for one of us, we say so kindly.",
    "We count the small steps, not only the big ones.",
    "Friends and family do not need to know the details.",
)


# -- batching ------------------------------------------------------------------------------------------

@contextmanager
def _one_save(store: Store) -> Iterator[None]:
    """Build everything in memory and save the file once at the end.

    The store has no batch API: a synchronous store (`background=False`) writes the whole file
    on every change, which for ten years of data means thousands of full rewrites. TinyDB
    changes the dict that `storage.read()` returns in place and then calls `storage.write()`,
    so while this block runs `write` only keeps the data in place (the changed tables are
    still marked dirty); afterwards one ordinary `write` saves everything.
    """
    storage = store.storage
    live = storage.read()

    def hold(data: dict[str, Any]) -> None:
        if data is not live:
            live.clear()
            live.update(data)

    storage.write = hold  # type: ignore[method-assign]  # shadows the method on this instance only
    try:
        yield
    finally:
        del storage.write
        storage.write(live)
        store.flush(timeout=None)


# -- helpers ----------------------------------------------------------------------------------------------

def _text(rng: random.Random, pool: tuple[str, ...], chars: int, *, first: tuple[str, ...] = (),
          avoid: str = "") -> str:
    """Sentences about `chars` long (give or take a third): those in `first` (on the card's topic)
    come first, in their order, then `pool` shuffled; none twice unless it must be, and none
    already said in `avoid`."""
    target = max(20, int(chars * rng.uniform(0.6, 1.2)))
    order = [x for x in list(first) + rng.sample(pool, len(pool)) if x not in avoid]
    out: list[str] = []
    length = 0
    for sentence in order:
        if out and length + len(sentence) / 2 >= target:
            break  # the next sentence would overshoot more than stopping here falls short
        out.append(sentence)
        length += len(sentence) + 1
    text = " ".join(out)
    while len(text) < target:  # a very long answer: some of it said again, as people do
        text += " " + rng.choice(pool)
    return text[:MAX_ANSWER]


def _evening(day: date, tz, rng: random.Random) -> datetime:
    """A time on `day` between 18:30 and 21:30, when couples tend to sit down together."""
    minutes = rng.randrange(18 * 60 + 30, 21 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)


def _shipped_decks() -> DeckSet:
    return load_decks([shipped_decks_dir()])


@dataclass
class _Plan:
    """The span of history, shared by every activity."""

    now: datetime
    weeks: list[IsoWeek]  # oldest first; the current week is not among them

    @property
    def first_day(self) -> date:
        return self.weeks[0].monday()

    @property
    def last_day(self) -> date:
        return self.weeks[-1].sunday()


def _span(shape: SampleShape, now: datetime) -> _Plan:
    this = IsoWeek.of(now)
    weeks = []
    week = this
    for _ in range(max(1, shape.weeks)):
        week = week.previous()
        weeks.append(week)
    return _Plan(now, list(reversed(weeks)))


# -- question rounds ------------------------------------------------------------------------------------

MODE_ORDER = ("talk", "write", "knowme")


def _rounds(store: Store, shape: SampleShape, plan: _Plan, rng: random.Random, decks: DeckSet) -> None:
    tz = plan.now.tzinfo
    titles = {d.id: d.title for d in decks.decks}
    deck_ids = [d.id for d in decks.decks if not (d.opt_in or d.challenge)]  # as a new couple sees them
    closeness = tuple(load("rounds").get("closeness", ())) or CLOSENESS_DEFAULT
    closing = list(load("rounds").get("closing_suggestions", []))
    modes: list[str] = []
    stars = {"count": 0, "cap": 6 + len(plan.weeks) // 8}  # a handful, growing slowly over the years
    for index, week in enumerate(plan.weeks):
        per_week = max(0, shape.rounds_per_week)
        days = sorted(rng.sample(range(7), per_week) if per_week <= 7 else rng.choices(range(7), k=per_week))
        for day in days:
            if not modes:
                modes = rng.sample(MODE_ORDER, len(MODE_ORDER))  # every mode comes up every three rounds
            mode = modes.pop()
            started = _evening(week.monday() + timedelta(days=day), tz, rng)
            # A round from the starred cards: once near the end of a short history, now and then in a long one.
            favourites = (shape.weeks <= 8 and stars["count"] >= 2 and index == len(plan.weeks) - 2
                          and day == days[-1]) or (shape.weeks > 8 and stars["count"] >= 5 and rng.random() < 0.05)
            if favourites and shape.weeks <= 8 and mode != "write":
                modes.append(mode)  # written side by side, so 'then and now' has both answers to show
                mode = "write"
            _one_round(store, shape, rng, decks, titles, deck_ids, closeness, closing, mode, started, favourites,
                       stars)


def _one_round(store, shape, rng, decks, titles, deck_ids, closeness, closing, mode, started, favourites,
               stars) -> None:
    starred = [c for c in (decks.card(s.key) for s in store_rounds.starred(store)) if c is not None] if favourites else []
    if favourites and any(fits_mode(c, mode) for c in starred):
        chosen = (FAVOURITES,)
        pool = starred
    else:  # (a Favourites round of Know me needs a starred card that suits guessing)
        favourites = False
        by_id = decks.by_id()
        fitting = [d for d in deck_ids if any(fits_mode(c, mode) for c in by_id[d].cards)]
        chosen = tuple(sorted(rng.sample(fitting, min(len(fitting), rng.choice((1, 1, 2, 3))))))
        pool = [card for d in chosen for card in by_id[d].cards]
    depth = rng.choice(("climb", "climb", "light", "deeper"))
    choices = Choices(decks=chosen, depth="climb" if favourites else depth,
                      unit="cards", length=max(1, shape.cards_per_round), mode=mode,
                      first=rng.choice(("a", "b", "random")))
    store_rounds.remember_choices(store, choices)
    seq = store_rounds.next_seq(store)
    planned = plan_round(pool, choices, usage=store_rounds.usage(store), seq=seq,
                         window=store_rounds.repeat_window(store), rng=rng)
    if not planned.cards and choices.depth != "climb":  # e.g. Know me cards at depth 3 are few
        choices = replace(choices, depth="climb")
        planned = plan_round(pool, choices, usage=store_rounds.usage(store), seq=seq,
                             window=store_rounds.repeat_window(store), rng=rng)
    if not planned.cards:
        return
    state = new_round(planned, choices, deck_titles=titles, names=NAMES, now=started, rng=rng)
    state = store_rounds.start_round(store, state)
    t = started
    before = stars["count"]
    for n in range(len(state.cards)):
        t += timedelta(minutes=rng.randrange(2, 9))
        # In a short history every round stars a card, so a Favourites round has some to bring back.
        keen = shape.weeks <= 8 and n == len(state.cards) - 1 and stars["count"] == before
        _play_card(store, state, rng, shape, closeness, t, stars, keen)
    state.closing = (pick(closing, 1, rng) or ["Thank each other."])[0]
    store_rounds.end_round(store, state, t + timedelta(minutes=2))


def _play_card(store: Store, state: RoundState, rng: random.Random, shape: SampleShape,
               closeness: tuple[str, ...], t: datetime, stars: dict[str, int], keen: bool = False) -> None:
    card = state.card
    assert card is not None
    steps = state.steps
    pass_at = rng.randrange(len(steps)) if rng.random() < 0.04 else None
    answer = ""
    for number, step in enumerate(steps):
        if number == pass_at:
            state.pass_card(t)
            return
        if step.kind == "reveal":
            break
        if step.kind == "ask":
            text = rng.choice(TALK_NOTES) if rng.random() < 0.55 else ""
        elif step.kind == "guess":
            text = _guess(rng, answer, shape.answer_chars, _topic(card.key))
        else:
            other = " ".join(card.answers.values())
            said_before = " ".join(a for c in state.cards for a in c.answers.values())
            topic = sorted(_topic(card.key), key=lambda x: (said_before.count(x), rng.random()))  # fresh first
            text = _text(rng, ANSWER_SENTENCES, shape.answer_chars, first=tuple(topic), avoid=other)
            answer = text
        state.submit(text)
    if state.mode == "knowme":
        near = card.answers.get(card.guesser, "").endswith(_first_sentence(card.answers.get(card.subject, "")) + ".")
        state.rate(rng.choice(closeness[:2]) if near else rng.choice(closeness[1:]))
    said = card.kind == "question" and bool(card.answers or card.notes)  # one you really talked about
    wanted = stars["count"] < stars["cap"] and (keen or rng.random() < 0.3)
    if said and wanted and not store_rounds.is_starred(store, card.key):
        store_rounds.toggle_star(store, card.key, card.text, card.deck, t)
        stars["count"] += 1
    state.finish_card(t)


def _rounds_long_ago(store: Store, shape: SampleShape, plan: _Plan, rng: random.Random, decks: DeckSet) -> None:
    """Rounds from months before the history, on the decks the setup offers now (those played
    last), with cards not met since: "Then and now" brings one of them back. They are written
    (Write & reveal), so both answers of 'then' show beside the new ones, in Talk or Write &
    reveal (Know me takes only its own cards, which six weeks of a deck may have used up)."""
    offered = store_rounds.last_choices(store)
    by_id = decks.by_id()
    deck_ids = [d for d in offered.decks if d in by_id and not by_id[d].challenge] or \
        [d.id for d in decks.decks if not (d.opt_in or d.challenge)][:1]
    titles = {d.id: d.title for d in decks.decks}
    closeness = tuple(load("rounds").get("closeness", ())) or CLOSENESS_DEFAULT
    closing = list(load("rounds").get("closing_suggestions", []))
    stars = {"count": 0, "cap": 0}  # nothing starred back then
    tz = plan.now.tzinfo
    for n in range(shape.rounds_long_ago):
        months = LONG_AGO_MONTHS[n] if n < len(LONG_AGO_MONTHS) else LONG_AGO_MONTHS[-1] + n
        day = plan.first_day - timedelta(days=round(months * DAYS_PER_MONTH))
        _one_round(store, shape, rng, decks, titles, deck_ids, closeness, closing, "write",
                   _evening(day, tz, rng), False, stars)
    store_rounds.remember_choices(store, offered)  # the setup still offers what was played last


def _first_sentence(answer: str) -> str:
    first = answer.split(". ")[0].rstrip(".")
    return first if first.split(" ")[0] in ("I", "I'm", "I'd") else first[:1].lower() + first[1:]


def _topic(card_key: str) -> tuple[str, ...]:
    return DECK_SENTENCES.get(card_key.partition("/")[0], ())


def _guess(rng: random.Random, answer: str, chars: int, topic: tuple[str, ...]) -> str:
    """A guess: often near the real answer, sometimes off on another track."""
    if answer and rng.random() < 0.6:
        return f"{rng.choice(GUESS_OPENERS)} {_first_sentence(answer)}."
    return _text(rng, ANSWER_SENTENCES, max(40, chars // 2), first=tuple(rng.sample(topic, len(topic))), avoid=answer)


# -- weekly reflections -------------------------------------------------------------------------------------

def _reflections(store: Store, plan: _Plan, rng: random.Random, pause_days: set[date]) -> None:
    ids = store_reflections.statement_ids()
    suggestions = list(load("reflection").get("close_suggestions", []))
    base = {p: {sid: rng.uniform(3.0, 4.3) for sid in ids} for p in reflection_rules.PARTNERS}
    phase = {p: rng.uniform(0, 2 * math.pi) for p in reflection_rules.PARTNERS}
    last_with_items: reflection_rules.Reflection | None = None
    for n, week in enumerate(plan.weeks):
        quick = rng.random() < 0.15
        mode = reflection_rules.QUICK if quick else reflection_rules.FULL
        t = _evening(week.sunday(), plan.now.tzinfo, rng)
        r = store_reflections.start(store, week, mode, t)
        rough = any(week.monday() + timedelta(days=d) in pause_days for d in range(7))
        order = rng.sample((0, 1), 2)
        for partner in order:  # appreciations, each in private
            t += timedelta(minutes=rng.randrange(2, 6))
            if rng.random() < 0.05:
                r = reflection_rules.skip_turn(r, partner, t)
                continue
            k = 1 if quick else rng.choice((1, 2, 2, 3))
            r = reflection_rules.give_appreciations(r, partner, rng.sample(APPRECIATIONS, k), t)
        for partner in order:  # ratings, each in private
            t += timedelta(minutes=rng.randrange(1, 4))
            key = reflection_rules.pkey(partner)
            given: dict[str, int | None] = {}
            for sid in ids:
                wave = 0.6 * math.sin(2 * math.pi * n / 26 + phase[key])
                dip = -0.8 if rough and sid in ("heard", "repair", "struggles") else 0.0
                value = round(base[key][sid] + wave + dip + rng.gauss(0, 0.6))
                given[sid] = None if rng.random() < 0.01 else min(5, max(1, value))
            if all(v is None for v in given.values()):
                given[ids[0]] = 3
            r = reflection_rules.give_ratings(r, partner, given, ids, t)
        t += timedelta(minutes=rng.randrange(3, 8))
        r = reflection_rules.advance(r, t)  # side by side, read together
        if not quick:
            words = {}
            said = {prompt: rng.sample(WORDS[prompt], len(WORDS[prompt])) for prompt in WORDS}
            for prompt, who in reflection_rules.WORD_FIELDS:
                text = said[prompt].pop()  # the two partners never write the very same words
                if rng.random() < 0.7:
                    words[reflection_rules.word_key(prompt, who)] = text
            t += timedelta(minutes=rng.randrange(4, 10))
            r = reflection_rules.set_words(r, words, t)
            t += timedelta(minutes=rng.randrange(2, 5))
            found = reflection_rules.items_to_review([last_with_items] if last_with_items else [], week)
            if found:
                origin, items = found
                for item in items:
                    item.status = rng.choices(reflection_rules.STATUSES, weights=(55, 30, 15))[0]
                r = reflection_rules.review_items(r, origin, items, t)
            else:
                r = reflection_rules.advance(r, t)
            fresh = [ActionItem(text, rng.choice(reflection_rules.WHO))
                     for text in rng.sample(ACTION_ITEMS, rng.choice((1, 2, 2, 3)))]
            t += timedelta(minutes=rng.randrange(2, 5))
            r = reflection_rules.set_items(r, (r.items + fresh)[: reflection_rules.MAX_ITEMS], t)
            r = reflection_rules.advance(r, t)  # what is due
        r.close = reflection_rules.pick_suggestion(suggestions, rng)
        t += timedelta(minutes=rng.randrange(1, 4))
        r = reflection_rules.finish(reflection_rules.advance(r, t), t)
        store_reflections.save(store, r)
        if r.items:
            last_with_items = r


# -- pauses ---------------------------------------------------------------------------------------------------

def _pause_days(shape: SampleShape, plan: _Plan, rng: random.Random) -> list[date]:
    """Days with a pause: one in each equal slot of the history, so no two overlap."""
    days = (plan.last_day - plan.first_day).days + 1
    count = round(days / DAYS_PER_MONTH * max(0, shape.pauses_per_month))
    if count <= 0:
        return []
    slot = days / count
    out = []
    for i in range(count):
        start = int(i * slot)
        room = max(1, int(slot) - 2)
        out.append(plan.first_day + timedelta(days=start + rng.randrange(room)))
    return out


def _pauses(store: Store, plan: _Plan, rng: random.Random, days: list[date]) -> None:
    tz = plan.now.tzinfo
    # The first few show each way a pause can go; after that, chance decides.
    shown = rng.sample(("more time", "later", "as planned"), 3)
    for n, day in enumerate(days):
        way = shown[n] if n < len(shown) else rng.choices(("more time", "later", "as planned"), (18, 7, 75))[0]
        t = _evening(day, tz, rng)
        caller = rng.randrange(2)
        pause = start_pause(caller, rng.choice(LENGTHS), t, topic=rng.choice(PAUSE_TOPICS),
                            note=rng.choice(PAUSE_NOTES) if rng.random() < 0.4 else "")
        store_pauses.save_active(store, pause)
        if rng.random() < 0.2:
            t = t + timedelta(minutes=pause.planned_minutes * rng.uniform(0.5, 0.9))
            pause.end_early(t)
        else:
            t = pause.deadline + timedelta(minutes=rng.choice((0, 1, 2, 3, 4, 8, 15)))
            pause.begin_checkin(t)
        store_pauses.save_active(store, pause)
        not_ready = way != "as planned"
        for i, partner in enumerate(pause.checkin_order()):
            ready = not (not_ready and i == 1)
            pause.record_checkin(partner, rng.randrange(6, 10) if ready else rng.randrange(2, 6), ready)
        if pause.phase == "more_time":
            if way == "later":
                # More time twice, still not ready: then Hearth offers another time, as the check-in does.
                while not pause.suggests_revisit:
                    t = _more_time(store, pause, rng, t)
                    first, second = pause.checkin_order()
                    pause.record_checkin(first, rng.randrange(5, 9), True)
                    pause.record_checkin(second, rng.randrange(3, 6), False)
                when = rng.choice(pause.revisit_options(t))
                pause.choose_revisit(when, t)
                record = store_pauses.postpone(store, pause, t)
                t = when + timedelta(minutes=rng.randrange(0, 10))
                resumed = store_pauses.resume_waiting(store, record.id, t)
                assert resumed is not None
                pause = resumed
            else:
                t = _more_time(store, pause, rng, t)
            for partner in pause.checkin_order():
                pause.record_checkin(partner, rng.randrange(6, 10), True)
        store_pauses.save_active(store, pause)
        t = _repair(pause, rng, t)
        repair = pause.repair
        keep = {p: bool((repair.answer_for(KEEP_STEP, "keep", p) or {}).get("keep")) for p in (0, 1)}
        keep_note = bool((repair.answer_for(KEEP_STEP, "keep", pause.caller) or {}).get("keep_note"))
        store_pauses.finish(store, pause, t, keep=keep, keep_note=keep_note)


def _more_time(store: Store, pause, rng: random.Random, t: datetime) -> datetime:
    """A little more time, then the next check-in when it is up."""
    t += timedelta(minutes=1)
    pause.extend(rng.choice((10, 20, 30)), t)
    store_pauses.save_active(store, pause)
    t = pause.deadline + timedelta(minutes=rng.randrange(0, 4))
    pause.begin_checkin(t)
    return t


def _repair(pause, rng: random.Random, t: datetime) -> datetime:
    """Take every turn of the repair talk, the way the screens record them."""
    repair = pause.repair
    assert repair is not None
    skip = "touched" if rng.random() < 0.3 else None
    while not repair.done:
        turn = repair.current()
        t += timedelta(minutes=rng.randrange(1, 5))
        if turn.step == skip and turn.kind != "reveal":
            repair.skip_step()
            continue
        if turn.kind == "reveal":
            repair.submit(turn, {})
        elif turn.kind == "keep":
            note = turn.partner == pause.caller and bool(pause.note) and rng.random() < 0.5
            repair.submit(turn, {"keep": rng.random() < 0.85, "keep_note": note})
        elif turn.kind == "confirm":
            extra = rng.choice(REPAIR_TEXT["confirm"]) if rng.random() < 0.3 else ""
            repair.submit(turn, {"text": extra, "confirmed": not extra})
        elif turn.kind == "speak":
            repair.submit(turn, {"text": rng.choice(REPAIR_TEXT["speak"])})
        elif turn.kind == "summary":  # the listener sums up what was actually said
            said = (repair.answer_for(turn.step, "speak", turn.about, turn.about) or {}).get("text", "")
            heard = REPAIR_TEXT["speak"].index(said) if said in REPAIR_TEXT["speak"] else 0
            repair.submit(turn, {"text": REPAIR_TEXT["summary"][heard]})
        elif turn.step == "felt":
            feelings = rng.sample(HARD_FEELINGS, rng.randrange(1, 4))
            text = rng.choice(REPAIR_TEXT["felt"]) if rng.random() < 0.6 else ""
            repair.submit(turn, {"text": text, "feelings": feelings})
        elif turn.step == "part":
            apology = rng.choice(REPAIR_TEXT["apology"]) if rng.random() < 0.6 else ""
            repair.submit(turn, {"text": rng.choice(REPAIR_TEXT["part"]), "apology": apology})
        else:
            repair.submit(turn, {"text": rng.choice(REPAIR_TEXT[turn.step])})
    return t


# -- agreements --------------------------------------------------------------------------------------------------

def _agreement_sources(store: Store) -> list[dict[str, Any]]:
    """Starter templates, and a few of the couple's own (some in their own 'Weekends' category)."""
    out = [
        {"title": t["title"], "text": t["text"].strip("\n"), "kind": t["kind"], "category": t["category"],
         "review": t["review"], "template": t["id"]}
        for t in load("agreement_templates").get("templates", [])
    ]
    weekends = None
    for category, title, kind, review, text in OWN_AGREEMENTS:
        if category == "weekends":
            weekends = weekends or store_agreements.add_own_category(store, "Weekends")
            category = weekends
        out.append({"title": title, "text": text, "kind": kind, "category": category, "review": review,
                    "template": None})
    return out


def _edit_text(text: str, rng: random.Random) -> str:
    """A new wording: a line added (most often), or one taken out of a longer text."""
    lines = text.split("\n")
    if len(lines) >= 3 and (len(lines) > 6 or rng.random() < 0.35):
        del lines[rng.randrange(len(lines))]
    else:
        extra = rng.choice([line for line in EXTRA_LINES if line not in lines] or EXTRA_LINES)
        lines.insert(rng.randrange(len(lines) + 1), extra)
    return "\n".join(lines)


def _one_per_category(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the order, but take turns between categories, so a few agreements cover several."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for src in sources:
        groups.setdefault(src["category"], []).append(src)
    out: list[dict[str, Any]] = []
    while any(groups.values()):
        for items in groups.values():
            if items:
                out.append(items.pop(0))
    return out


def _in_the_evening(when: datetime, rng: random.Random) -> datetime:
    """The same day, between 19:00 and 22:00: when agreements get written and talked over."""
    return when.replace(hour=rng.randrange(19, 22), minute=rng.randrange(60), second=0, microsecond=0)


def _agreements(store: Store, shape: SampleShape, plan: _Plan, rng: random.Random) -> None:
    count = max(0, shape.agreements)
    if count == 0:
        return
    sources = _agreement_sources(store)
    rng.shuffle(sources)
    own = [s for s in sources if s["category"].startswith(agreement_rules.OWN_PREFIX)]
    if own:  # one of the couple's own categories comes early, so even a few agreements show one
        sources.remove(own[0])
        sources.insert(0, own[0])
    sources = _one_per_category(sources)
    start = datetime.combine(plan.first_day, time(20, 0), tzinfo=plan.now.tzinfo)
    end = plan.now - timedelta(days=3)  # the last yes (a day or so later) and any retiring stay in the past
    total = end - start
    fates = ["agreed"] * count
    if count >= 3:
        fates[-1], fates[-2] = "draft", "proposed"
    if count >= 5:
        fates[-3] = "retired"
    agreed = [i for i, fate in enumerate(fates) if fate == "agreed"]
    due = set(rng.sample(agreed, max(1, len(agreed) // 8))) if agreed else set()
    for i in range(count):
        src = dict(sources[i % len(sources)])
        if i >= len(sources):
            src["title"] = f"{src['title']} ({i // len(sources) + 1})"
        if i in due:
            # Monthly, and last said yes to over a month ago: its review has come.
            src["review"] = "monthly"
            created = start + total * rng.uniform(0.0, 0.05)
            last = max(created + timedelta(days=1), plan.now - timedelta(days=36))
        else:
            created = start + total * rng.uniform(0.0, 0.35)
            last = end
        created = _in_the_evening(created, rng)
        span = max(timedelta(0), last - created - timedelta(days=1))
        times = sorted(_in_the_evening(created + timedelta(days=1) + span * rng.random(), rng)
                       for _ in range(max(0, shape.versions_per_agreement - 1)))
        _one_agreement(store, rng, src, fates[i], i in due, created, times, plan.now)


def _one_agreement(store: Store, rng: random.Random, src: dict[str, Any], fate: str, due: bool,
                   created: datetime, times: list[datetime], now: datetime) -> None:
    """Write it, both say yes, then each later version (a reworded one is said yes to again)."""
    agreed = agreement_rules.Status.AGREED
    author = rng.randrange(2)
    a = store_agreements.create(store, author, title=src["title"], text=src["text"], kind=src["kind"],
                                category=src["category"], review=src["review"], template=src["template"],
                                now=created)
    if fate != "draft":
        a = store_agreements.say_yes(store, a.id, author, now=created + timedelta(minutes=5))
        a = store_agreements.say_yes(store, a.id, 1 - author, now=created + timedelta(hours=rng.randrange(1, 20)))
    for n, t in enumerate(times):
        editor = rng.randrange(2)
        last_one = n == len(times) - 1
        roll = rng.random()
        if roll < 0.75 or due or (last_one and fate == "proposed"):
            a = store_agreements.edit(store, a.id, editor, now=t, text=_edit_text(a.text, rng))
        elif roll < 0.9:
            rhythm = rng.choice([r for r in agreement_rules.RHYTHMS if r != a.review])
            a = store_agreements.edit(store, a.id, editor, now=t, review=rhythm)
        else:
            a = store_agreements.edit(store, a.id, editor, now=t, kind="need" if a.kind == "want" else "want")
        if a.status is agreement_rules.Status.PROPOSED and not (last_one and fate == "proposed"):
            gap = (times[n + 1] - t) if not last_one else timedelta(hours=30)
            later = t + min(gap * 0.5, timedelta(hours=rng.randrange(2, 30)))
            # new wording asks both again (writing is not agreeing): the editor's yes, then the other's
            a = store_agreements.confirm(store, a.id, editor, now=t + (later - t) / 2)
            a = store_agreements.confirm(store, a.id, 1 - editor, now=later)
    if fate == "proposed" and a.status is not agreement_rules.Status.PROPOSED:
        t = (times[-1] if times else created) + timedelta(hours=1)
        a = store_agreements.edit(store, a.id, author, now=t, text=_edit_text(a.text, rng))
    if fate == "proposed" and not any(a.consent):  # one yes given, one still to come
        a = store_agreements.confirm(store, a.id, a.proposed_by, now=a.updated + timedelta(minutes=2))
    if not due:
        # Looked at again each time its date comes, as long as that date is behind us.
        while a.status is agreed and a.next_review is not None:
            when = datetime.combine(a.next_review, time(19, 0), tzinfo=now.tzinfo) + timedelta(days=rng.randrange(0, 6))
            if when >= now - timedelta(days=1):
                break
            a = store_agreements.review(store, a.id, now=when)
    if fate == "retired":
        store_agreements.retire(store, a.id, now=now - timedelta(hours=rng.randrange(6, 18)))


# -- the whole couple --------------------------------------------------------------------------------------------

def populate(store: Store, shape: SampleShape = DEMO, *, seed: int = 7, now: datetime | None = None) -> None:
    """Fill an open store with realistic use: couple profile (Ana and Sam), question rounds with answers in
    every mode (talk notes, write & reveal, know me with guesses and 'how close'), some starred cards,
    a weekly reflection every week (ratings, appreciations, action items, some carried over), pauses with
    check-ins, extensions and repair records, and agreements in several categories with versions, consent
    and review dates (some due). Uses only the public functions of tui.store.* and tui.core.* (read them),
    so the data has exactly the shape the app writes.

    History covers the `shape.weeks` whole weeks before the week of `now` (default: the store's
    clock), so this week's reflection is still open to try. Same seed and `now`, same database.
    The file is written once, at the end.
    """
    now = now or store.clock.now()
    if now.tzinfo is None:
        raise ValueError("populate needs an aware datetime")
    rng = random.Random(seed)
    decks = _shipped_decks()
    plan = _span(shape, now)
    with _one_save(store):
        save_couple(store, Couple.from_names(*NAMES))
        _agreements(store, shape, plan, random.Random(rng.random()))
        days = _pause_days(shape, plan, rng)
        _pauses(store, plan, random.Random(rng.random()), days)
        _rounds(store, shape, plan, random.Random(rng.random()), decks)
        _reflections(store, plan, random.Random(rng.random()), set(days))
        if shape.rounds_long_ago:  # last, so nothing above draws differently with or without them
            _rounds_long_ago(store, shape, plan, random.Random(rng.random()), decks)


DEMO_PREFIX = "hearth-demo-"
#: A demo folder younger than this may be one another Hearth is still filling: it is left alone.
STALE_DEMO_SECONDS = 120


def remove_stale_demos(now: float | None = None) -> list[Path]:
    """Demo folders a killed Hearth (kill -9 skips the exit cleanup) left in the temp folder: each
    one old enough whose database no running Hearth holds (its lock is free) is removed."""
    import time as _time

    from filelock import FileLock, Timeout

    from .store.database import lock_path

    now = _time.time() if now is None else now
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(DEMO_PREFIX + "*"):
        try:
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != os.geteuid():
                continue
            if now - folder.stat().st_mtime < STALE_DEMO_SECONDS:
                continue
            lock = FileLock(str(lock_path(folder / "hearth.json")), timeout=0)
            lock.acquire()
        except (OSError, Timeout):
            continue  # in use, or not ours to judge
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            lock.release()
    return removed


def demo_database() -> Path:
    """A throwaway database filled with `populate(DEMO_APP)`, in a fresh private temp folder that is
    removed when Hearth exits. Your own database is never opened."""
    remove_stale_demos()
    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "hearth.json"
    with Store.open(path, background=False) as store:
        populate(store, DEMO_APP)
    return path
