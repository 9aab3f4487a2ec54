#!/usr/bin/env python
"""Execute notebooks in place, top to bottom in a fresh kernel, and save their outputs as the docs pages show them.

Cells flagged with a test flag (`#| slow`: benchmarks, full training runs) keep their saved outputs unless the flag
is given with `--flags`, so that refreshing a page does not re-run an hour of training; `#| eval: false` cells never
run. The kernel starts in nbs/,
as under `nbdev_test`. The notebook is cleaned with `nbdev_clean` afterwards.

    python tools/run_nb.py nbs/03_models.ipynb                 # everything but the slow cells
    python tools/run_nb.py nbs/03_models.ipynb --flags slow    # the slow cells too"""
import argparse, re, subprocess, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

root = Path(__file__).resolve().parent.parent

def flags_of(src:str) -> set: return {m.strip() for m in re.findall(r'^#\|\s*(\w+)\s*$', src, re.M)}

def run_nb(path:Path, force_flags:set, skip_flags:set, timeout:int=3600):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(root/'nbs')}})
    n_run = n_kept = 0
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != 'code': continue
            fl = flags_of(cell.source)
            if fl & skip_flags and not fl & force_flags: n_kept += 1; continue
            if re.search(r'^#\|\s*eval:\s*false', cell.source, re.M): continue   # shown, never run (as in the docs build)
            client.execute_cell(cell, i)   # raises CellExecutionError when a cell fails: nothing is written then
            n_run += 1
    nbformat.write(nb, path)
    subprocess.run(['nbdev_clean', '--fname', str(path)], check=True, cwd=root)
    return n_run, n_kept

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+', help='the notebooks to execute')
    p.add_argument('--flags', default='', help='space-separated test flags whose cells run too, e.g. "slow"')
    args = p.parse_args()
    from nbdev.config import get_config
    skip = set(get_config().tst_flags.split())
    for nb in args.notebooks:
        start = time.time()
        n_run, n_kept = run_nb(Path(nb).resolve(), set(args.flags.split()), skip)
        print(f"{nb}: {n_run} cells run, {n_kept} flagged cells kept as saved, {time.time()-start:.0f} s", flush=True)
