"""Clinical data every other package shares: outcome levels, the red-flag catalogue, numbers.

It sits at the bottom: the check (bot.triage), the free-text detector (bot.safety) and the
dialogue read from here, so shared/red-flags.md has one counterpart in code.
"""
