"""The conversation engine: (person, message or button, state) in; replies and new state out.

It knows nothing of Telegram or storage, so every behaviour is testable on its own. Routing
order matters for safety: emergency detection, commands, buttons, an answer to the open check
question, small talk, then the knowledge matcher.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from bot.bundle import Knowledge
from bot.clinical.regions import REGIONS, RegionNumbers, numbers_for
from bot.dialogue import texts
from bot.dialogue.buttondata import button, decode
from bot.dialogue.buttons import (
    ENGINE_BUTTONS,
    CheckAnswer,
    CheckBack,
    CheckCancel,
    CheckRestart,
    CheckStart,
    Feedback,
    ForgetNo,
    ForgetYes,
    ShowTopic,
    TopicsPage,
)
from bot.dialogue.check import CheckFlow
from bot.dialogue.commands import Command, CommandRegistry, Scope, help_lines, parse_command
from bot.dialogue.incoming import Incoming
from bot.dialogue.phrases import parse_small_talk
from bot.dialogue.replies import Button, Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.knowledge.model import Entry
from bot.safety.distress import Distress, distress
from bot.safety.emergency import EmergencyDetector
from bot.safety.severity import mentions_severe_pain
from bot.triage.render import alarm_text

MAX_TEXT = 1000
"""Characters of a message given to the matcher; emergency detection reads all of it."""
TOPICS_PER_PAGE = 8
_NO_DISCLAIMER = frozenset({"emergency", "crisis"})
"""Safety replies come first and alone: no "not medical advice" line before them."""

ALL, PRIVATE = Scope.ALL_CHATS, Scope.PRIVATE_CHATS


@dataclass(frozen=True)
class Call:
    """What a command handler gets: the text after the command, and the turn's context."""

    arg: str
    msg: Incoming
    state: ConversationState
    knowledge: Knowledge
    flow: CheckFlow


