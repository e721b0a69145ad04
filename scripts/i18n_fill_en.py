"""English is the source language: fill every empty English msgstr with its msgid.

Run by `make i18n-update` after pybabel has merged new strings into the catalogs.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "locales" / "en" / "LC_MESSAGES" / "messages.po"

with PATH.open("rb") as handle:
    catalog = read_po(handle, locale="en")
catalog.fuzzy = False
for message in catalog:
    if message.id and not message.string:
        message.string = message.id
with PATH.open("wb") as handle:
    write_po(handle, catalog, width=100)
