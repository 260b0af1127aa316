"""The extractor, pattern by pattern, on short passages written for these tests.

Each case is a passage and the quotations a careful reader would list with their sources:
(start of the quoted words, speaker name or None, organisation or None). Names and outlets
here are invented; none comes from the seed articles.
"""
import pytest

from quotes.extraction import extract_from_cleaned

CASES = {
    "X said after the quote": (
        "“We will keep the border open,” Interior Minister Carla Mendes said on Monday.",
        [("We will keep the border open", "Carla Mendes", None)],
    ),
    "said X (inverted)": (
        '"The strike will go on until we are heard," said Maria Costa, the union\'s spokeswoman.',
        [("The strike will go on", "Maria Costa", None)],
    ),
    "X said with a colon before the quote": (
        "Harbour master Olav Lind was blunt. Lind said: “No ship leaves before the storm has passed.”",
        [("No ship leaves", "Olav Lind", None)],
    ),
    "X added with a comma before the quote": (
        "Energy analyst Priya Raman expects prices to fall.\n\n"
        "Raman added, “The winter will be easier than anyone thought a month ago.”",
        [("The winter will be easier", "Priya Raman", None)],
    ),
    "X told Y": (
        "“Nobody in this village has slept for three nights,” farmer Tomasz Nowak told Radio Lumen.",
        [("Nobody in this village", "Tomasz Nowak", None)],
    ),
    "X went on": (
        "Coach Ilse Berger praised her team.\n\n"
        "“They ran for ninety minutes and never stopped believing,” Berger went on.",
        [("They ran for ninety minutes", "Ilse Berger", None)],
    ),
    "according to X": (
        "The agreement is “dead in the water”, according to Senator Ruth Okafor, who leads the committee.",
        [("dead in the water", "Ruth Okafor", None)],
    ),
    "quote split around the attribution": (
        "“We are ready to sign,” the trade minister, Jonas Weber, said, “but not at any price.”",
        [("We are ready to sign", "Jonas Weber", None), ("but not at any price", "Jonas Weber", None)],
    ),
    "pronoun: he said": (
        "Finance Minister Samuel Adeyemi presented the budget on Tuesday.\n\n"
        "“This budget protects the poorest households first,” he said.",
        [("This budget protects", "Samuel Adeyemi", None)],
    ),
    "pronoun agrees in gender": (
        "Mayor Daniel Roth met the scientist Helena Varga at the lake.\n\n"
        "“The water is cleaner than it has been for thirty years,” she said.",
        [("The water is cleaner", "Helena Varga", None)],
    ),
    "pronoun in a statement": (
        "Clara Jensen, spokeswoman for the Nordic Rail Authority, confirmed the closure.\n\n"
        "“Safety comes before timetables, and the line stays closed until the bridge is inspected,” "
        "she said in a statement.",
        [("Safety comes before timetables", "Clara Jensen", "Nordic Rail Authority")],
    ),
    "title: the spokesperson added": (
        "Talks will resume on Friday, a spokesperson for the Harbour Authority said.\n\n"
        "Any deal must include “fair pay for night shifts,” the spokesperson added.",
        [("fair pay for night shifts", None, None)],
    ),
    "title resolves to the named person": (
        "Chief Executive Marta Silva announced the merger in Lisbon.\n\n"
        "“We will not close a single branch,” the chief executive said.",
        [("We will not close a single branch", "Marta Silva", None)],
    ),
    "anonymous official, then the official": (
        "A senior police official, speaking on condition of anonymity, said the suspects were "
        "“known to the authorities”.\n\n"
        "“We expect more arrests within days,” the official added.",
        [("known to the authorities", None, None), ("We expect more arrests", None, None)],
    ),
    "continuation paragraph": (
        "“The harvest is the worst in a generation,” said Aliyu Bello, who farms near the river.\n\n"
        "“Half the fields were under water for a month, and the rest dried out in the heat that followed.”",
        [("The harvest is the worst", "Aliyu Bello", None), ("Half the fields", "Aliyu Bello", None)],
    ),
    "multi-paragraph quote without closing mark": (
        "Judge Rosa Albers read her ruling aloud. “The law is clear on this point.\n\n"
        "“No authority may detain a person without telling them why, and none did so here.”",
        [("The law is clear", "Rosa Albers", None), ("No authority may detain", "Rosa Albers", None)],
    ),
    "nested single quotes stay inside": (
        "“My grandmother used to say ‘the sea gives and the sea takes’, and she was right,” "
        "fisherman Yannis Petrou said.",
        [("My grandmother used to say", "Yannis Petrou", None)],
    ),
    "partial quote in a reporting sentence": (
        "Foreign Minister Ana Duarte warned of “grave consequences” if the ceasefire collapsed.",
        [("grave consequences", "Ana Duarte", None)],
    ),
    "organisation statement": (
        "In a statement on Monday, the Coastal Water Board said supplies were safe.\n\n"
        "“There is no risk to drinking water in any district,” the statement said.",
        [("There is no risk", None, "Coastal Water Board")],
    ),
    "organisation as speaker": (
        "“The exercises are purely defensive,” the Defence Ministry said.",
        [("The exercises are purely defensive", None, "Defence Ministry")],
    ),
    "straight quotes and apostrophes": (
        "\"It's the people's choice, not the party's,\" said councillor Sean O'Malley.",
        [("It's the people's choice", "Sean O'Malley", None)],
    ),
    "plural possessive does not open a quote": (
        "The ministers’ statement was short. “We stand together,” said Premier Lena Holm.",
        [("We stand together", "Lena Holm", None)],
    ),
    "pronoun after a narrative paragraph about the speaker": (
        "Goalkeeper Ines Kovac was the hero of the night.\n\n"
        "She was generous in her praise of the defence, which had held firm all season.\n\n"
        "“I only had to make two saves. The others did all the work.”",
        [("I only had to make two saves", "Ines Kovac", None)],
    ),
    "a name sub-heading introduces the quote paragraph": (
        "Weekend reaction from the league's managers.\n\n"
        "Tomas Hradek\n\n"
        "“We were sloppy for an hour and then we woke up. I can live with that.”",
        [("We were sloppy for an hour", "Tomas Hradek", None)],
    ),
    "what someone will say is not attributed to them": (
        "A senior official said President Aldo Ferraro would tell the summit that the bloc was "
        "“ready to talk, but not to wait”.",
        [("ready to talk, but not to wait", None, None)],
    ),
    "the object of prompted … to say speaks": (
        "Columnist Ruth Amsel criticised the mayor, which prompted councillor Piet Visser to say "
        "“she has never attended a single meeting”.",
        [("she has never attended a single meeting", "Piet Visser", None)],
    ),
    "curly opening mark closed by a straight one": (
        "Asked if he would resign, airline chief Marco Bellini replied: “No, I need to stay and fix this.\"",
        [("No, I need to stay", "Marco Bellini", None)],
    ),
    "a country before the title is not the speaker": (
        "“Congratulations on a remarkable comeback!” Norway Prime Minister Hilde Strand wrote on X.",
        [("Congratulations on a remarkable comeback", "Hilde Strand", None)],
    ),
    "sentence marks inside the quotation do not end the attribution sentence": (
        "“Was it perfect? No. Was it enough? Yes!” said Kowalczyk, the home side's coach.",
        [("Was it perfect?", "Kowalczyk", None)],
    ),
    "an unnamed source described by a common noun": (
        "“Nobody knows anything,” one trader said.",
        [("Nobody knows anything", None, None)],
    ),
    "a cue before the next quotation is not this quotation's": (
        "Senator Ruth Okafor called the vote “a missed opportunity.” He added, “Families still pay.”\n\n"
        "Okafor's colleague Ben Adler agreed.",
        [("a missed opportunity.", "Ruth Okafor", None), ("Families still pay.", None, None)],
    ),
    "hyphenated names stay whole": (
        "“We respect the bank's independence,” press secretary Anne-Marie Dubois said.",
        [("We respect the bank's independence", "Anne-Marie Dubois", None)],
    ),
    "asked to say is not saying": (
        "Prime Minister Olga Ivanova called the plan an “important step” and challenged the "
        "opposition leader, Marek Novak, to say which taxes he would raise.",
        [("important step", "Olga Ivanova", None)],
    ),
    "the reaction of X": (
        "“Finally — good news!” was the first reaction of Marta Lind, director of the Tenants' Union.",
        [("Finally — good news!", "Marta Lind", None)],
    ),
    "a pull-quote credit line": (
        "Markets rose on Wednesday.\n\n“Broadly speaking, prices are moving as we expected.” Bank Governor Arjun Mehta",
        [("Broadly speaking, prices are moving", "Arjun Mehta", None)],
    ),
    "the person accused is not the speaker": (
        "Councillor Ida Brandt was accused of being “reckless” with public money.",
        [("reckless", None, None)],
    ),
    "a reporting verb above an organisation's verb speaks": (
        "Foreign Minister Pablo Ortega called the attack a “cowardly crime”, saying Madrid condemns "
        "“violence in all its forms”.",
        [("cowardly crime", "Pablo Ortega", None), ("violence in all its forms", "Pablo Ortega", None)],
    ),
    "a quotation paragraph after indirect speech by a person named beside a title": (
        "The mayor, Ines Carvalho, said on Monday that the budget was balanced. She added that taxes would "
        "not rise.\n\n“Nobody will pay more next year. That is a promise I made and I keep it.”",
        [("Nobody will pay more next year", "Ines Carvalho", None)],
    ),
    "a name right after the verb between the pieces of a split quotation": (
        "Regulator Hanna Kowal said on Tuesday she would ask for a bigger budget.\n\n"
        "“Abusive practices by an adviser,” said Kowal, “are very hard for a saver to detect.”",
        [("Abusive practices by an adviser", "Hanna Kowal", None), ("are very hard", "Hanna Kowal", None)],
    ),
    "a surname the tagger takes for an organisation, written in full inside a quotation": (
        "“Savers trust Advocate Rick Fleming to speak for them,” the report said.\n\n"
        "“Fraud can be very difficult for an individual investor to detect,” said Fleming.",
        [("Savers trust", None, None), ("Fraud can be", "Rick Fleming", None)],
    ),
    "spoke of a quoted word": (
        "In a speech in Oslo, Harbour master Mike Holm spoke of “anxiety” over the future of the port.",
        [("anxiety", "Mike Holm", None)],
    ),
    "a headline that opens with a name and ends with their words after a colon": (
        "Marta Lind, 58, opens her garden to the town: ‘Anyone can grow beans’\n\nThe garden opened on Sunday.",
        [("Anyone can grow beans", "Marta Lind", None)],
    ),
    "a cue reached through an adverb": (
        "Coach Mike Holm was much less diplomatic, going so far as to call the decision “ridiculous.”",
        [("ridiculous.", "Mike Holm", None)],
    ),
    "a cue in a clause under a preposition speaks for the sentence's subject": (
        "Councillor Ida Brandt stirred the row by sharing one of the mayor's posts and accusing him of "
        "“playing the victim” on Monday.",
        [("playing the victim", "Ida Brandt", None)],
    ),
    "a parenthetical reporting clause governs the sentence it sits in": (
        "The harbour board, Ana Ruiz explains, had always been about “keeping the ferries running.”",
        [("keeping the ferries running.", "Ana Ruiz", None)],
    ),
    "the one said to believe it is the source": (
        "Ana Ruiz, who was mayor until May, is said to believe that the plan was a “historic mistake” that hurt the town.",
        [("historic mistake", "Ana Ruiz", None)],
    ),
    "the text's pronoun decides for a name that may be either gender": (
        "Turnout fell in the north, where Mayor John Berg won every seat.\n\n"
        "“It makes it harder for us,” said pollster Kim Lund. “The map moves south.”\n\n"
        "“It is not dramatic,” he added, “but in a close race it matters.”",
        [("It makes it harder", "Kim Lund", None), ("The map moves south", "Kim Lund", None),
         ("It is not dramatic", "Kim Lund", None), ("but in a close race", "Kim Lund", None)],
    ),
    "a quotation paragraph after indirect speech goes to the reporter, not to whom it reports on": (
        "“What you see on screen is what the actors get,” the director Ana Ruiz said.\n\n"
        "She said Isaac zeroed in on a period of civil unrest in the country after the war.\n\n"
        "“I thought it was a cool opportunity to tie in what his character was going to face.”",
        [("What you see on screen", "Ana Ruiz", None), ("I thought it was a cool opportunity", "Ana Ruiz", None)],
    ),
    "a family name written first joins the full name": (
        "Foreign ministry spokesman Wu Jianmin told reporters the talks were useful. “We will keep talking,” "
        "Wu said on Tuesday.",
        [("We will keep talking", "Wu Jianmin", None)],
    ),
    "a clause coordinated with the cue is not reported speech": (
        "The health agency recommends masks in schools, and a 2021 law requires schools to follow its "
        "guidance “as far as practicable.”",
        [],
    ),
}

