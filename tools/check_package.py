#!/usr/bin/env python
"""Builds the sdist and the wheel as a release would, checks what they hold, and installs the sdist in a fresh venv.

1. `python -m build` writes both into a temporary folder (the repository is left untouched).
2. Both hold every module of the package and the console scripts of settings.ini; the sdist also holds settings.ini
   (setup.py reads it: without it an install fails with `KeyError: 'license'`), README.md and LICENSE.
3. The sdist installs with pip into a new virtual environment, built from the sdist alone; the venv sees this
   interpreter's packages (`--system-site-packages`) so that torch and fastai are not installed again. There,
   outside the repository, `defectseg_info` runs and names the installed package."""
import subprocess, sys, tarfile, tempfile, zipfile
from pathlib import Path
from nbdev.config import get_config

root = Path(__file__).resolve().parent.parent

def run(*cmd, cwd=None):
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd)
    if res.returncode: sys.exit(f"FAILED: {' '.join(map(str, cmd))}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return res.stdout

def main():
    cfg = get_config()
    lib, version = cfg.lib_name, cfg.version
    modules = sorted(f"{lib}/{p.name}" for p in (root/lib).glob('*.py'))
    scripts = [s.split('=')[0] for s in cfg.get('console_scripts', '').split()]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run(sys.executable, '-m', 'build', '--outdir', tmp/'dist', root)
        sdist, wheel = tmp/'dist'/f'{lib}-{version}.tar.gz', tmp/'dist'/f'{lib}-{version}-py3-none-any.whl'
        for f in (sdist, wheel):
            if not f.exists(): sys.exit(f"FAILED: the build wrote no {f.name}")
        with tarfile.open(sdist) as t: in_sdist = {n.split('/', 1)[1] for n in t.getnames() if '/' in n}
        with zipfile.ZipFile(wheel) as z: in_wheel = set(z.namelist())
        missing = [f"sdist lacks {n}" for n in modules + ['settings.ini', 'README.md', 'LICENSE', 'setup.py', 'pyproject.toml'] if n not in in_sdist]
        missing += [f"wheel lacks {n}" for n in modules if n not in in_wheel]
        with zipfile.ZipFile(wheel) as z:
            eps = next((z.read(n).decode() for n in z.namelist() if n.endswith('entry_points.txt')), '')
        missing += [f"wheel lacks the console script {s}" for s in scripts if f"{s} =" not in eps]
        if missing: sys.exit("FAILED: " + '; '.join(missing))
        venv = tmp/'venv'
        run(sys.executable, '-m', 'venv', '--system-site-packages', venv)
        run(venv/'bin'/'pip', 'install', '--quiet', sdist)
        out = run(venv/'bin'/'defectseg_info', cwd=tmp)
        where = run(venv/'bin'/'python', '-c', f'import {lib}; print({lib}.__file__)', cwd=tmp).strip()
        if str(venv) not in where: sys.exit(f"FAILED: the venv imported {lib} from {where}, not from its own install")
        if f"{lib}: {version}" not in out: sys.exit(f"FAILED: defectseg_info did not report {lib} {version}:\n{out}")
    print(f"package: sdist and wheel of {lib} {version} hold {len(modules)} modules and {len(scripts)} console scripts; "
          f"the sdist installs in a fresh venv and defectseg_info runs there")

if __name__ == '__main__': main()
