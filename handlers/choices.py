"""Question screens built from content options: one choice, or several then "Valider"."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from telegram import Update

from bot.callbacks import Choice, Done
from bot.content import Option
from bot.context import BotContext
from bot.markup import bold, esc, italic
from bot.rtl import colon
from handlers.ui import Row, Screen, ack, footer, pressed


def _question(context: BotContext, question: str, hint: str, options: Sequence[Option] = ()) -> str:
    """The question in bold, its hint, and each option's explanation when it has one."""
    _ = context._
    text = bold(question)
    if hint:
        text += f"\n\n{esc(hint)}"
    sep = colon(context.t.language)
    explained = [f"• {italic(_(o.label))}{sep}{esc(_(o.hint))}" for o in options if o.hint]
    if explained:
        text += "\n\n" + "\n".join(explained)
    return text


def single_choice(
    context: BotContext,
    question: str,
    options: Sequence[Option],
    kind: type[Choice],
    *,
    hint: str = "",
    back: bool = True,
    explain: bool = True,
) -> Screen:
    """One button per option; pressing one answers the question."""
    _ = context._
    rows: list[Row] = [[(_(o.label), kind(o.id))] for o in options]
    rows.append(footer(context, back=back))
    return Screen(_question(context, question, hint, options if explain else ()), rows)


def multi_choice(
    context: BotContext,
    question: str,
    options: Sequence[Option],
    kind: type[Choice],
    selected: Collection[str],
    *,
    hint: str = "",
    explain: bool = True,
    extra: Row | None = None,
) -> Screen:
    """Toggle buttons (✅ when chosen) and a "Valider" button."""
    _ = context._
    rows: list[Row] = [
        [(("✅ " if o.id in selected else "▫️ ") + _(o.label), kind(o.id))]
        for o in options
    ]
    count = len(selected)
    done = (
        context.t.ngettext("Valider (%(n)d choix)", "Valider (%(n)d choix)", count) % {"n": count}
        if count
        # TRANSLATORS: the button that confirms the ticked answers (nothing ticked yet).
        else _("Valider")
    )
    rows.append([("➡️ " + done, Done())])
    if extra:
        rows.append(extra)
    rows.append(footer(context))
    return Screen(_question(context, question, hint, options if explain else ()), rows)


async def chosen(
    update: Update, context: BotContext, kind: type[Choice], options: Iterable[Option]
) -> str | None:
    """The id a pressed button chose among these options; None (and the press answered)
    for anything else: an old button of another question, or forged data."""
    button = pressed(update, kind)
    if button is not None and button.id in {o.id for o in options}:
        return button.id
    await ack(update, context)
    return None


def choose_one(context: BotContext, fallback_id: str) -> str:
    """The alert for "Valider" with nothing ticked, naming the "don't know" choice."""
    content = context.bot_data.content
    options = (*content.criterion_groups, *content.evidence_kinds)
    label = next((o.label for o in options if o.id == fallback_id), "")
    return context._("Choisissez au moins une réponse, ou « %(label)s ».") % {
        "label": context._(label)
    }


def toggle(selected: set[str], choice: str, exclusive: Collection[str]) -> None:
    """Add or remove a choice; an exclusive one ("I don't know", "nothing") clears the rest."""
    if choice in selected:
        selected.discard(choice)
    elif choice in exclusive:
        selected.clear()
        selected.add(choice)
    else:
        selected.difference_update(exclusive)
        selected.add(choice)
