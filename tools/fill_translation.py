"""Fill `es:` values of a translation file from a Python dict {key: text} (a translator's helper).

    python tools/fill_translation.py lessons/00-before-we-begin/i18n/es.yml FILE.py [NAME]

FILE.py defines the dict NAME (default ES). Only keys present in the file are filled; the file is then
rewritten through `civicnb i18n sync` so its format stays the one documented in docs/translating.md.
"""
import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from civicnb.content.yamlload import load_yaml  # noqa: E402
from civicnb.i18n import en_hash  # noqa: E402


def main(path, pyfile, name="ES"):
    import json

    tr = runpy.run_path(pyfile)[name]
    data = load_yaml(path, path)
    text = Path(path).read_text(encoding="utf-8")
    unknown = [k for k in tr if k not in data["strings"]]
    if unknown:
        sys.exit(f"{pyfile}: keys not in {path}: {unknown[:5]}")
    out = []
    key = None
    for line in text.splitlines():
        s = line.strip()
        if line.startswith("  ") and not line.startswith("    ") and s.endswith(":") and s.startswith('"'):
            key = json.loads(s[:-1])
        if key in tr and line.startswith("    es: "):
            line = "    es: " + json.dumps(tr[key], ensure_ascii=False)
        out.append(line)
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{path}: filled {len(tr)} strings")


if __name__ == "__main__":
    main(*sys.argv[1:])
