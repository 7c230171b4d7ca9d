"""docs/clinical-screening.md, which the practitioner signs, lists what the code asks."""

from pathlib import Path

import pytest

from booking import questions

DOC = (Path(__file__).resolve().parents[2] / "docs" / "clinical-screening.md").read_text()


@pytest.mark.parametrize("question", list(questions.QUESTIONS.values()), ids=lambda q: q.key)
def test_every_question_is_in_the_document_word_for_word(question):
    row = next((line for line in DOC.splitlines() if f"`{question.key}`" in line), None)
    assert row is not None, f"{question.key} is asked but not documented"
    assert question.text in row, f"{question.key}: the document's words differ from the form's"


def test_the_document_names_no_question_the_form_no_longer_asks():
    documented = {
        line.split("`")[1]
        for line in DOC.splitlines()
        if line.startswith("| `") and line.split("`")[1].startswith(("red_", "screen_"))
    }
    assert documented == set(questions.QUESTIONS)
