"""The article's list of who was mentioned: one person under every form of their name."""
from quotes.extraction.referents import Registry


def test_a_given_name_alone_and_a_family_name_written_first_join_the_full_name():
    registry = Registry()
    anna, geng = registry.person("Anna Pickard", 0), registry.person("Geng Shuang", 10)
    assert registry.person("Anna", 40) is anna and registry.person("Geng", 60) is geng
    assert anna.name == "Anna Pickard" and geng.name == "Geng Shuang"


def test_someone_called_by_one_word_gets_the_full_name_given_later():
    registry = Registry()
    geng = registry.person("Geng", 0)
    assert registry.person("Geng Shuang", 30) is geng and geng.name == "Geng Shuang"


def test_a_word_in_the_middle_of_a_longer_name_joins_no_one():
    registry = Registry()
    berg = registry.person("Berg", 0)
    tags = registry.person("Club Berg Harbour Rovers", 50)  # a topics line, not Berg's full name
    assert tags is not berg and berg.name == "Berg"


def test_a_word_in_two_peoples_names_joins_neither():
    registry = Registry()
    hal, fran = registry.person("Hal Finney", 0), registry.person("Fran Finney", 20)
    alone = registry.person("Hal", 40)
    assert alone is hal  # the given name is Hal's only
    assert registry.person("Finney", 60) is fran  # a bare surname joins the latest full name, as before
