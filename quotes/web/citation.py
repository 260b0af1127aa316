"""The text a journalist pastes: a quote with a correct attribution line, built from the data.

Built here in Python (not in the browser) so every format is tested as an exact string.
Wire style: a quote given to the outlet credits it in the verb ("… told Euronews."); otherwise
the line names where it was reported ("…, as reported by DW on 30 December 2021."). The role
and organisation are the ones that article gave (SpeakerAppearance), not today's; callers
read it (selectors.quote_appearances), so nothing here touches the database.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.utils.html import escape

FORMATS = [
    ("plain", "Plain text"),
    ("markdown", "Markdown"),
    ("html", "HTML"),
    ("csl", "CSL-JSON"),
]

# Organisation names that read with "the" in running text ("at the Atlantic Council").
_THE_WORDS = re.compile(
    r"\b(council|ministry|department|office|institute|institution|commission|house|union|"
    r"organi[sz]ation|agency|foundation|cent(?:re|er)|kremlin|pentagon|party|fund|committee|"
    r"parliament|government|administration|court|assembly|bank|embassy|army|navy|"
    r"secretariat|senate|congress|alliance|forum|league|service|bureau|board|federation)\b",
    re.I,
)
_ARTICLE = re.compile(r"^(a|an|the)\s", re.I)


def with_the(name: str) -> str:
    """'Atlantic Council' -> 'the Atlantic Council'; acronyms and plain names stay bare."""
    name = name.strip()
    if not name or _ARTICLE.match(name) or name.isupper():
        return name
    if _THE_WORDS.search(name) or name.lower().startswith("university of"):
        return f"the {name}"
    return name


def long_date(value) -> str:
    return f"{value.day} {value:%B} {value.year}" if value else ""


def typographic(text: str) -> str:
    """Straight quotes to curly ones; quotes inside the quotation become single marks."""
    text = " ".join((text or "").split())
    text = re.sub(r'(^|[\s(\[{—–-])"', "\\1‘", text)
    text = text.replace('"', "’").replace("“", "‘").replace("”", "’")
    text = re.sub(r"(^|[\s(\[{—–-])'", "\\1‘", text)
    return text.replace("'", "’")


def words_before_attribution(text: str) -> str:
    """The quotation's words as they should sit before an attribution: “…,” said X."""
    text = typographic(text).strip().strip("“”\"").strip()
    if text.endswith(("...", "…", "?", "!", ",")):
        return text
    if text and text[-1] in ".;:":
        return text[:-1] + ","
    return text + ","


@dataclass
class AttributionLine:
    """The pieces of the attribution sentence, so each format can mark them up its own way."""

    subject: str  # "Dmitry Peskov", "a senior official", "the Kremlin", "" when unknown
    before: str  # a short title that precedes the name: "Kremlin spokesman"
    apposition: str  # a long title after the name: "Ukraine Editor at the Atlantic Council"
    verb: str  # "said", "told Euronews"; "" with according_to
    according_to: bool
    outlet: str
    title: str
    date: str
    url: str
    given_to_outlet: bool

    def subject_phrase(self) -> str:
        name = f"{self.before} {self.subject}" if self.before else self.subject
        return f"{name}, {self.apposition}" if self.apposition else name

    def line(self, outlet_fmt=lambda s: s, with_url: bool = True) -> str:
        """The words after the quotation, e.g. 'Kremlin spokesman Dmitry Peskov said, as …'."""
        if self.according_to and self.subject:
            speech = f"according to {self.subject_phrase()}"
        elif self.subject:
            speech = self.subject_phrase() + ("," if self.apposition else "")
            verb = self.verb
            if self.given_to_outlet and self.outlet:
                credit_text = outlet_fmt(self.outlet)
                verb = re.sub(re.escape(self.outlet), lambda m: credit_text, verb, count=1, flags=re.I)
            speech = f"{speech} {verb}"
        else:
            speech = "(speaker not identified)"
        credit = ""
        if not self.given_to_outlet:
            if self.outlet:
                credit = f"as reported by {outlet_fmt(self.outlet)}"
            elif self.title:
                credit = f"as reported in {outlet_fmt('“' + self.title + '”')}"
            if credit and self.date:
                credit += f" on {self.date}"
        text = f"{speech}, {credit}." if credit else f"{speech}."
        if with_url and self.url:
            text += f" {self.url}"
        return text


