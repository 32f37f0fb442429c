"""The conversation engine: (person, message or button, state) in; replies and new state out.

It knows nothing of Telegram or storage, so every behaviour is testable on its own. Routing
order matters for safety: emergency detection, commands, buttons, an answer to the open check
question, small talk, then the knowledge matcher.
"""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue import texts
from bot.dialogue.check import CheckFlow
from bot.dialogue.incoming import Incoming
from bot.dialogue.phrases import parse_small_talk
from bot.dialogue.replies import Button, Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.knowledge.bundle import Knowledge
from bot.knowledge.model import Entry
from bot.safety.emergency import EmergencyDetector, describe
from bot.safety.regions import REGIONS, RegionNumbers, numbers_for
from bot.safety.severity import mentions_severe_pain

MAX_TEXT = 1000
"""Characters of a message given to the matcher; emergency detection reads all of it."""
TOPICS_PER_PAGE = 8


class Engine:
    def __init__(self, default_region: str = "AU") -> None:
        self.default_region = numbers_for(default_region).region
        self.detector = EmergencyDetector()

    def numbers(self, state: ConversationState) -> RegionNumbers:
        return numbers_for(state.region or self.default_region)

    def handle(self, msg: Incoming, state: ConversationState, knowledge: Knowledge) -> Turn:
        turn = self._route(msg, state, knowledge)
        if not state.greeted and turn.replies:
            first = turn.replies[0]
            if texts.DISCLAIMER not in first.text and not first.emergency:
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
            return self._emergency(codes, state)
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

    def _emergency(self, codes: frozenset[str], state: ConversationState) -> Turn:
        nums = self.numbers(state)
        lines = [
            f"⚠️ What you describe ({describe(codes)}) can be a medical emergency.",
            f"Call {nums.emergency} now, or go to the nearest emergency department. "
            "Don't wait to see if it gets better.",
        ]
        if "self_harm" in codes:
            lines.append(
                f"If you are thinking about ending your life or harming yourself, please call "
                f"{nums.crisis_line} now to talk to someone, or {nums.emergency} if you are in "
                "danger right now. You don't have to go through this alone."
            )
        lines.append(texts.DISCLAIMER)
        outcomes = ["emergency"] if state.check is not None else []
        reply = Reply("\n\n".join(lines), outcome="emergency", emergency=True)
        return Turn([reply], state.evolve(check=None), outcomes=outcomes)

    def _command(
        self,
        text: str,
        msg: Incoming,
        state: ConversationState,
        knowledge: Knowledge,
        flow: CheckFlow,
    ) -> Turn:
        head, _, arg = text.partition(" ")
        name = head[1:].split("@", 1)[0].lower()
        arg = arg.strip()
        if name == "start":
            buttons = (
                (Button("Start the red-flag check", "ts"),),
                (Button("Browse topics", "p:0"),),
            )
            return Turn([Reply(texts.WELCOME, buttons)], state)
        if name == "help":
            return Turn([Reply(texts.HELP)], state)
        if name == "topics":
            return Turn([self._topics_page(knowledge, 0)], state)
        if name == "sources":
            return Turn([self._sources(knowledge)], state)
        if name == "check":
            if not msg.private:
                return Turn([Reply(texts.GROUP_CHECK)], state)
            return flow.start(state)
        if name == "cancel":
            return flow.cancel(state)
        if name == "region":
            return self._region(arg, state)
        if name in ("mydata", "forget") and not msg.private:
            return Turn([Reply(texts.GROUP_PRIVATE)], state)
        if name == "mydata":
            return Turn([], state, actions=["mydata"])
        if name == "forget":
            token = str(state.turns)
            confirm = ((Button("Yes, delete everything", f"fg:{token}"), Button("No", "fn")),)
            return Turn([Reply(texts.FORGET_ASK, confirm)], state.evolve(forget_token=token))
        return Turn([Reply(texts.UNKNOWN_COMMAND)], state)

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
        data = msg.button or ""
        kind, _, rest = data.partition(":")
        if kind == "a":
            entry = knowledge.kb.get(rest)
            if entry is None:
                return Turn(
                    [Reply(texts.STALE_BUTTON + " " + texts.TRY_TOPICS)],
                    state,
                    notice=texts.STALE_BUTTON,
                    stale=True,
                )
            return self._answer(entry, state, knowledge, asked=False)
        if kind == "p" and rest.isdigit():
            return Turn([self._topics_page(knowledge, int(rest))], state)
        if kind == "f":
            topic, _, vote = rest.rpartition(":")
            if knowledge.kb.get(topic) is not None and vote in ("u", "d"):
                value = 1 if vote == "u" else -1
                return Turn([], state, notice=texts.FEEDBACK_THANKS, feedback=[(topic, value)])
        if kind in ("ts", "tb", "tc", "tr", "t"):
            if not msg.private:
                return Turn([Reply(texts.GROUP_CHECK)], state, notice=texts.GROUP_CHECK[:60])
            return flow.button(kind, rest, state)
        if kind == "fg":
            if state.forget_token is not None and rest == state.forget_token:
                return Turn([Reply(texts.FORGET_DONE)], ConversationState(), actions=["forget"])
            return Turn([Reply(texts.STALE_BUTTON)], state, notice=texts.STALE_BUTTON, stale=True)
        if kind == "fn":
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
                row = (Button(f"You also asked: {second.title}", f"a:{second.id}"),)
                turn.replies[0] = replace(first, buttons=(row, *first.buttons))
        else:
            buttons = tuple(
                (Button(e.title, f"a:{e.id}"),)
                for s in result.suggestions
                if (e := knowledge.kb.get(s.id)) is not None
            )
            lines = [texts.DONT_KNOW, texts.DID_YOU_MEAN if buttons else texts.TRY_TOPICS]
            best = result.suggestions[0].score if result.suggestions else 0.0
            turn = Turn(
                [Reply("\n\n".join(lines), buttons)],
                state,
                unanswered=[(text[:300], best)],
                asked=1,
            )
        offered = any(b.data == "ts" for r in turn.replies for row in r.buttons for b in row)
        if state.check is None and not offered and mentions_severe_pain(text):
            turn.replies.append(
                Reply(texts.SEVERE_OFFER, ((Button("Start the red-flag check", "ts"),),))
            )
        return turn

    def _answer(
        self, entry: Entry, state: ConversationState, knowledge: Knowledge, *, asked: bool
    ) -> Turn:
        rows: list[tuple[Button, ...]] = []
        if entry.offers_check:
            rows.append((Button("Start the red-flag check", "ts"),))
        for rid in entry.related[:3]:
            related = knowledge.kb.get(rid)
            if related is not None:
                rows.append((Button(related.title, f"a:{related.id}"),))
        rows.append(
            (Button("👍 Helpful", f"f:{entry.id}:u"), Button("👎 Not helpful", f"f:{entry.id}:d"))
        )
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
            rows = tuple(
                (Button(r.title, f"a:{r.id}"),)
                for rid in entry.related
                if (r := knowledge.kb.get(rid)) is not None
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
            "help": texts.HELP,
        }
        return Turn([Reply(replies[talk])], state)

    def _topics_page(self, knowledge: Knowledge, page: int) -> Reply:
        entries = sorted(knowledge.kb.entries.values(), key=lambda e: (e.file, e.line))
        pages = max(1, -(-len(entries) // TOPICS_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        chunk = entries[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
        rows: list[tuple[Button, ...]] = [(Button(e.title, f"a:{e.id}"),) for e in chunk]
        nav: list[Button] = []
        if page > 0:
            nav.append(Button("◀ Previous", f"p:{page - 1}"))
        if page < pages - 1:
            nav.append(Button("Next ▶", f"p:{page + 1}"))
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


def _source_line(entry: Entry) -> str:
    ref = f" (citing {entry.source.reference})" if entry.source.reference else ""
    return f"{entry.source.url}{ref}"


def _ref_order(ref: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ref.split("]")[0] if ch.isdigit())
    return (int(digits) if digits else 999, ref)
