"""The message catalog: extract, update, compile (``make messages`` runs all three).

    python tools/messages.py            # extract + update + compile
    python tools/messages.py compile    # only the .mo files (setup.py runs this)

It does what these Babel commands do, with click's own messages (which click asks
of gettext's global domain, where our catalog is installed) extracted beside ours::

    pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \\
        --add-comments=TRANSLATORS: -o radio/locale/radio.pot radio
    pybabel update -i radio/locale/radio.pot -d radio/locale -D radio
    pybabel compile -d radio/locale -D radio

New message ids come into ``radio.po`` untranslated (or "fuzzy", with a guess from a
similar id): translate them there, following ``radio/locale/GLOSSARY.vi.md``, then
compile. ``tests/test_i18n.py`` lists every id still missing a translation.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "radio" / "locale"
DOMAIN = "radio"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "N_": None}
CLICK_KEYWORDS = {"_": None, "ngettext": (1, 2)}
# The preview page's files: _("...") / ngettext("...", "...") in its scripts, data-i18n
# elements in its HTML (radio/preview/texts.py reads them the same way at run time).
METHODS = [("**.py", "python"), ("preview/*.js", "messages:extract_page"),
           ("preview/*.html", "messages:extract_page")]
LANGUAGES = ("vi",)
# click's messages that Babel cannot see (a call inside an f-string, Python < 3.12).
CLICK_EXTRA = [("Usage:", "click/formatting.py")]


# The command line's help texts: option help="..." and command docstrings stay plain
# strings in the code; radio.i18n_click translates them when help is shown.
CLICK_SOURCES = ("radio/cli.py", "radio/commands")


def click_help_ids(root: Path = ROOT) -> list[tuple[str, int, str]]:
    """(file, line, message id) of every help text and command docstring of the CLI."""
    import ast
    import inspect

    files = []
    for name in CLICK_SOURCES:
        path = root / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(root))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "help" and isinstance(keyword.value, ast.Constant) \
                            and isinstance(keyword.value.value, str):
                        found.append((rel, node.lineno,
                                      inspect.cleandoc(keyword.value.value)))
            elif isinstance(node, ast.FunctionDef) and any(
                    "command" in ast.unparse(d) or "group" in ast.unparse(d)
                    for d in node.decorator_list):
                doc = ast.get_docstring(node)
                if doc:
                    found.append((rel, node.lineno, doc))
    return found


def extract_page(fileobj, keywords, comment_tags, options):
    """Babel extractor for the preview page's .js and .html files."""
    from radio.preview.texts import find_messages

    text = fileobj.read().decode("utf-8")
    html = text.lstrip().lower().startswith("<!doctype html")
    for line, msgid in find_messages(text, html):
        yield line, ("ngettext" if isinstance(msgid, tuple) else "_"), msgid, []


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> None:
    """radio/ and click -> radio.pot (click's file names relative to its package)."""
    import click
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="radio", msgid_bugs_address="", charset="utf-8")
    sources = [(ROOT / "radio", KEYWORDS, "radio/"),
               (Path(click.__file__).parent, CLICK_KEYWORDS, "click/")]
    for folder, keywords, prefix in sources:
        for name, line, message, comments, context in extract_from_dir(
                folder, METHODS, keywords=keywords, comment_tags=("TRANSLATORS:",),
                strip_comment_tags=True):
            catalog.add(message, None, [(prefix + name, line)], auto_comments=comments,
                        context=context)
    for message, where in CLICK_EXTRA:
        catalog.add(message, None, [(where, 0)])
    for name, line, message in click_help_ids():
        catalog.add(message, None, [(name, line)])
    with open(TEMPLATE, "wb") as out:
        write_po(out, catalog, width=96, sort_by_file=True, omit_header=False)
    print(f"extracted {len(catalog)} messages into {TEMPLATE.relative_to(ROOT)}")


def update() -> None:
    """radio.pot -> each radio.po: new ids added, removed ones kept as obsolete (#~)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    with open(TEMPLATE, "rb") as f:
        template = read_po(f)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            with open(path, "rb") as f:
                catalog = read_po(f, locale=lang)
        else:   # pybabel init
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="radio", charset="utf-8")
        catalog.update(template, update_creation_date=False)
        with open(path, "wb") as out:
            write_po(out, catalog, width=96, sort_by_file=True, include_previous=True)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"updated {path.relative_to(ROOT)}: {len(missing)} to translate")


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Each radio.po -> radio.mo beside it (fuzzy translations left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(path, "rb") as f:
            catalog = read_po(f, locale=path.parent.parent.name)
        target = path.with_suffix(".mo")
        with open(target, "wb") as out:
            write_mo(out, catalog)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    steps = argv or ["extract", "update", "compile"]
    for step in steps:
        if step == "extract":
            extract()
        elif step == "update":
            update()
        elif step == "compile":
            for path in compile_catalogs():
                print(f"compiled {path.relative_to(ROOT)}")
        else:
            print(f"unknown step {step!r}: extract, update or compile", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