def _role_parts(role: str, organisation: str) -> tuple[str, str]:
    """(title before the name, apposition after it) for a role and organisation."""
    role = " ".join((role or "").split()).strip(" ,")
    organisation = (organisation or "").strip()
    if role and organisation and organisation.lower() not in role.lower():
        return "", f"{role} at {with_the(organisation)}"
    if role:
        short = len(role.split()) <= 4 and not _ARTICLE.match(role) and "," not in role
        return (role, "") if short else ("", role)
    if organisation:
        return "", f"of {with_the(organisation)}"
    return "", ""


def attribution_line(quote, appearance) -> AttributionLine:
    """The attribution for `quote`, with the SpeakerAppearance of its article (or None)."""
    article = quote.article
    before = apposition = ""
    if quote.speaker_id:
        subject = quote.speaker.name
        role = appearance.role if appearance else ""
        org = appearance.organisation if appearance and appearance.organisation_id else quote.organisation
        before, apposition = _role_parts(role, org.name if org else "")
        if apposition.startswith("of "):  # "Peter Dickinson of the Atlantic Council"
            subject, apposition = f"{subject} {apposition}", ""
    elif quote.speaker_description:
        subject = quote.speaker_description.strip()
        subject = subject[0].lower() + subject[1:] if _ARTICLE.match(subject) else subject
    elif quote.organisation_id:
        subject = with_the(quote.organisation.name)
    else:
        subject = ""
    cue = " ".join((quote.cue or "").split())
    according_to = cue.lower().startswith("according to")
    outlet = (article.outlet or "").strip()
    given = bool(
        outlet and cue and not according_to
        and re.search(r"(?<!\w)" + re.escape(outlet) + r"(?!\w)", cue, re.I)
    )
    return AttributionLine(
        subject=subject,
        before=before,
        apposition=apposition,
        verb="" if according_to else (cue or "said"),
        according_to=according_to,
        outlet=outlet,
        title=(article.title or "").strip(),
        date=long_date(article.published),
        url=article.public_url,
        given_to_outlet=given,
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _quoted_words(quote, a: AttributionLine) -> str:
    words = words_before_attribution(quote.text)
    return words if a.subject else words.rstrip(",")


def attribution_plain(quote, appearance) -> str:
    """The plain copy text alone (the API's `attribution`), without building the other formats."""
    a = attribution_line(quote, appearance)
    return f"“{_quoted_words(quote, a)}” {a.line()}"


def attribution_texts(quote, appearance) -> dict[str, str]:
    """Every copy format for `quote`: plain, markdown, html and csl (CSL-JSON)."""
    a = attribution_line(quote, appearance)
    words = _quoted_words(quote, a)
    plain = f"“{words}” {a.line()}"

    md_url = a.url.replace("(", "%28").replace(")", "%29")
    md_outlet = (lambda s: f"[{_md(s)}]({md_url})") if a.url else _md
    md_line = a.line(outlet_fmt=lambda s: "\x00" + s + "\x01", with_url=False)
    md_line = _md(md_line)
    md_line = re.sub("\x00(.*?)\x01", lambda m: md_outlet(m.group(1)), md_line)
    markdown = f"> “{_md(words)}” {md_line}"

    cite_attr = f' cite="{escape(a.url)}"' if a.url else ""
    if a.url:
        html_outlet = lambda s: f'<cite><a href="{escape(a.url)}">{escape(s)}</a></cite>'  # noqa: E731
    else:
        html_outlet = lambda s: f"<cite>{escape(s)}</cite>"  # noqa: E731
    html_line = escape(a.line(outlet_fmt=lambda s: "\x00" + s + "\x01", with_url=False))
    html_line = re.sub("\x00(.*?)\x01", lambda m: html_outlet(m.group(1)), html_line)
    html = (
        f"<figure>\n  <blockquote{cite_attr}>\n    <p>“{escape(words.rstrip(','))}”</p>\n  </blockquote>\n"
        f"  <figcaption>— {html_line}</figcaption>\n</figure>"
    )

    article = quote.article
    item = {
        "id": f"quote-{quote.pk}",
        "type": "article-newspaper",
        "title": article.title,
        "container-title": article.outlet or None,
        "URL": a.url or None,
        "issued": {"date-parts": [[article.published.year, article.published.month, article.published.day]]}
        if article.published
        else None,
        "note": plain,
    }
    csl = json.dumps([{k: v for k, v in item.items() if v}], ensure_ascii=False, indent=2)
    return {"plain": plain, "markdown": markdown, "html": html, "csl": csl}
