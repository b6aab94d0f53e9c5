"""The chat widget's own texts (status lines, screen-reader labels, the quick exit's page
title). They live in the console's catalog like every other text: base.html puts them in
the page as a JSON data block (`<script type="application/json" id="widget-texts">`, never
run, so the CSP's script-src 'self' holds) and widget/src reads them from there."""

from __future__ import annotations

from bot.console.i18n.catalog import N_, Gettext

WIDGET_TEXTS: dict[str, str] = {
    "connecting": N_("Connecting to the assistant…"),
    "connected": N_("Connected."),
    "unreachable": N_("The assistant cannot be reached right now. Check your connection; we "
                      "keep trying. Your answers so far are saved."),
    "refused": N_("Your session has ended. Reload the page or sign in again."),
    "invalid": N_("That message could not be sent (empty, too long or with invalid "
                  "characters)."),
    "noAnswer": N_("No answer yet. The assistant may be busy; please wait or try again."),
    "you": N_("You:"),
    "assistant": N_("Assistant:"),
    "suggested": N_("Suggested answers"),
    "assistantError": N_("Assistant (problem):"),
    "filter": N_("Filter the choices"),
    # Sent for the user when a new conversation opens; the assistant knows these words.
    "start": N_("Start a referral"),
    "progress": N_("Question {number} of {total}"),
    "viewCase": N_("View case {reference}"),
    "another": N_("Start another referral"),
    "exitTitle": N_("Weather"),  # the document title while the quick exit leaves
}


def widget_texts(gettext: Gettext) -> dict[str, str]:
    return {key: gettext(text) for key, text in WIDGET_TEXTS.items()}
