"""The PEG scored as Krebs et al. (J Gen Intern Med 2009) define it: the mean of three 0-10
answers. The worked examples below are derived by hand from that definition."""

from fractions import Fraction

import pytest

from booking.progress.chart import score_chart
from booking.progress.peg import Change, PegAnswers, change, shown


@pytest.mark.parametrize(
    ("pain", "enjoyment", "activity", "score", "written"),
    [
        (0, 0, 0, Fraction(0), "0.0"),  # no pain, no interference
        (10, 10, 10, Fraction(10), "10.0"),  # the worst on every item
        (5, 5, 5, Fraction(5), "5.0"),
        (7, 6, 7, Fraction(20, 3), "6.7"),  # (7 + 6 + 7) / 3 = 6.666...
        (3, 4, 4, Fraction(11, 3), "3.7"),  # 11 / 3 = 3.666...
        (8, 2, 3, Fraction(13, 3), "4.3"),  # 13 / 3 = 4.333...
        (1, 0, 0, Fraction(1, 3), "0.3"),
        (9, 10, 10, Fraction(29, 3), "9.7"),
    ],
)
def test_the_score_is_the_mean_of_the_three_answers(pain, enjoyment, activity, score, written):
    answers = PegAnswers(pain=pain, enjoyment=enjoyment, activity=activity)
    assert answers.score == score
    assert shown(answers.score) == written


def test_the_order_of_the_items_does_not_change_the_score():
    assert PegAnswers(2, 9, 4).score == PegAnswers(9, 4, 2).score == 5


@pytest.mark.parametrize("bad", [-1, 11, 5.5, "5", None, True])
def test_an_answer_outside_0_to_10_or_not_whole_is_refused(bad):
    with pytest.raises(ValueError):
        PegAnswers(pain=bad, enjoyment=5, activity=5)


def test_the_change_from_the_first_answers_to_the_latest():
    first = PegAnswers(8, 7, 6).score  # 7
    middle = PegAnswers(9, 9, 9).score
    latest = PegAnswers(5, 5, 4).score  # 14/3
    moved = change([first, middle, latest])
    assert moved.points == Fraction(-7, 3)
    assert moved.percent == -33  # (14/3 - 7) / 7 = -1/3
    assert moved.text == "down 2.3 points (33% lower) since the first answers"
    assert change([latest]) is None


def test_a_change_from_zero_has_no_percentage_and_no_change_says_so():
    assert Change(first=Fraction(0), latest=Fraction(2)).text == (
        "up 2.0 points since the first answers"
    )
    assert Change(first=Fraction(4), latest=Fraction(4)).text == "the same as the first answers"


def test_the_chart_places_thirds_between_the_gridlines():
    chart = score_chart([("Jan 5", PegAnswers(7, 6, 7).score), ("Feb 2", Fraction(5))])
    assert [p.shown for p in chart["points"]] == [
        "6.7",
        "5.0",
    ]
    # 0-10 maps to y 184..36 (220 high, 36 margins): 20/3 sits a third of the way from 10.
    assert chart["points"][0].y == round(36 + 148 * (1 - 20 / 30), 1)
    assert chart["first"] == "6.7" and chart["last"] == "5.0"
    assert score_chart([("Jan 5", 3)]) is None
