"""Fill English msgstrs from a JSON glossary and report what is still untranslated.

    python scripts/po_fill.py locale/en_glossary.json   # after manage.py makemessages

The glossary maps "context\x04msgid" (or plain msgid) to the English text; it is the translators'
working file and is kept in the repository beside the catalogues.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(glossary_path: str) -> int:
    glossary = json.loads(Path(glossary_path).read_text(encoding="utf-8"))
    po = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    missing = []
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        text = glossary.get(key) or glossary.get(entry.msgid)
        if text:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text, 1: glossary.get(entry.msgid_plural, text)}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # A fuzzy guess of msgmerge is another string's translation: drop it, report the entry.
            entry.msgstr = ""
            entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            missing.append(key.replace("\x04", " | "))
    po.metadata["Language"] = "en"
    po.save()
    for key in missing:
        print(f"untranslated: {key}")
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "locale/en_glossary.json")))
