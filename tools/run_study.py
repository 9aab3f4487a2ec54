"""Run (or continue) a study of the Experiments pages in the background: its notebook, slow cells included, in this process.

    nohup python tools/run_study.py architectures > architectures.log 2>&1 &

The notebook defines the study (architectures, protocol, variants) and runs it in its `#| slow` cells. Records and
their per-image rows go to nbs/experiments/<study>_per_seed/ (committed); run folders, each seed's synthetic draw and
the fixed test set go to the system's temporary folder (defectseg_exp/), shared by the two studies. A record already
there is read, not trained again, so the command can be stopped and started again. Run architectures first:
augmentation copies its U-Net records as its `none` variant (and trains them itself where they are missing). Nothing is saved in the
notebook: refresh its page afterwards with `python tools/run_nb.py <notebook> --flags slow`."""
import sys, torch
from pathlib import Path
from fastcore.script import call_parse
from nbdev.test import test_nb

NOTEBOOKS = {'architectures': '10_architectures.ipynb', 'augmentation': '17_augmentation.ipynb', 'generator': '18_generator.ipynb',
             'targets': '19_targets.ipynb'}   # study -> its page

@call_parse
def main(study:str, # the study: architectures, augmentation, generator or targets
         threads:int=2): # torch threads
    "Run the study `study` to the end"
    if study not in NOTEBOOKS: sys.exit(f"run_study.py: unknown study {study!r}; choose one of {', '.join(NOTEBOOKS)}")
    torch.set_num_threads(threads)
    nb = Path(__file__).resolve().parents[1]/'nbs'/'experiments'/NOTEBOOKS[study]
    ok, seconds = test_nb(nb, force_flags=['slow'])
    print(f"{nb.name}: {'done' if ok else 'failed'} in {seconds / 60:.1f} minutes", flush=True)
    sys.exit(0 if ok else 1)
