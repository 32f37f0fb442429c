"""Fixed wording of the bot, in one place so it can be reviewed (and one day translated)."""

from __future__ import annotations

DISCLAIMER = "I'm an information bot, not a doctor: this is not medical advice."

WELCOME = (
    'Hi! I answer questions about one article: "Why does my back get so sore when I\'m sick?" '
    "by Joshua Pate (University of Technology Sydney), published in The Conversation.\n\n"
    'Ask me anything about it in your own words, for example: "why does my back ache with the '
    'flu?" or "does a hot water bottle help?". I can also run a quick red-flag check (/check) '
    "to help you decide whether to see a doctor.\n\n" + DISCLAIMER
)

HELP_INTRO = "What I can do:\n• Answer questions about the article — just type them."
"""/help: this, then a line per command (from the command registry), then HELP_OUTRO."""
HELP_OUTRO = "If you think you have an emergency, call your local emergency number now. " + (
    DISCLAIMER
)

WHO = (
    "I'm a small bot that explains one article about why your back gets sore when you're sick "
    "(Joshua Pate, The Conversation). I don't diagnose anything and I'm not a doctor: for "
    "anything worrying, please see a health professional. Type a question, or /help."
)
HELLO = "Hello! Ask me anything about why your back aches when you're sick, or send /help."
THANKS = "You're welcome. I hope you feel better soon! Ask me anything else, any time."
BYE = "Take care, and rest up. If things get worse, please see a doctor."

NOT_TEXT = (
    "I can only read text messages. Type a question about back pain when you're sick, "
    "or send /help."
)
EDITED = (
    "I saw that you edited a message. I only answer new messages, so please send it again "
    "as a new one."
)
EMPTY = "That message looks empty. Type a question, or send /help to see what I can do."
LONG = "That's a long message, so I read only its beginning."
GROUP_PRIVATE = "Please send that to me in a private chat: what I store about you stays private."
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
GROUP_CHECK = (
    "The red-flag check is private: please message me directly to run it, so your answers "
    "stay between us."
)

DONT_KNOW = (
    "Sorry, I don't know that one. I can only answer questions about the article on back pain "
    "when you're sick."
)
DID_YOU_MEAN = "Did you mean one of these?"
TRY_TOPICS = "Send /topics to browse what I know."
SEVERE_OFFER = (
    "That sounds really rough. If the pain is severe, a quick red-flag check (a few yes/no "
    "questions) can help you decide whether to see a doctor."
)
MORE_NOTHING = "More on what? Ask me a question first, or send /topics."

CHECK_INTRO = (
    "Red-flag check: I'll ask a few yes/no questions, most urgent first. It doesn't diagnose "
    "anything. You can go back, or stop with /cancel, at any time."
)
CHECK_CANCELLED = "Check stopped. Send /check to start again whenever you like."
NO_CHECK = "There's no check running. Send /check to start one."
CHECK_STILL_OPEN = "We're still in the red-flag check:"
CHECK_UPDATED = (
    "The red-flag check was updated while you were in it, so I've started it again from the "
    "first question."
)
STALE_BUTTON = "That button is from an earlier message."
STALE_CHECK_BUTTON = "That button is from an earlier question, so I ignored it."
FORGED_BUTTON = "Sorry, I didn't recognise that button."
FEEDBACK_THANKS = "Thanks for the feedback!"

FORGET_ASK = (
    "This deletes everything I store about you: your settings, an open check and your recent "
    "topics. Are you sure?"
)
FORGET_DONE = "Done: everything I stored about you has been deleted."
FORGET_KEPT = "OK, nothing was deleted."

STORE_DOWN = "Sorry, I'm having trouble right now. Please try again in a moment."
