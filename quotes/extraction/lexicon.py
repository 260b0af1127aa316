"""Every word list the extractor consults, each written once.

Lists that overlap because they mean the same thing are built from one another (the titles
written before a name are both honorifics and title words); lists that merely share a word
("post" the verb, "post" the noun) stay apart. Words are lower case. Nothing here names a
particular person, outlet or quotation: these are the words of English news style.
"""
from __future__ import annotations

# -- reporting speech ----------------------------------------------------------------------
# Speech verbs that may come before their subject ("…,” said Emily Horne).
INVERTING_VERBS = {
    "say", "add", "write", "explain", "note", "ask", "recall", "insist", "reply", "respond", "tweet",
    "declare", "state", "argue", "continue", "conclude", "observe", "remark",
}
# Verbs that report speech only with a complement, not on their own ("speak", "think" …).
WEAK_SPEECH_VERBS = {
    "believe", "think", "feel", "hope", "fear", "worry", "wonder", "speak", "report", "brief", "quote",
    "cite", "rule", "reason", "estimate", "express", "continue", "point",
}
SPEECH_VERBS = INVERTING_VERBS | WEAK_SPEECH_VERBS | {
    "tell", "claim", "warn", "urge", "affirm", "reaffirm", "reiterate", "post", "announce", "confirm",
    "deny", "vow", "promise", "pledge", "stress", "emphasize", "emphasise", "underline", "underscore",
    "acknowledge", "admit", "answer", "suggest", "describe", "call", "maintain", "assert", "contend",
    "comment", "concede", "complain", "predict", "caution", "threaten", "demand", "accuse",
    "characterize", "characterise", "dub", "brand", "label", "repeat", "agree", "shout", "joke",
    "quip", "testify", "reveal", "disclose", "indicate", "mention", "inform", "assure", "reassure",
    "signal", "charge", "allege", "lament", "boast", "recount", "tout", "praise", "criticize",
    "criticise", "condemn", "welcome", "specify", "clarify", "elaborate", "hint", "muse", "plead",
    "concur", "counter", "retort", "snap", "scoff", "sigh", "whisper", "yell", "cry", "exclaim",
    "proclaim", "pronounce", "advise", "recommend", "propose", "told", "highlight", "congratulate",
    "thank", "hail", "slam", "blast", "dismiss", "apologise", "apologize", "blame", "denounce",
    "rebuke", "laud", "applaud", "mock", "ridicule", "lambast", "decry", "deride", "scold", "chide",
    "implore", "swear", "confess", "whine", "grumble", "murmur", "mutter", "instruct", "beg",
}
# Past forms the regular rule below does not make.
IRREGULAR_PAST = {"say": "said", "tell": "told", "write": "wrote", "swear": "swore", "quip": "quipped",
                  "snap": "snapped"}


def _inflections(lemma: str) -> tuple[str, str, str]:
    """The present and past forms of a regular English verb, for matching text without a parser."""
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third, past = lemma[:-1] + "ies", lemma[:-1] + "ied"
    else:
        third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
        past = lemma + ("d" if lemma.endswith("e") else "ed")
    return lemma, third, IRREGULAR_PAST.get(lemma, past)


# The written forms of the speech verbs that report on their own ("said", "warns", "told"): the
# cleaner reads them on raw lines, before any parse.
REPORTING_WORD_FORMS = {form for lemma in SPEECH_VERBS - WEAK_SPEECH_VERBS for form in _inflections(lemma)}

# (verb lemma, particle) pairs that report speech ("went on", "pointed out").
PARTICLE_SPEECH = {("go", "on"), ("carry", "on"), ("point", "out"), ("lash", "out"), ("chime", "in"),
                   ("weigh", "in"), ("spell", "out"), ("hit", "back"), ("fire", "back"), ("speak", "of"),
                   ("talk", "of")}
# Nouns that carry someone's words ("the reaction of X", "his remarks").
SPEECH_NOUNS = {"reaction", "response", "reply", "message", "verdict", "answer", "assessment", "words",
                "warning", "plea", "advice", "retort", "comment", "comments", "remark", "remarks"}
# A modal before a speech verb makes it what someone will or might say, not what they said.
MODALS = {"will", "would", "'ll", "’ll", "'d", "’d", "may", "might", "could", "should", "shall", "can", "must"}
# "challenged him to say …": the words someone was asked to say.
REQUEST_VERBS = {"challenge", "ask", "urge", "call", "invite", "dare", "tell", "want", "refuse", "decline",
                 "demand", "press", "push", "encourage", "order", "instruct", "beg", "implore", "pressure"}
