#!/usr/bin/env python
"""A local preview of the docs site without Quarto: nbdev's docs build, then nbconvert to HTML, then screenshots.

    python tools/preview.py                   # _proc/ (nbdev's processed notebooks) -> _preview/*.html
    python tools/preview.py --screenshot      # and _preview/index.png, _preview/<page>.png with headless Chromium
    python tools/preview.py --no_build --screenshot --page inference.html

The pages keep nbdev's names (`00_core.ipynb` -> `core.html`, as on the real site), so the links between pages work,
and each page gets the sidebar of nbs/sidebar.yml. The real site is rendered by Quarto in the GitHub deploy workflow
(`nbdev_docs`); this preview shows the same processed notebooks (show_doc signatures, hidden cells removed, outputs)
in nbconvert's lab template, not Quarto's theme. Screenshots need Debian's `chromium` package."""
import argparse, html, json, re, shutil, subprocess, sys
from pathlib import Path
import nbformat, yaml
from nbdev.doclinks import _nbpath2html
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

root = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--hide-scrollbars',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']

def page_name(nb:Path) -> str:
    "The page nbdev gives a notebook (nbdev's own rule): its path without numeric prefixes, as .html"
    return str(_nbpath2html(Path(nb)))

def page_title(nb:Path) -> str:
    "The title a notebook's page shows: its first level-1 heading"
    for cell in json.loads(nb.read_text())['cells']:
        if m := re.search(r'^#\s+(.+)$', ''.join(cell['source']), re.M): return m[1].strip()
    return nb.stem

def sidebar_entries() -> list:
    "nbs/sidebar.yml with each page's href and title, read once: ('page', href, title) or ('section', name, entries)"
    sb = root/'nbs'/'sidebar.yml'
    def walk(cs):
        return [('page', page_name(c), page_title(root/'nbs'/c)) if isinstance(c, str)
                else ('section', c['section'], walk(c.get('contents', []))) for c in cs]
    return walk(yaml.safe_load(sb.read_text())['website']['sidebar']['contents']) if sb.exists() else []

def sidebar_html(entries:list, # from sidebar_entries
                 current:str, # the page's path relative to the site root, e.g. 'explanations/msd.html'
                ) -> str:
    "The sidebar as HTML links relative to the page `current`"
    up = '../' * current.count('/')
    here = ' class="here"'
    def items(es):
        return ''.join(f'<li><a{here if a == current else ""} href="{up}{a}">{html.escape(b)}</a></li>' if kind == 'page'
                       else f'<li><b>{html.escape(a)}</b><ul>{items(b)}</ul></li>' for kind, a, b in es)
    return f'<nav class="dsnav"><a href="{up}index.html"><b>defectseg</b></a><ul>{items(entries)}</ul></nav>'

STYLE = """<style>.dsnav{position:fixed;top:0;left:0;width:210px;height:100%;overflow:auto;font:13px sans-serif;
padding:10px;background:#f6f7f9;border-right:1px solid #ddd}.dsnav ul{padding-left:14px;margin:4px 0}.dsnav a{color:#2c6fbb;
text-decoration:none}.dsnav a.here{font-weight:bold;color:#000}body{margin-left:235px!important}</style>"""

def build():
    from nbdev.serve import proc_nbs
    proc_nbs(force=True)

def quarto_to_jupyter(cell):
    "A processed cell as Jupyter shows it: Quarto's front matter as a title, its cell options as tags, its attributes dropped"
    if cell.cell_type == 'raw' and cell.source.startswith('---'):
        fm = yaml.safe_load(cell.source.strip().strip('-')) or {}
        return nbformat.v4.new_markdown_cell(f"# {fm.get('title', '')}\n\n" + (f"> {fm['description']}" if fm.get('description') else ''))
    opts = dict(re.findall(r'^#\|\s*([\w-]+):\s*(\S+)', cell.source, re.M))
    cell.source = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|'))
    tags = cell.metadata.setdefault('tags', [])
    if opts.get('echo') == 'false': tags.append('echo_false')
    if opts.get('include') == 'false': tags.append('include_false')
    for out in cell.get('outputs', []):
        md = out.get('data', {}).get('text/markdown')
        if md: out['data']['text/markdown'] = re.sub(r'\{target="_blank"[^}]*\}', '', md)
    return cell

def render(out:Path, proc:Path|None=None):
    proc = proc or root/'_proc'
    if not proc.is_dir(): sys.exit(f"no folder {proc} of processed notebooks: run without --no_build first")
    shutil.rmtree(out, ignore_errors=True); out.mkdir()
    exporter = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'echo_false'}, remove_cell_tags={'include_false'}), enabled=True)
    pages, entries = [], sidebar_entries()
    for nb_path in sorted(proc.rglob('*.ipynb')):
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells = [quarto_to_jupyter(c) for c in nb.cells]
        body, _ = exporter.from_notebook_node(nb)
        dest = out/page_name(nb_path.relative_to(proc))
        dest.parent.mkdir(parents=True, exist_ok=True)
        body = body.replace('<body', STYLE + '<body', 1)
        body = re.sub(r'(<body[^>]*>)', lambda m: m[1] + sidebar_html(entries, str(dest.relative_to(out))), body, count=1)
        dest.write_text(body); pages.append(dest)
    for img in (root/'nbs'/'images').glob('*'): (out/'images').mkdir(exist_ok=True); shutil.copy2(img, out/'images'/img.name)
    print(f"wrote {len(pages)} pages into {out}/ (open {out}/index.html)")
    return pages

def screenshot(page:Path, png:Path, width:int=1400, height:int=2200):
    chrome = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if chrome is None: sys.exit("screenshots need headless Chromium: apt-get install chromium")
    subprocess.run([chrome, *CHROMIUM_FLAGS, f'--user-data-dir={png.parent/".chromium"}', f'--window-size={width},{height}',
                    f'--screenshot={png}', page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"screenshot of {page.name}: {png}")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--no_build', action='store_true', help="reuse _proc/ instead of running nbdev's docs build")
    p.add_argument('--proc', default=None, help="the processed notebooks to render (default: _proc/, nbdev's own)")
    p.add_argument('--out', default='_preview', help='the folder for the HTML pages (replaced)')
    p.add_argument('--screenshot', action='store_true', help='take PNG screenshots of the index page and --page')
    p.add_argument('--page', default='inference.html', help='the API page to screenshot besides index.html')
    args = p.parse_args()
    if not args.no_build: build()
    out = root/args.out
    render(out, Path(args.proc).resolve() if args.proc else None)
    if args.screenshot:
        for name in ('index.html', args.page):
            if not (out/name).exists(): sys.exit(f"--page {name}: no such page in {args.out}/")
            screenshot(out/name, out/name.replace('.html', '.png'))
