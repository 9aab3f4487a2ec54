#!/usr/bin/env python
"""Checks that the notebooks make good docs pages, and runs nbdev's docs build without Quarto.

`--check` (fast, reads the notebooks only):
- nbdev's docs build (`proc_nbs`) executes every cell that imports, alone, without the cells before it: such a cell
  must hold imports and nothing else, and no function in it may import inside its body (exported cells are exempt:
  the docs build runs all of them, in order);
- the signatures of exported functions have no backtick in a parameter comment (nbdev renders it as a raw link) and
  no unannotated `=None` parameter (the docs would show `NoneType`);
- no committed output shows a temporary-folder path, an interpreter or site-packages path, a traceback, or a warning
  printed by the `warnings` module (those carry the interpreter's file paths and go stale);
- every notebook is in the sidebar (nbs/sidebar.yml), and the sidebar names no missing notebook;
- all notebooks together stay under `MAX_BYTES`;
- pages read like docs, not a lab diary: no markdown cell speaks of issues, sessions, earlier runs of a cell, other jobs
  on the machine, or the original project as "the seed" (`DIARY`); a library notebook (one with `#| default_exp`)
  keeps a median of at most `MAX_MEDIAN_WORDS` words per markdown cell and names no machine ("2-core CPU": machine
  figures live on the Benchmarks page).

`--build` runs `nbdev.serve.proc_nbs` (what `nbdev_docs` and `nbdev_preview` run before Quarto) on all of nbs/ into
_proc/, and fails when it fails or warns about a cell that mixes imports with code."""
import ast, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nbs = root/'nbs'
MAX_BYTES = 4_000_000   # all of nbs/**/*.ipynb together

BAD_OUTPUT = {  # what -> pattern, matched against every text output of every notebook
    'a temporary-folder path': r'/tmp/|/var/folders/|\btmp[a-z0-9_]{8}\b',
    'an interpreter path': r'site-packages|/\.pyenv/|/usr/lib/python|ipykernel_\d+',
    'a traceback': r'Traceback \(most recent call last\)',
    'a warning from the warnings module': r'\.py:\d+: \w*Warning\b',
}

DIARY = {  # what -> pattern, matched against the markdown of every page
    'an issue': r"\bthe issue\b|\bissue #?\d+|\bissue's\b",
    'a session': r'\bsessions?\b',
    'an earlier run of a cell': r'\b(earlier|previous|last) runs? of\b|\ban earlier run\b',
    "the machine's other jobs": r'\bother jobs\b|\bload from\b|\bunder load\b|\bhow busy the machine\b',
    'the original project as "the seed"': r"\bthe seed's\b|\bthe seed (compared|project|repository|code|used)\b",
}
MACHINE = r'\b\d+-core\b'   # a machine named on a library page
MAX_MEDIAN_WORDS = 20

def notebooks(): return sorted(p for p in nbs.rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts and not p.name.startswith('_'))

def _directives(src:str) -> dict:
    return {m[1].strip(): m[2].strip() for m in re.finditer(r'^#\|\s*([\w-]+:?)\s*(.*)$', src, re.M)}

def _parse(src:str):
    code = '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in src.splitlines())
    try: return ast.parse(code)
    except SyntaxError: return None

def import_problem(src:str) -> str|None:
    "Why the docs build would fail or warn on this code cell's `src`, or `None`"
    d = _directives(src)
    if d.get('eval:', '').lower() == 'false' or 'nbdev_export()' in src: return None
    if d.keys() & {'export', 'exports', 'exporti', 'exec_doc'}: return None
    tree = _parse(src)
    if tree is None or not any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)): return None
    if any(not isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body):
        return "mixes imports with other code (the docs build runs it alone): move the imports to a cell of their own"
    return None

def signature_problems(src:str) -> list:
    "Problems in the signatures of an exported cell's functions, as nbdev's docs render them"
    tree, lines, found = _parse(src), src.splitlines(), []
    if tree is None: return found
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or (fn.name.startswith('_') and fn.name != '__init__'): continue
        sig_lines = lines[fn.lineno-1:fn.body[0].lineno-1] if fn.body[0].lineno > fn.lineno else [lines[fn.lineno-1]]
        if any('`' in l.split('#', 1)[1] for l in sig_lines if '#' in l):
            found.append(f"{fn.name}: a backtick in a parameter comment (nbdev renders it as a raw link in the signature)")
        a = fn.args
        pos = a.posonlyargs + a.args
        defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults) + list(a.kw_defaults)
        for arg, d in zip(pos + a.kwonlyargs, defaults):
            if isinstance(d, ast.Constant) and d.value is None and arg.annotation is None:
                found.append(f"{fn.name}: parameter {arg.arg}=None has no annotation (the docs show NoneType)")
    return found