# Nouns that stand for an organisation's own words.
STATEMENT_NOUNS = {"statement", "statements", "release", "communique", "communiqué", "announcement", "readout",
                   "report", "memo", "letter", "notice", "post", "tweet", "document", "declaration", "filing"}

# -- people: titles, roles and gender ------------------------------------------------------
FORMS_OF_ADDRESS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"}
# Forms of address skipped when reading role words and name runs.
HONORIFIC_WORDS = FORMS_OF_ADDRESS | {"madam", "cllr", "councillor"}
# Titles of office written before a name ("Prime Minister", "Gen.", "Spokesman").
OFFICE_TITLES = {
    "president", "vice", "prime", "minister", "secretary", "senator", "sen", "rep", "gov", "governor",
    "general", "gen", "colonel", "captain", "chancellor", "king", "queen", "prince", "pope", "judge",
    "justice", "mayor", "ambassador", "chairman", "chairwoman", "director", "spokesman", "spokeswoman",
    "spokesperson", "foreign", "deputy", "chief", "premier", "prof", "professor",
}
# Words a name parser strips from the front of a name.
HONORIFICS = FORMS_OF_ADDRESS | OFFICE_TITLES | {
    "capt", "chair", "col", "emir", "princess", "rev", "reverend", "saint", "sheikh", "st", "sultan",
}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}
# Words of a title or role that are never part of a person's or organisation's name.
# ("miss", "mx", "dame" and "lady" never counted here: kept as they were.)
TITLE_WORDS = (FORMS_OF_ADDRESS - {"miss", "mx", "dame", "lady"}) | OFFICE_TITLES | {
    "press", "envoy", "editor", "aide", "adviser", "advisor", "commissioner", "leader", "head", "officer",
    "official", "secretary-general", "state", "defense", "defence", "interior", "finance", "health",
    "attorney", "lieutenant", "coach", "ceo", "executive", "policy",
}
# Descriptions that pick out the same kind of source ("the spokesman" ~ "spokesperson").
HEAD_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "spokespeople": "spokesperson", "official": "official", "officials": "official", "source": "source",
    "sources": "source", "person": "source", "people": "source", "individual": "source",
    "diplomat": "diplomat", "diplomats": "diplomat", "envoy": "envoy", "aide": "aide", "adviser": "adviser",
    "advisor": "adviser", "minister": "minister", "president": "president", "leader": "leader",
    "secretary": "secretary", "chief": "chief", "director": "director", "ambassador": "ambassador",
    "editor": "editor", "analyst": "analyst", "expert": "expert", "officer": "officer",
    "executive": "executive", "chairman": "chair", "chairwoman": "chair", "chair": "chair",
    "premier": "premier", "chancellor": "chancellor", "governor": "governor", "mayor": "mayor",
    "senator": "senator", "lawmaker": "lawmaker", "negotiator": "negotiator", "general": "general",
    "commander": "commander", "professor": "professor", "researcher": "researcher", "lawyer": "lawyer",
    "attorney": "lawyer", "witness": "witness", "resident": "resident", "doctor": "doctor",
    "economist": "economist", "ceo": "executive", "founder": "founder", "manager": "manager",
    "coach": "coach", "captain": "captain", "judge": "judge", "prosecutor": "prosecutor",
    "representative": "representative", "head": "head", "counterpart": "counterpart",
}
# Rank words: a deputy minister is not "the minister".
QUALIFIERS = {"deputy", "vice", "assistant", "acting", "former", "junior", "associate", "interim", "ex"}
# Common nouns that name people ("trader", "residents"), not things.
PERSON_NOUNS = {
    "people", "person", "resident", "residents", "witness", "witnesses", "police", "family", "relative",
    "friend", "colleague", "critic", "supporter", "opponent", "campaigner", "activist", "lawmaker", "mp",
    "mps", "voter", "fan", "parent", "neighbour", "neighbor", "villager", "student", "teacher", "doctor",
    "nurse", "farmer", "survivor", "victim", "spokesman", "spokeswoman", "spokesperson", "official",
    "source", "aide", "staff", "crew", "union", "chief", "head", "boss", "expert", "analyst", "insider",
    "diplomat", "minister", "secretary", "president", "envoy", "adviser", "advisor", "lawyer", "attorney",
    "judge", "prosecutor", "officer", "commander", "general", "leader", "member", "members", "owner",
    "customer", "passenger", "patient", "guest", "tourist", "shopper", "investor", "trader", "economist",
    "scientist", "researcher", "historian", "journalist", "reporter", "editor", "executive", "founder",
    "director", "manager", "coach", "player", "captain", "daughter", "son", "mother", "father", "wife",
    "husband", "sister", "brother", "man", "woman", "men", "women", "child", "children", "mayor", "governor",
    "senator", "councillor", "organiser", "organizer", "protester", "protestor", "demonstrator", "worker",
    "employee", "representative", "negotiator", "mediator", "observer", "monitor", "citizen", "local",
}
# Endings of nouns for people ("campaigner", "economist"), for nouns not listed above.
PERSON_SUFFIXES = ("ist", "ian", "ant", "ent", "eer", "ier", "ee", "or", "er", "ess")
GENDERED_WORDS = {
    "spokeswoman": "f", "chairwoman": "f", "congresswoman": "f", "businesswoman": "f", "mrs": "f",
    "ms": "f", "miss": "f", "madam": "f", "queen": "f", "princess": "f", "mother": "f", "wife": "f",
    "woman": "f", "daughter": "f", "sister": "f", "actress": "f", "duchess": "f", "lady": "f", "dame": "f",
    "spokesman": "m", "chairman": "m", "congressman": "m", "businessman": "m", "mr": "m", "king": "m",
    "prince": "m", "father": "m", "husband": "m", "man": "m", "son": "m", "brother": "m", "sir": "m",
    "lord": "m", "duke": "m",
}

