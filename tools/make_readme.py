#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (nbdev's `nbdev_readme` does this with Quarto, which these machines lack).

Markdown cells are copied, with links to pages pointed at the docs site and other relative links into nbs/; code cells not marked `#| hide` become Python blocks followed by their text output.
`--check` exits non-zero when README.md is not what the notebook gives."""
import json, re, sys
from pathlib import Path
from nbdev.config import get_config

root = Path(__file__).resolve().parent.parent
cfg = get_config()
SITE_URL = cfg.doc_host.rstrip('/') + cfg.doc_baseurl.rstrip('/') + '/'   # the docs site's address, from settings.ini

def fix_link(target:str) -> str:
    "A link of the index page as README needs it: pages to the docs site, other files into nbs/"
    if re.match(r'https?:|/|#', target): return target
    if re.match(r'[^)#]*\.html(#|$)', target): return SITE_URL + target
    return 'nbs/' + target

def readme_text(nb_path=root/'nbs'/'index.ipynb') -> str:
    parts = []
    for cell in json.loads(nb_path.read_text())['cells']:
        src = ''.join(cell['source']).strip()
        if cell['cell_type'] == 'markdown': parts.append(re.sub(r'\]\(([^)\s]+)\)', lambda m: f"]({fix_link(m[1])})", src))
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
