#!/usr/bin/env python
"""Execute notebooks in place, top to bottom in a fresh kernel, and save their outputs as the docs pages show them.

Cells flagged with a test flag (`#| slow`: benchmarks, full training runs) keep their saved outputs unless the flag
is given with `--flags`, so that refreshing a page does not re-run an hour of training; `#| eval: false` cells never
run. The kernel starts in nbs/,
as under `nbdev_test`. The notebook is cleaned with `nbdev_clean` afterwards.

    python tools/run_nb.py nbs/03_models.ipynb                 # everything but the slow cells
    python tools/run_nb.py nbs/03_models.ipynb --flags slow    # the slow cells too"""
import argparse, base64, io, re, subprocess, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

MAX_PNG = 100_000   # bytes: a larger PNG output (a photo grid) is saved as JPEG

def _is_progress(out) -> bool:
    "A fastprogress bar or its style sheet, or an empty HTML display: transient in Jupyter, noise on a docs page"
    data = out.get('data', {}) if out.get('output_type') == 'display_data' else {}
    if 'text/html' not in data or any(k.startswith('image/') for k in data): return False
    html = ''.join(data['text/html'])
    return not html.strip() or '<progress' in html or html.lstrip().startswith('<style>\n    progress')

def lighten(nb) -> tuple:
    "Drop progress bars from the outputs and save large PNG figures as JPEG (quality 80); (dropped, converted)"
    from PIL import Image
    dropped = converted = 0
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        kept = []
        for out in cell.get('outputs', []):
            if _is_progress(out): dropped += 1; continue
            data = out.get('data', {})
            if 'image/png' in data and len(data['image/png']) > MAX_PNG:
                im = Image.open(io.BytesIO(base64.b64decode(data['image/png'])))
                if im.mode in ('RGBA', 'LA', 'P'):
                    im = im.convert('RGBA'); bg = Image.new('RGB', im.size, 'white'); bg.paste(im, mask=im.split()[-1]); im = bg
                buf = io.BytesIO(); im.convert('RGB').save(buf, 'JPEG', quality=80, optimize=True)
                del data['image/png']; data['image/jpeg'] = base64.b64encode(buf.getvalue()).decode(); converted += 1
                if 'image/png' in out.get('metadata', {}): out['metadata']['image/jpeg'] = out['metadata'].pop('image/png')
            kept.append(out)
        cell.outputs = kept
    return dropped, converted

root = Path(__file__).resolve().parent.parent

def flags_of(src:str) -> set: return {m.strip() for m in re.findall(r'^#\|\s*(\w+)\s*$', src, re.M)}

def run_nb(path:Path, force_flags:set, skip_flags:set, timeout:int=3600):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(Path(path).resolve().parent)}})  # run where the notebook lies, as nbdev_test does
    n_run = n_kept = 0
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != 'code': continue
            fl = flags_of(cell.source)
            if fl & skip_flags and not fl & force_flags: n_kept += 1; continue
            if re.search(r'^#\|\s*eval:\s*false', cell.source, re.M): continue   # shown, never run (as in the docs build)
            client.execute_cell(cell, i)   # raises CellExecutionError when a cell fails: nothing is written then
            n_run += 1
    lighten(nb)
    nbformat.write(nb, path)
    subprocess.run(['nbdev_clean', '--fname', str(path)], check=True, cwd=root)
    return n_run, n_kept

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+', help='the notebooks to execute')
    p.add_argument('--flags', default='', help='space-separated test flags whose cells run too, e.g. "slow"')
    p.add_argument('--no_run', action='store_true', help='only lighten the saved outputs (progress bars, large PNGs)')
    args = p.parse_args()
    if args.no_run:
        for nb in args.notebooks:
            book = nbformat.read(nb, as_version=4); d, c = lighten(book); nbformat.write(book, nb)
            subprocess.run(['nbdev_clean', '--fname', nb], check=True, cwd=root)
            print(f"{nb}: {d} progress bars dropped, {c} PNG figures saved as JPEG")
        sys.exit()
    from nbdev.config import get_config
    skip = set(get_config().tst_flags.split())
    for nb in args.notebooks:
        start = time.time()
        n_run, n_kept = run_nb(Path(nb).resolve(), set(args.flags.split()), skip)
        print(f"{nb}: {n_run} cells run, {n_kept} flagged cells kept as saved, {time.time()-start:.0f} s", flush=True)