# Lower-case words inside names in many naming traditions ("Ursula von der Leyen", "Luiz Inácio
# Lula da Silva", "Abdullah bin Zayed"); every other word of a name is capitalised.
NAME_PARTICLES = {"de", "da", "di", "do", "del", "della", "der", "den", "des", "van", "von", "la", "le", "du", "dos",
                  "das", "bin", "ibn", "al", "el", "ter", "ten", "y", "zu", "af", "bint", "ben"}

# Words a title-cased title leaves in lower case ("Zombies on Film: The Story of the Undead").
TITLE_CASE_MINOR_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "on", "in", "to", "for", "at", "by",
                          "with", "from", "as", "into", "over", "vs"}

# -- pronouns --------------------------------------------------------------------------------
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_PRONOUNS = {"they", "them", "their", "we"}
PRONOUNS = set(PRONOUN_GENDER) | PLURAL_PRONOUNS | {"i", "it", "who", "which", "that", "you"}

# -- organisations -----------------------------------------------------------------------------
# Nouns for kinds of institution, both as a common noun ("the ministry said") and inside a name.
INSTITUTION_NOUNS = {
    "agency", "association", "authority", "bank", "board", "club", "commission", "committee", "company",
    "council", "court", "department", "group", "institute", "ministry", "office", "party", "union",
    "university",
}
# Common nouns that stand for an organisation ("the company said").
ORGANISATION_NOUNS = INSTITUTION_NOUNS | {
    "firm", "government", "airline", "carmaker", "automaker", "retailer", "organisation", "organization",
    "charity", "regulator", "embassy", "campaign", "team", "league", "federation", "army", "military",
    "police", "hospital", "school", "network", "broadcaster", "newspaper", "publisher", "platform",
    "startup", "manufacturer", "operator", "insurer", "lender",
}
# Words that make a capitalised run an organisation's name rather than a person's.
ORG_NAME_WORDS = INSTITUTION_NOUNS | {"house", "fund", "foundation", "news", "times", "post", "corp", "inc"}
# The kind of body an organisation's name suggests: the first pattern that matches its lower-cased
# name wins, so the order matters. Kinds are the values of quotes.models.Organisation.Kind.
ORG_KIND_PATTERNS = [
    ("news_agency", r"\b(news|press|agency|times|post|herald|tribune|journal|gazette|broadcast\w*|radio|television|tv)\b"),
    ("international", r"\b(united nations|nations|international|world|european union|alliance|organi[sz]ation for)\b"),
    ("think_tank", r"\b(institute|institution|think tank|foundation|centre|center|council on|atlantic council)\b"),
    ("government", r"\b(ministry|department|government|office|cabinet|parliament|congress|senate|house|council|agency|administration|embassy|police|army|military|kremlin|commission)\b"),
    ("party", r"\b(party)\b"),
    ("company", r"\b(inc|ltd|plc|corp|corporation|company|group|bank)\b"),
]
ORG_KIND_OTHER = "other"
