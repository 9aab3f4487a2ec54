#!/usr/bin/env python
"""The project's test run: nbdev's own CI checks, the docs build, the package build, then every notebook, counted.

1. The library is exactly what the notebooks export (`nbdev_export` leaves no diff).
2. The notebooks are clean (`nbdev_clean` leaves no diff), pyflakes finds nothing in the library and tools/ (no
   undefined name, no unused import),
   and README.md is nbs/index.ipynb as Markdown.
3. The notebooks are docs pages: every cell that nbdev's docs build executes alone (a cell that imports) holds
   nothing but imports; no committed output shows a temporary-folder or interpreter path, a traceback or a stale
   warning; all of nbs/ stays under the size budget (`check_docs.py`).
4. Every notebook runs top to bottom in a fresh kernel (nbdev's `test_nb`, cells flagged with a `tst_flags` flag
   skipped unless given with `--flags`).
5. nbdev's docs build (`proc_nbs`, the step `nbdev_docs` runs before Quarto) passes.
6. The sdist and the wheel build, hold the package, settings.ini, LICENSE and the console scripts, and the sdist
   installs in a fresh virtual environment where `defectseg_info` runs (`check_package.py`; `--no_package` skips it).

The run ends with `N passed, N failed` (the notebooks, the docs build and the package each count as one). It fails
when a check fails, when a notebook fails, or when no notebook was found (`nbdev_test` itself exits 0 in that case)."""
import argparse, os, subprocess, sys, time
from pathlib import Path

tools = Path(__file__).resolve().parent

def sh(*cmd): return subprocess.run(cmd, capture_output=True, text=True)

def snapshot(paths):
    "The bytes of every file under `paths`"
    return {f: f.read_bytes() for p in paths for f in sorted(Path(p).rglob('*')) if f.is_file() and '__pycache__' not in f.parts}

def changed_by(cmd, paths):
    "Run `cmd` and list the files under `paths` that it created, changed or deleted"
    before = snapshot(paths)
    res = sh(*cmd)
    if res.returncode: sys.exit(f"FAILED: {' '.join(cmd)}:\n{res.stdout}\n{res.stderr}")
    after = snapshot(paths)
    return sorted(str(f) for f in before.keys() | after.keys() if before.get(f) != after.get(f))

def timed(name, cmd):
    "Run `cmd`; (name, ok, seconds), with its output shown when it fails"
    start = time.time()
    res = sh(*cmd)
    if res.returncode: print(f"FAILED: {name}:\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}", flush=True)
    return name, res.returncode == 0, time.time() - start

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--flags', default='', help='space-separated test flags to run too, e.g. "slow"')
    p.add_argument('--n_workers', type=int, default=2, help='notebooks run in parallel')
    p.add_argument('--path', default=None, help='a notebook or glob (default: all of nbs/)')
    p.add_argument('--no_package', action='store_true', help='skip building and installing the sdist and the wheel')
    args = p.parse_args()
    from nbdev.config import get_config
    cfg = get_config()
    lib, nbs = str(cfg.lib_path.relative_to(cfg.config_path)), str(cfg.nbs_path.relative_to(cfg.config_path))
    os.chdir(cfg.config_path)

    for cmd, paths, what in ((('nbdev_export',), [lib], 'the library is not what the notebooks export: run nbdev_export and commit'),
                             (('nbdev_clean',), [nbs], 'notebooks are not clean: run nbdev_clean and commit')):
        if left := changed_by(cmd, paths): sys.exit(f"FAILED: {what}; {cmd[0]} changed:\n" + '\n'.join(left))
        else: print(f"{cmd[0]}: no diff", flush=True)

    # a notebook's tests run its own definitions, which also see names imported only in test cells: an exported
    # function that needs such a name passes its notebook and fails in the library. pyflakes finds those, and the
    # imports that nothing uses.
    flakes = sh(sys.executable, '-m', 'pyflakes', lib, 'tools')
    if found := flakes.stdout.strip() or flakes.stderr.strip():
        sys.exit("FAILED: pyflakes found problems in the library or tools/:\n" + found)
    print("pyflakes: nothing in the library or tools/", flush=True)

    for script in ('make_readme.py', 'check_docs.py'):
        res = sh(sys.executable, str(tools/script), '--check')
        if res.returncode: sys.exit(f"FAILED: {res.stderr.strip() or res.stdout.strip()}")
        print(res.stdout.strip(), flush=True)

    # one BLAS/OpenMP pool per worker: oversubscribed cores made torch 10x slower here (many threads waiting on each other)
    os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // args.n_workers)))
    from fastcore.parallel import parallel
    from nbdev.doclinks import nbglob
    from nbdev.test import test_nb
    files = sorted(f.absolute() for f in nbglob(args.path, as_path=True))
    if not files: sys.exit("FAILED: no notebook was found to test")
    print(f"testing {len(files)} notebooks with {args.n_workers} workers (skipping flags: {set(cfg.tst_flags.split()) - set(args.flags.split()) or 'none'})", flush=True)
    start = time.time()
    os.chdir(cfg.nbs_path)
    results = parallel(test_nb, files, skip_flags=cfg.tst_flags.split(), force_flags=args.flags.split(),
                       n_workers=args.n_workers, basepath=cfg.config_path, pause=0.01)
    os.chdir(cfg.config_path)
    rows = [(f.name, ok, secs) for f, (ok, secs) in zip(files, results)]
    rows.append(timed('docs build (nbdev proc_nbs)', (sys.executable, str(tools/'check_docs.py'), '--build')))
    if not args.no_package: rows.append(timed('package (sdist, wheel, fresh install)', (sys.executable, str(tools/'check_package.py'))))
    for name, ok, secs in rows: print(f"{'ok  ' if ok else 'FAIL'} {secs:6.1f} s  {name}")
    n_ok = sum(ok for _, ok, _ in rows)
    print(f"total {time.time()-start:.0f} s")
    print(f"{n_ok} passed, {len(rows)-n_ok} failed")
    sys.exit(0 if n_ok == len(rows) else 1)

if __name__ == '__main__': main()
