"""Every environment variable the settings read is documented for the practice owner."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""env_(?:str|bool|int|list|float)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_every_variable_the_settings_read_is_in_docs_settings():
    read = {
        name
        for path in (ROOT / "practice" / "settings").glob("*.py")
        for name in READ.findall(path.read_text())
    }
    documented = (ROOT / "docs" / "settings.md").read_text()
    assert read
    assert {name for name in read if f"`{name}`" not in documented} == set()
