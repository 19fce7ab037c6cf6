"""A damaged file's message reads as a sentence, not as Python's cut-off words."""

import json

import pytest

from tui.store.errors import json_problem


@pytest.mark.parametrize("text, phrase", [('{"a": "x\ty"}', "an invalid control character"),
                                          ('{"a": ', "expecting value"),
                                          ('{"a": "x', "an unterminated string")])
def test_json_errors_read_as_phrases(text, phrase):
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    assert json_problem(caught.value.msg) == phrase
