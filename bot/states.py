"""The stages of the resident journey; `docs/journey.mmd` draws them."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """One screen of the journey, in the order a person meets them."""

    WELCOME = "welcome"
    SPEAKER = "speaker"
    DOMAIN = "domain"
    SITUATION = "situation"
    EMPLOYER = "employer"  # work only: public or private employer
    CRITERIA = "criteria"
    WHEN = "when"
    EVIDENCE = "evidence"
    NARRATIVE = "narrative"
    RIGHTS = "rights"
    REFERRAL = "referral"
    SUMMARY = "summary"
    END = "end"