class Engine:
    def __init__(self, default_region: str = "AU") -> None:
        self.default_region = numbers_for(default_region).region
        self.detector = EmergencyDetector()
        self.commands = CommandRegistry(ENGINE_COMMANDS)
        self.help_text = "\n".join(
            [texts.HELP_INTRO, help_lines(ENGINE_COMMANDS), "", texts.HELP_OUTRO]
        )

    def numbers(self, state: ConversationState) -> RegionNumbers:
        return numbers_for(state.region or self.default_region)

    def handle(self, msg: Incoming, state: ConversationState, knowledge: Knowledge) -> Turn:
        turn = self._route(msg, state, knowledge)
        if not state.greeted and turn.replies:
            first = turn.replies[0]
            if texts.DISCLAIMER not in first.text and first.outcome not in _NO_DISCLAIMER:
                turn.replies.insert(0, Reply(texts.DISCLAIMER))
        turn.state = turn.state.evolve(greeted=True, turns=state.turns + 1)
        return turn

    # -- routing -------------------------------------------------------------------------
    def _route(self, msg: Incoming, state: ConversationState, knowledge: Knowledge) -> Turn:
        flow = CheckFlow(knowledge.triage, self.numbers(state))
        if msg.kind == "button":
            return self._button(msg, state, knowledge, flow)
        if msg.kind == "edited":
            return Turn([Reply(texts.EDITED)], state)
        if msg.kind != "text":
            return Turn([Reply(texts.NOT_TEXT)], state)
        text = (msg.text or "").strip()
        if not text:
            return Turn([Reply(texts.EMPTY)], state)
        codes = self.detector.detect(text)
        if codes:
            return self._emergency(codes, state, knowledge)
        if text.startswith("/"):
            return self._command(text, msg, state, knowledge, flow)
        prefix: list[Reply] = []
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
            prefix.append(Reply(texts.LONG))
        if state.check is not None:
            turn = flow.free_text(text, state)
            if turn is not None:
                return turn
            turn = self._chat(text, state, knowledge)
            turn.replies.extend(flow.where_we_are(turn.state))
        else:
            turn = self._chat(text, state, knowledge)
        turn.replies[:0] = prefix
        return turn

    def _emergency(
        self, codes: frozenset[str], state: ConversationState, knowledge: Knowledge
    ) -> Turn:
        """Free text describing an emergency or a crisis: the advice first, whatever was open."""
        level, text = alarm_text(knowledge.triage, codes, self.numbers(state))
        outcomes = [str(level)] if state.check is not None else []
        reply = Reply(text, outcome=str(level), emergency=True)
        return Turn([reply], state.evolve(check=None), outcomes=outcomes)

    def _command(
        self,
        text: str,
        msg: Incoming,
        state: ConversationState,
        knowledge: Knowledge,
        flow: CheckFlow,
    ) -> Turn:
        call = parse_command(text)
        command = self.commands.get(call.name) if call is not None else None
        if call is None or command is None or command.admin_only:
            return Turn([Reply(texts.UNKNOWN_COMMAND)], state)  # admins' are taken before here
        if command.private_only and not msg.private:
            return Turn([Reply(command.in_groups or texts.GROUP_PRIVATE)], state)
        handler: EngineHandler = command.handler
        return handler(self, Call(call.arg, msg, state, knowledge, flow))

    # -- the commands (each one is an entry in ENGINE_COMMANDS below) ----------------------
    def _start(self, call: Call) -> Turn:
        buttons = (
            (Button("Start the red-flag check", CheckStart().encode()),),
            (Button("Browse topics", TopicsPage(0).encode()),),
        )
        return Turn([Reply(texts.WELCOME, buttons)], call.state)

    def _help(self, call: Call) -> Turn:
        return Turn([Reply(self.help_text)], call.state)

    def _topics(self, call: Call) -> Turn:
        return Turn([self._topics_page(call.knowledge, 0)], call.state)

    def _sources_command(self, call: Call) -> Turn:
        return Turn([self._sources(call.knowledge)], call.state)

    def _check(self, call: Call) -> Turn:
        return call.flow.start(call.state)

    def _cancel(self, call: Call) -> Turn:
        return call.flow.cancel(call.state)

    def _region_command(self, call: Call) -> Turn:
        return self._region(call.arg, call.state)

    def _mydata(self, call: Call) -> Turn:
        return Turn([], call.state, actions=["mydata"])

    def _forget(self, call: Call) -> Turn:
        token = str(call.state.turns)
        yes, no = ForgetYes(token).encode(), ForgetNo().encode()
        confirm = ((Button("Yes, delete everything", yes), Button("No", no)),)
        return Turn([Reply(texts.FORGET_ASK, confirm)], call.state.evolve(forget_token=token))

    def _region(self, arg: str, state: ConversationState) -> Turn:
        valid = ", ".join(REGIONS)
        if not arg:
            current = self.numbers(state)
            text = (
                f"Your region is {current.name} ({current.region}). "
                f"Change it with /region CODE, one of: {valid}."
            )
            return Turn([Reply(text)], state)
        try:
            nums = numbers_for(arg)
        except ValueError:
            return Turn(
                [Reply(f"I don't know the region '{arg[:20]}'. Use one of: {valid}.")], state
            )
        text = (
            f"Region set to {nums.name}. Emergency number: {nums.emergency}; "
            f"crisis line: {nums.crisis_line}."
        )
        return Turn([Reply(text)], state.evolve(region=nums.region))

    # -- buttons -------------------------------------------------------------------------
    def _button(
        self, msg: Incoming, state: ConversationState, knowledge: Knowledge, flow: CheckFlow
    ) -> Turn:
        data = decode(msg.button, ENGINE_BUTTONS)
        match data:
            case ShowTopic(entry_id=entry_id):
                entry = knowledge.kb.get(entry_id)
                if entry is None:
                    return Turn(
                        [Reply(texts.STALE_BUTTON + " " + texts.TRY_TOPICS)],
                        state,
                        notice=texts.STALE_BUTTON,
                        stale=True,
                    )
                return self._answer(entry, state, knowledge, asked=False)
            case TopicsPage(page=page):
                return Turn([self._topics_page(knowledge, page)], state)
            case Feedback(entry_id=entry_id, vote=vote) if entry_id in knowledge.kb.entries:
                value = 1 if vote == "u" else -1
                return Turn([], state, notice=texts.FEEDBACK_THANKS, feedback=[(entry_id, value)])
            case CheckStart() | CheckRestart() | CheckCancel() | CheckBack() | CheckAnswer():
                if not msg.private:
                    return Turn([Reply(texts.GROUP_CHECK)], state, notice=texts.GROUP_CHECK[:60])
                return flow.button(data, state)
            case ForgetYes(token=token):
                if state.forget_token is not None and token == state.forget_token:
                    return Turn(
                        [Reply(texts.FORGET_DONE)], ConversationState(), actions=["forget"]
                    )
                notice = texts.STALE_BUTTON
                return Turn([Reply(notice)], state, notice=notice, stale=True)
            case ForgetNo():
                return Turn([Reply(texts.FORGET_KEPT)], state.evolve(forget_token=None))
        return Turn(
            [Reply(texts.FORGED_BUTTON + " Send /help to see what I can do.")],
            state,
            notice=texts.FORGED_BUTTON,
            stale=True,
        )

    # -- knowledge -----------------------------------------------------------------------
    def _chat(self, text: str, state: ConversationState, knowledge: Knowledge) -> Turn:
        talk = parse_small_talk(text)
        if talk is not None:
            return self._small_talk(talk, state, knowledge)
        result = knowledge.matcher.match(text)
        if result.match is not None:
            entry = knowledge.kb.entries[result.match.id]
            turn = self._answer(entry, state, knowledge, asked=True)
            second = knowledge.kb.get(result.also.id) if result.also else None
            if second is not None:  # the message asked two things: offer the other one
                first = turn.replies[0]
                row = (Button(f"You also asked: {second.title}", ShowTopic(second.id).encode()),)
                turn.replies[0] = replace(first, buttons=(row, *first.buttons))
        else:
            buttons = _topic_rows(
                e for s in result.suggestions if (e := knowledge.kb.get(s.id)) is not None
            )
            lines = [texts.DONT_KNOW, texts.DID_YOU_MEAN if buttons else texts.TRY_TOPICS]
            best = result.suggestions[0].score if result.suggestions else 0.0
            turn = Turn(
                [Reply("\n\n".join(lines), buttons)],
                state,
                unanswered=[(text[:300], best)],
                asked=1,
            )
            care = self._careful_fallback(text, state)
            if care is not None:
                turn.replies.append(care)
        start = CheckStart().encode()
        offered = any(b.data == start for r in turn.replies for row in r.buttons for b in row)
        if state.check is None and not offered and mentions_severe_pain(text):
            turn.replies.append(
                Reply(texts.SEVERE_OFFER, ((Button("Start the red-flag check", start),),))
            )
        return turn

    def _careful_fallback(self, text: str, state: ConversationState) -> Reply | None:
        """Distress the matcher cannot answer never gets only "I don't know": despair gets the
        crisis line, severe pain or a body symptom the check and the nurse line."""
        kind = distress(text)
        if kind is None:
            return None
        nums = self.numbers(state)
        check = (
            ((Button("Start the red-flag check", CheckStart().encode()),),)
            if state.check is None
            else ()
        )
        lines = []
        if kind is Distress.DESPAIR:
            lines.append(
                "It sounds like things are really hard right now. You don't have to go through "
                f"it alone: you can call {nums.crisis_line} any time to talk to someone, or "
                f"{nums.emergency} if you are in danger."
            )
        lines.append(
            "If you're worried about how you feel, a quick red-flag check (a few yes/no "
            f"questions) can help you decide what to do, or {nums.nurse_advice} for advice."
        )
        return Reply("\n\n".join(lines), check)

    def _answer(
        self, entry: Entry, state: ConversationState, knowledge: Knowledge, *, asked: bool
    ) -> Turn:
        rows: list[tuple[Button, ...]] = []
        if entry.offers_check:
            rows.append((Button("Start the red-flag check", CheckStart().encode()),))
        related = (r for rid in entry.related[:3] if (r := knowledge.kb.get(rid)) is not None)
        rows.extend(_topic_rows(related))
        votes = (
            button("👍 Helpful", Feedback(entry.id, "u")),
            button("👎 Not helpful", Feedback(entry.id, "d")),
        )
        if votes[0] is not None and votes[1] is not None:
            rows.append((votes[0], votes[1]))
        text = f"{entry.answer}\n\nSource: {_source_line(entry)}"
        return Turn(
            [Reply(text, tuple(rows))],
            state.evolve(last_topic=entry.id),
            history=[entry.id],
            asked=int(asked),
            answered=int(asked),
        )

    def _small_talk(self, talk: str, state: ConversationState, knowledge: Knowledge) -> Turn:
        if talk == "more":
            entry = knowledge.kb.get(state.last_topic or "")
            if entry is None:
                return Turn([Reply(texts.MORE_NOTHING)], state)
            rows = _topic_rows(
                r for rid in entry.related if (r := knowledge.kb.get(rid)) is not None
            )
            text = f'More on "{entry.title}": this comes from {_source_line(entry)}.'
            if rows:
                text += " Related topics:"
            return Turn([Reply(text, rows)], state)
        replies = {
            "hello": texts.HELLO,
            "thanks": texts.THANKS,
            "bye": texts.BYE,
            "who": texts.WHO,
            "help": self.help_text,
        }
        return Turn([Reply(replies[talk])], state)

    def _topics_page(self, knowledge: Knowledge, page: int) -> Reply:
        entries = sorted(knowledge.kb.entries.values(), key=lambda e: (e.file, e.line))
        pages = max(1, -(-len(entries) // TOPICS_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        chunk = entries[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
        rows = list(_topic_rows(chunk))
        nav: list[Button] = []
        if page > 0:
            nav.append(Button("◀ Previous", TopicsPage(page - 1).encode()))
        if page < pages - 1:
            nav.append(Button("Next ▶", TopicsPage(page + 1).encode()))
        if nav:
            rows.append(tuple(nav))
        return Reply(f"Topics (page {page + 1} of {pages}): pick one.", tuple(rows))

    def _sources(self, knowledge: Knowledge) -> Reply:
        urls: dict[str, set[str]] = {}
        for entry in knowledge.kb.entries.values():
            refs = urls.setdefault(entry.source.url, set())
            if entry.source.reference:
                refs.update(ref.strip() for ref in entry.source.reference.split(";"))
        lines = ["My answers are based only on:"]
        for url, refs in urls.items():
            lines.append(f"• {url}")
            lines.extend(f"   – {ref}" for ref in sorted(refs, key=_ref_order))
        lines.append(texts.DISCLAIMER)
        return Reply("\n".join(lines))


EngineHandler = Callable[[Engine, Call], Turn]

ENGINE_COMMANDS: tuple[Command[EngineHandler], ...] = (
    Command("start", "What this bot is and how to use it", ALL, False, False, Engine._start),
    Command("help", "What I can do", ALL, False, False, Engine._help),
    Command("topics", "Browse everything I know", ALL, False, False, Engine._topics),
    Command(
        "check",
        "A short yes/no red-flag check: should you see a doctor?",
        PRIVATE,
        True,
        False,
        Engine._check,
        in_groups=texts.GROUP_CHECK,
    ),
    Command("cancel", "Stop the check", ALL, False, False, Engine._cancel),
    Command("sources", "Where my answers come from", ALL, False, False, Engine._sources_command),
    Command(
        "region",
        "Set your country for emergency numbers (e.g. /region UK)",
        ALL,
        False,
        False,
        Engine._region_command,
    ),
    Command("mydata", "See what I store about you", PRIVATE, True, False, Engine._mydata),
    Command("forget", "Delete everything I store about you", PRIVATE, True, False, Engine._forget),
)
"""Everyone's commands, in menu and /help order."""


def _topic_rows(entries: Iterable[Entry]) -> tuple[tuple[Button, ...], ...]:
    """One row per entry, its title opening its answer."""
    made = (button(e.title, ShowTopic(e.id)) for e in entries)
    return tuple((b,) for b in made if b is not None)


def _source_line(entry: Entry) -> str:
    ref = f" (citing {entry.source.reference})" if entry.source.reference else ""
    return f"{entry.source.url}{ref}"


def _ref_order(ref: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ref.split("]")[0] if ch.isdigit())
    return (int(digits) if digits else 999, ref)
