"""The word lists: each written once, and the lists built from one another stay consistent."""
import ast
from pathlib import Path

from quotes.extraction import lexicon
from quotes.models import Organisation


def _literals():
    tree = ast.parse(Path(lexicon.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Set):
            yield [ast.literal_eval(e) for e in node.elts]
        elif isinstance(node, ast.Dict):
            yield [ast.literal_eval(k) for k in node.keys]


def test_no_literal_repeats_a_word():
    for words in _literals():
        repeated = sorted({w for w in words if words.count(w) > 1}, key=repr)
        assert not repeated, repeated


def test_words_are_lower_case():
    for name in dir(lexicon):
        value = getattr(lexicon, name)
        if name.isupper() and isinstance(value, (set, dict)):
            for word in value:
                if isinstance(word, str):
                    assert word == word.lower(), (name, word)


def test_shared_words_come_from_one_list():
    assert lexicon.INVERTING_VERBS | lexicon.WEAK_SPEECH_VERBS <= lexicon.SPEECH_VERBS
    assert lexicon.FORMS_OF_ADDRESS <= lexicon.HONORIFICS & lexicon.HONORIFIC_WORDS
    assert lexicon.OFFICE_TITLES <= lexicon.HONORIFICS & lexicon.TITLE_WORDS
    assert lexicon.INSTITUTION_NOUNS <= lexicon.ORGANISATION_NOUNS & lexicon.ORG_NAME_WORDS
    assert set(lexicon.PRONOUN_GENDER) | lexicon.PLURAL_PRONOUNS <= lexicon.PRONOUNS


def test_organisation_kinds_are_model_choices():
    kinds = [kind for kind, _ in lexicon.ORG_KIND_PATTERNS] + [lexicon.ORG_KIND_OTHER]
    assert set(kinds) <= set(Organisation.Kind.values)