NOT_QUOTES = {
    "scare quotes": "The so-called “peace plan” was unveiled on Monday in the capital.",
    "a title of a work": "Her memoir, “Tides”, sold two million copies in its first year.",
    "a title-cased title of a work in prose": "The historian Ravi Menon, author of “Rivers of Salt: A Coastal "
                                            "History of Trade,” spent a decade in the archives.",
    "a heading": "Not just ‘business as usual’\n\nThe talks opened on Monday in the capital.",
    "a place name": "Residents described the flood as another “Lynmouth” on Sunday.",
    "a thing that is not a person does not speak": "The probe “phoned home,” indicating that it had survived the flyby intact.",
    "an unbalanced stray mark": 'Officials called the plan "bold and the opposition called it "reckless.',
}


def find(result, start):
    matches = [q for q in result.quotes if q.text.startswith(start)]
    assert matches, f"no quote starting {start!r} in {[q.text for q in result.quotes]}"
    return matches[0]


@pytest.mark.parametrize("name", list(CASES))
def test_pattern(name, nlp):
    passage, expected = CASES[name]
    result = extract_from_cleaned(passage, nlp=nlp)
    for start, speaker, organisation in expected:
        quote = find(result, start)
        assert quote.speaker == speaker, f"{name}: {quote}"
        if organisation:
            assert organisation in (quote.organisation or ""), f"{name}: {quote}"
        assert passage[quote.start:quote.end] == quote.text
    assert len(result.quotes) == len(expected), [q.text for q in result.quotes]


