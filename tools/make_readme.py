#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (nbdev's `nbdev_readme` does this with Quarto, which these machines lack).

Markdown cells are copied; code cells not marked `#| hide` become Python blocks followed by their text output.
`--check` exits non-zero when README.md is not what the notebook gives."""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def readme_text(nb_path=root/'nbs'/'index.ipynb') -> str:
    parts = []
    for cell in json.loads(nb_path.read_text())['cells']:
        src = ''.join(cell['source']).strip()
        if cell['cell_type'] == 'markdown': parts.append(re.sub(r'\]\((?!https?:|/|#)', '](nbs/', src))  # links relative to nbs/
        elif cell['cell_type'] == 'code' and not re.search(r'^#\|\s*hide\b', src, re.M):
            code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|'))
            parts.append(f"```python\n{code}\n```")
            out = ''.join(''.join(o.get('text', '') or o.get('data', {}).get('text/plain', '')) for o in cell.get('outputs', []))
            if out.strip(): parts.append(f"```\n{out.rstrip()}\n```")
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text, readme = readme_text(), root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text: sys.exit("README.md is not in step with nbs/index.ipynb: run python tools/make_readme.py")
        print("README.md: in step with nbs/index.ipynb")
    else: readme.write_text(text); print(f"wrote {readme}")
