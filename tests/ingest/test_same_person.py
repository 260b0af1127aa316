"""The same-person rule on plain data: no database."""
from quotes.ingest.speakers import KnownSpeaker, SamePerson, mention_lookup_keys, same_person

KREMLIN, WHITE_HOUSE = 1, 2


def never_read():
    raise AssertionError("the name rule must not read candidates when an alias key matched")
    yield  # pragma: no cover


def test_lookup_keys_are_the_full_names_else_the_first_form():
    assert mention_lookup_keys(["Sergei Lavrov", "Lavrov", "Sergey Lavrov"]) == ["sergei lavrov", "sergey lavrov"]
    assert mention_lookup_keys(["Lavrov", "Mr. Lavrov"]) == ["lavrov"]
    assert mention_lookup_keys(["", "!!"]) == []


def test_nobody_known_is_a_new_person():
    assert same_person("Anna Berg", None, [], []) == SamePerson(None)


def test_an_alias_key_match_wins_without_comparing_names():
    peskov = KnownSpeaker(7, "Dmitry Peskov", KREMLIN)
    assert same_person("Dmitry Peskov", None, [peskov], never_read()) == SamePerson(7, by_key=True)


def test_several_key_matches_prefer_the_same_organisation_else_the_first():
    a, b = KnownSpeaker(1, "John Smith", WHITE_HOUSE), KnownSpeaker(2, "John Smith", KREMLIN)
    assert same_person("John Smith", KREMLIN, [a, b], []).speaker_id == 2
    assert same_person("John Smith", 99, [a, b], []).speaker_id == 1
    assert same_person("John Smith", None, [b, a], []).speaker_id == 2


def test_transliterations_and_spelling_variants_are_the_same_person():
    lavrenko = KnownSpeaker(3, "Sergei Lavrenko")
    assert same_person("Sergey Lavrenko", None, [], [lavrenko]) == SamePerson(3)
    kovalenkyy = KnownSpeaker(4, "Oleksandr Kovalenkyy")
    assert same_person("Oleksandr Kovalenkiy", None, [], [kovalenkyy]) == SamePerson(4)


def test_an_alias_of_the_candidate_can_make_the_fit():
    speaker = KnownSpeaker(5, "Lavrenko", aliases=("Sergei Lavrenko",))
    assert same_person("Sergey Lavrenko", None, [], [speaker]).speaker_id == 5


def test_people_sharing_a_surname_are_not_the_same_person():
    assert same_person("Thomas Berg", None, [], [KnownSpeaker(1, "Anna Berg")]) == SamePerson(None)


def test_bare_surname_fitting_two_people_is_a_new_person_unless_the_organisation_tells():
    anna, thomas = KnownSpeaker(1, "Anna Berg", KREMLIN), KnownSpeaker(2, "Thomas Berg", WHITE_HOUSE)
    assert same_person("Berg", None, [], [anna, thomas]) == SamePerson(None)
    assert same_person("Berg", WHITE_HOUSE, [], [anna, thomas]) == SamePerson(2)


def test_bare_surname_whose_only_fit_has_another_organisation_is_a_new_person():
    anna = KnownSpeaker(1, "Anna Berg", KREMLIN)
    assert same_person("Berg", WHITE_HOUSE, [], [anna]) == SamePerson(None)
    assert same_person("Berg", KREMLIN, [], [anna]) == SamePerson(1)
    assert same_person("Berg", None, [], [anna]) == SamePerson(1)
    assert same_person("Berg", WHITE_HOUSE, [], [KnownSpeaker(1, "Anna Berg")]) == SamePerson(1)
    # a full name is the person even where the organisations differ
    assert same_person("Anna Berg", WHITE_HOUSE, [], [anna]) == SamePerson(1)


def test_fuller_name_replaces_the_name_unless_a_curator_edited_the_speaker():
    assert same_person("Chidi Okonkwo", None, [], [KnownSpeaker(8, "Okonkwo")]) == SamePerson(8, rename=True)
    assert same_person("Chidi Okonkwo", None, [], [KnownSpeaker(8, "Okonkwo", curated=True)]) == SamePerson(8)
    assert same_person("Okonkwo", None, [], [KnownSpeaker(8, "Chidi Okonkwo")]) == SamePerson(8)
    assert same_person("Chidi Okonkwo", None, [KnownSpeaker(8, "Okonkwo")], []) == SamePerson(8, True, True)