def prose_problems(name, cells) -> list:
    "Diary phrases in the markdown of a page; for a library notebook, long prose and machine names too"
    found, words = [], []
    lib = any(re.search(r'^#\|\s*default_exp', ''.join(c['source']), re.M) for c in cells if c['cell_type'] == 'code')
    for i, cell in enumerate(cells):
        if cell['cell_type'] != 'markdown': continue
        text = ''.join(cell['source'])
        words.append(len(text.split()))
        for what, pat in {**DIARY, **({'a machine': MACHINE} if lib else {})}.items():
            if m := re.search(pat, text, re.I): found.append(f"{name} cell {i}: speaks of {what}: {text[max(0, m.start()-30):m.end()+30]!r}")
    if lib and words and (med := sorted(words)[(len(words) - 1) // 2]) > MAX_MEDIAN_WORDS:
        found.append(f"{name}: the median markdown cell has {med} words, over {MAX_MEDIAN_WORDS}: split and shorten the prose")
    return found

def output_text(out:dict) -> str:
    if 'text' in out: return ''.join(out['text'])
    if out.get('output_type') == 'error': return '\n'.join(out.get('traceback', [])) + ' Traceback (most recent call last)'
    data = out.get('data', {})
    return ''.join(''.join(v) for k, v in data.items() if k.startswith('text/'))

def check() -> list:
    "Every problem found, as 'notebook cell N: what'"
    problems, total = [], 0
    for nb_path in notebooks():
        total += nb_path.stat().st_size
        name = nb_path.relative_to(nbs)
        cells = json.loads(nb_path.read_text())['cells']
        problems += prose_problems(name, cells)
        for i, cell in enumerate(cells):
            if cell['cell_type'] != 'code': continue
            src = ''.join(cell['source'])
            if why := import_problem(src): problems.append(f"{name} cell {i}: {why}: {src.splitlines()[0][:70]!r}")
            if re.search(r'^#\|\s*export', src, re.M): problems += [f"{name} cell {i}: {p}" for p in signature_problems(src)]
            for out in cell.get('outputs', []):
                text = output_text(out)
                for what, pat in BAD_OUTPUT.items():
                    if m := re.search(pat, text):
                        problems.append(f"{name} cell {i}: an output shows {what}: {text[max(0, m.start()-40):m.end()+40]!r}")
    sidebar = nbs/'sidebar.yml'
    listed = set(re.findall(r'^\s*-\s*(\S+\.ipynb)\s*$', sidebar.read_text(), re.M)) if sidebar.exists() else set()
    problems += [f"{p.relative_to(nbs)}: not in nbs/sidebar.yml (the site's sidebar is custom_sidebar)" for p in notebooks()
                 if str(p.relative_to(nbs)) not in listed]
    problems += [f"nbs/sidebar.yml lists {n}, which does not exist" for n in sorted(listed) if not (nbs/n).exists()]
    if total > MAX_BYTES: problems.append(f"nbs/ notebooks hold {total/1e6:.2f} MB, over the {MAX_BYTES/1e6:.0f} MB budget: save photo figures as JPEG or smaller")
    return problems, total

def build():
    "nbdev's docs build on all notebooks; exits non-zero when it fails or warns about a mixed import cell"
    import warnings
    from nbdev.serve import proc_nbs
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try: proc_nbs(force=True)
        except Exception as e: sys.exit(f"nbdev's docs build (proc_nbs) failed: {type(e).__name__}: {e}")
    if mixed := [str(w.message) for w in caught if 'imports and other code' in str(w.message)]:
        sys.exit("nbdev's docs build warned about cells that mix imports with code:\n" + '\n'.join(mixed))
    print(f"docs build: {len(list((root/'_proc').rglob('*.ipynb')))} notebooks processed into _proc/")

if __name__ == '__main__':
    if '--build' in sys.argv: build()
    else:
        problems, total = check()
        if problems: sys.exit("FAILED: the notebooks are not clean docs pages:\n" + '\n'.join(problems))
        print(f"docs: import cells stand alone, outputs clean, notebooks {total/1e6:.2f} MB (budget {MAX_BYTES/1e6:.0f} MB)")
