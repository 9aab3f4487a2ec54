"""Run (or continue) a study of the experiments notebooks in the background: the same calls as their `#| slow` cells.

    nohup python tools/run_study.py architectures > /tmp/defectseg_exp/architectures.log 2>&1 &

Records go to nbs/experiments/<study>/ (committed); run folders and the dataset stay in /tmp/defectseg_exp/.
A record already there is read, not trained again, so the command can be stopped and started again."""
import sys, torch
from pathlib import Path
from fastcore.script import call_parse
from defectseg.core import reference_path
from defectseg.experiments import STUDIES, run_named_study

@call_parse
def main(study:str, # a study of defectseg.experiments.STUDIES
         threads:int=2): # torch threads
    "Run the study `study` to the end"
    if study not in STUDIES: sys.exit(f"run_study.py: unknown study {study!r}; choose one of {', '.join(STUDIES)}")
    torch.set_num_threads(threads)
    results = Path(__file__).resolve().parents[1]/'nbs'/'experiments'/study
    print(run_named_study(study, results).round(3).to_string(), flush=True)