@pytest.mark.parametrize("name", list(NOT_QUOTES))
def test_not_speech(name, nlp):
    assert extract_from_cleaned(NOT_QUOTES[name], nlp=nlp).quotes == []


def test_partial_and_full_kinds(nlp):
    passage = ("Foreign Minister Ana Duarte warned of “grave consequences” on Monday.\n\n"
               "“We will answer any attack,” Duarte said.")
    result = extract_from_cleaned(passage, nlp=nlp)
    assert [q.kind for q in result.quotes] == ["partial", "full"]


def test_confidence_is_higher_for_explicit_names_than_for_guesses(nlp):
    passage = ("Mayor Daniel Roth opened the bridge.\n\n"
               "“A great day for the town,” Roth said.\n\n"
               "The town has waited since 1990 for a new crossing, and traffic has doubled since.\n\n"
               "“We will build another one,” he said.")
    result = extract_from_cleaned(passage, nlp=nlp)
    explicit, pronoun = find(result, "A great day"), find(result, "We will build")
    assert explicit.speaker == pronoun.speaker == "Daniel Roth"
    assert explicit.confidence > pronoun.confidence
    assert (explicit.method, pronoun.method) == ("explicit", "pronoun")


def test_role_and_organisation_from_the_text(nlp):
    passage = ("“Prices will fall by spring,” Central Bank spokesman Marco Ferri said.\n\n"
               "“The worst is behind us,” said Ines Moreau, chief economist at the Lumen Institute.")
    result = extract_from_cleaned(passage, nlp=nlp)
    people = {s.name: s for s in result.speakers}
    assert people["Marco Ferri"].role == "Central Bank spokesman"
    assert people["Marco Ferri"].organisation == "Central Bank"
    assert people["Ines Moreau"].organisation == "Lumen Institute"
    assert "chief economist" in people["Ines Moreau"].role


def test_surname_only_mention_uses_the_full_name(nlp):
    passage = ("Union leader Maria Costa called the strike.\n\n“We are not afraid,” Costa said.")
    result = extract_from_cleaned(passage, nlp=nlp)
    assert find(result, "We are not afraid").speaker == "Maria Costa"
    assert "Costa" in result.speakers[0].aliases


@pytest.mark.parametrize("passage,title", [
    ("The historian, author of “Rivers of Salt: A Coastal History,” spent a decade in the archives.", True),
    ("Ortega: “We Will Not Sign This Deal”", False),  # a headline line: headlines quote in title case
    ("Crowds outside the station chanted “Free the Harbour Nine!” as the minister arrived.", False),
    ("She listed “the Navy, the Army and the Coast Guard” among those it would call.", False),
])
def test_a_title_is_told_from_speech_by_its_case_and_its_line(passage, title):
    from quotes.extraction.pipeline import is_a_title
    from quotes.extraction.spans import find_spans

    [span] = find_spans(passage)
    assert is_a_title(passage, span) is title

